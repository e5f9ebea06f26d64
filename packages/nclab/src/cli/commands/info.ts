/**
 * `nclab info`: the engine chosen, the float64 linear-algebra path, what was found of CUDA (device,
 * driver, libraries and why each missing one was not found), whether large arrays get transparent huge
 * pages, versions of every package and the datasets found.
 */
import { cudaReport, type CudaReport } from '@nclab/backend';
import type { CliCommand } from '../command.js';
import { emitJson } from '../context.js';
import { setupEngine } from '../engine.js';
import { collectVersions } from '../versions.js';
import { hugePageReport, kernelThpMode } from '../huge-pages.js';

export const infoCommand: CliCommand = {
  spec: {
    name: 'info',
    summary: 'engine, linear-algebra path, CUDA device and libraries, package versions, datasets found and whether Slurm is reachable',
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
    const cuda = cudaReport();
    const memory = hugePageReport(process.env, kernelThpMode());
    const result = { engine, cuda, versions, datasets, slurm, memory };
    if ((await emitJson(ctx, result)) === 'stdout') return;
    const out: string[] = [];
    out.push(`engine:   ${engine.engine} (tfjs backend ${engine.tfjs_backend}, tfjs ${engine.tfjs_version}): ${engine.engine_reason}`);
    out.push(`linalg:   ${engine.linalg_path} (${engine.linalg_library}): ${engine.linalg_reason}`);
    out.push(`memory:   ${memory.detail}`);
    out.push(...cudaLines(cuda));
    out.push('versions:');
    for (const [k, v] of Object.entries(versions)) out.push(`  ${k.padEnd(24)}${v ?? 'not installed'}`);
    out.push('datasets:');
    for (const d of datasets) out.push(`  ${d.name.padEnd(24)}${d.found ? `found (${d.detail})` : `not found (${d.detail})`}`);
    out.push(`slurm:    ${slurm.available ? 'sbatch reachable' : 'not available'} (${slurm.detail})`);
    ctx.io.stdout.write(`${out.join('\n')}\n`);
  },
};

/** The `cuda:` section of the text report: availability, device, then one line per library. */
function cudaLines(cuda: CudaReport): string[] {
  const out = [`cuda:     ${cuda.available ? 'available' : 'unavailable'}: ${cuda.reason}`];
  if (cuda.device && cuda.driver) {
    out.push(`  device                ${cuda.device.name}, ${cuda.device.memoryGiB} GiB, compute capability ${cuda.device.computeCapability} (${cuda.device.count} visible); driver CUDA ${cuda.driver.version}`);
  }
  for (const lib of cuda.libraries) {
    const telling = lib.notFound.filter((s) => !s.endsWith(': folder absent')); // absent folders are in --json
    const text = lib.file ? `${lib.file}${lib.version ? ` (${lib.version})` : ''}` : `not found${lib.required ? '' : ' (optional)'}: ${telling.slice(-2).join('; ') || 'nothing to try'}`;
    out.push(`  ${lib.library.padEnd(22)}${text}`);
  }
  return out;
}
