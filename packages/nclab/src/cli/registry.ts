/** Every CLI command, in the order `nclab --help` lists them; job commands come from `jobs/`. */
import type { CliCommand } from './command.js';
import { collectCommand } from './commands/collect.js';
import { infoCommand } from './commands/info.js';
import { runCommand } from './commands/run.js';
import { setupCommand } from './commands/setup.js';
import { sweepCommand } from './commands/sweep.js';
import { jobCommand } from './job-command.js';
import { JOBS } from '../jobs/index.js';
import { withShards } from '../executors/sharded/command.js';
import { taskCommand } from '../executors/task-command.js';

export const COMMANDS: CliCommand[] = [
  infoCommand,
  withShards(jobCommand(JOBS.metrics)),
  jobCommand(JOBS['deep-rfm']),
  jobCommand(JOBS.ufm),
  jobCommand(JOBS['kernel-model']),
  jobCommand(JOBS['spectra-ufm']),
  jobCommand(JOBS['spectra-density']),
  jobCommand(JOBS['probe-mlp']),
  jobCommand(JOBS['probe-import']),
  jobCommand(JOBS['probe-cnn']),
  runCommand,
  sweepCommand,
  collectCommand,
  setupCommand,
  taskCommand,
];
