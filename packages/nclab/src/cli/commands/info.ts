/**
 * `nclab info`: the engine chosen, the float64 linear-algebra path, versions of every package and
 * the datasets found.
 */
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import { collectVersions } from '../versions.js';

export const infoCommand: CliCommand = {
  spec: {
    name: 'info',
    summary: 'engine, linear-algebra path, package versions, datasets found and whether Slurm is reachable',
    usage: 'info [--engine NAME] [--json [OUT]]',
    options: [],
    examples: ['nclab info', 'nclab info --engine cpu --json'],
  },
  async run(ctx) {
    const engine = await setupEngine(ctx);
    const { findDatasets } = await import('../../io/datasets.js');
    const versions = collectVersions();
    const datasets = findDatasets();
    const { probeSlurm } = await import('../../executors/slurm.js');
    const slurm = probeSlurm();
    const result = { engine, versions, datasets, slurm };
    if ((await emitJson(ctx, result)) === 'stdout') return;
    const out: string[] = [];
    out.push(`engine:   ${engine.engine} (tfjs backend ${engine.tfjs_backend}, tfjs ${engine.tfjs_version}): ${engine.engine_reason}`);
    out.push(`linalg:   ${engine.linalg_path} (${engine.linalg_library}): ${engine.linalg_reason}`);
    out.push('versions:');
    for (const [k, v] of Object.entries(versions)) out.push(`  ${k.padEnd(24)}${v ?? 'not installed'}`);
    out.push('datasets:');
    for (const d of datasets) out.push(`  ${d.name.padEnd(24)}${d.found ? `found (${d.detail})` : `not found (${d.detail})`}`);
    out.push(`slurm:    ${slurm.available ? 'sbatch reachable' : 'not available'} (${slurm.detail})`);
    ctx.io.stdout.write(`${out.join('\n')}\n`);
  },
};
