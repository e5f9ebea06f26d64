/**
 * The CLI front of a job: parsed flags → the job's options → {@link Job.run} → `--out` directory,
 * `--json` document and the printed summary. Every job command (and so `nclab run` and
 * `nclab sweep`, which invoke commands in-process) goes through here.
 */
import type { AnyJob } from '../jobs/job.js';
import { resultDocument } from '../report/write.js';
import type { CliCommand } from './command.js';
import { emitJson } from './context.js';
import { setupEngine } from './engine.js';
import type { CommandSpec } from './spec.js';

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
      const options: unknown = await job.fromFlags(v as never);
      const engine = await setupEngine(ctx);
      const run = await job.run(options, { progress: ctx.progress, command: ctx.commandLine, engine: { ...engine } });
      if (typeof v.out === 'string') {
        const written = await run.writeReport(v.out, { png: v.png === true });
        ctx.info(`wrote ${written.result}, ${written.svgs.length} SVG plots${written.pngs.length ? `, ${written.pngs.length} PNG` : ''} and ${written.html}`);
      }
      if ((await emitJson(ctx, resultDocument(run.report, new Date().toISOString()))) === 'stdout') return;
      ctx.io.stdout.write(run.text);
    },
  };
}
