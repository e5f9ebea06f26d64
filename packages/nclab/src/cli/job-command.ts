/**
 * The CLI front of a job: parsed flags → the job's options → {@link Job.run} → `--out` directory,
 * `--json` document and the printed summary. Every job command (and so `nclab run` and
 * `nclab sweep`, which invoke commands in-process) goes through here, and so through the same
 * safeguards: environment and output paths checked before any work, `--out` locked for the run,
 * and the finiteness contract on the result before anything is written.
 */
import { nearDegenerateMeanWarnings } from '../jobs/degenerate.js';
import { FINITE_HINTS, enforceFinite } from '../jobs/finite.js';
import type { AnyJob } from '../jobs/job.js';
import { resultDocument, type RunReport } from '../report/write.js';
import type { CliCommand } from './command.js';
import { emitJson } from './context.js';
import { setupEngine } from './engine.js';
import { escapeControl } from './terminal-text.js';
import { checkEnvironment, checkOutputFlags, openRunDir } from './preflight.js';
import { provenance } from '../report/provenance.js';
import { startRenderWorker } from '../report/render-worker.js';
import type { CommandSpec } from './spec.js';

/**
 * Adds warnings to a report: to `result.warnings` (kept with the library's own) and to the notes
 * of `report.html`.
 *
 * @param report - the run's report (changed in place).
 * @param warnings - the lines to add.
 */
export function addWarnings(report: RunReport, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  const existing = Array.isArray(report.result.warnings) ? (report.result.warnings as string[]) : [];
  report.result.warnings = [...existing, ...warnings];
  report.notes = [...(report.notes ?? []), ...warnings];
}

/**
 * Wraps a job as a CLI command.
 *
 * @param job - the job.
 * @returns the command (its spec is the job's).
 */
export function jobCommand(job: AnyJob): CliCommand {
  return {
    spec: job.spec as CommandSpec,
    async check(values) {
      await job.fromFlags(values as never);
    },
    async run(ctx) {
      const v = ctx.args.values;
      const name = job.spec.name;
      checkEnvironment(name);
      await checkOutputFlags(name, v);
      const options: unknown = await job.fromFlags(v as never);
      const lock = typeof v.out === 'string' ? await openRunDir(name, v.out, ctx.commandLine) : undefined;
      // git's commit for the report, read now while this process is small: a spawn forks it, and after
      // the fork of a job holding gigabytes every page it writes next takes a copy-on-write fault
      // (12.7 s to rewrite 3 GB on the project's machine without huge pages; 0.2 s with them)
      if (lock) provenance();
      // the plots' Vega import runs in a worker thread while the job computes (see render-worker.ts)
      if (lock) startRenderWorker();
      try {
        const engine = await setupEngine(ctx, job.usesTfjs !== false);
        const run = await job.run(options, { progress: ctx.progress, command: ctx.commandLine, engine: { ...engine } });
        const warnings = [
          ...enforceFinite(run.report.result, { job: name, allowNonfinite: v.allowNonfinite === true, hint: FINITE_HINTS[name] }),
          ...nearDegenerateMeanWarnings(run.report.result),
        ];
        addWarnings(run.report, warnings);
        for (const w of warnings) ctx.io.stderr.write(`nclab ${name}: warning: ${escapeControl(w)}\n`);
        if (typeof v.out === 'string') {
          const written = await run.writeReport(v.out, { png: v.png === true });
          ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots${written.pngs.length ? `, ${written.pngs.length} PNG` : ''} and ${written.html}`);
        }
        if ((await emitJson(ctx, resultDocument(run.report, new Date().toISOString()))) === 'stdout') return;
        ctx.io.stdout.write(run.text);
      } finally {
        await lock?.release();
      }
    },
  };
}
