/** Every CLI command, in the order `nclab --help` lists them. */
import type { CliCommand } from './command.js';
import { deepRfmCommand } from './commands/deep-rfm.js';
import { infoCommand } from './commands/info.js';
import { metricsCommand } from './commands/metrics.js';
import { runCommand } from './commands/run.js';
import { sweepCommand } from './commands/sweep.js';
import { probeImportCommand, probeMlpCommand } from './commands/probe.js';
import { spectraDensityCommand, spectraUfmCommand } from './commands/spectra.js';
import { ufmCommand } from './commands/ufm.js';
import { collectCommand } from './commands/collect.js';
import { taskCommand } from '../executors/task-command.js';

export const COMMANDS: CliCommand[] = [infoCommand, metricsCommand, deepRfmCommand, ufmCommand, spectraUfmCommand, spectraDensityCommand, probeMlpCommand, probeImportCommand, runCommand, sweepCommand, collectCommand, taskCommand];
