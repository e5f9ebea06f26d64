/**
 * Writes a run directory: `result.json`, one SVG per plot (PNG on request) and `report.html`.
 * Every plot is rendered in memory before the first file is written, and every file is written
 * atomically, so a failure never leaves a partial output file.
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '@nclab/backend';
import { renderReportHtml, type RenderedPlot } from './html.js';
import { provenance } from './provenance.js';
import { svgToPng } from './png.js';
import type { VegaLiteSpec } from './render.js';
import { renderSvgAnywhere } from './render-worker.js';
import type { ReportTable } from './table.js';

/** A plot to render: file stem, title, caption and its Vega-Lite spec. */
export interface ReportPlot {
  /** File stem: `nc1` → `nc1.svg` (letters, digits, `-`, `_`). */
  name: string;
  title: string;
  caption?: string;
  spec: VegaLiteSpec;
}

/**
 * The outcome of a pipeline in report form. `result` is what `result.json` holds (merged with
 * the run metadata); `tables` and `plots` are what `report.html` shows.
 */
export interface RunReport {
  /** Pipeline name (`deep-rfm`, `metrics`, `ufm`, `spectra`, `probe`). */
  kind: string;
  title: string;
  /** The command line, when run from the CLI. */
  command?: string;
  config: Record<string, unknown>;
  engine?: Record<string, unknown>;
  /** Phase → seconds. */
  timings: Record<string, number>;
  /** Machine-readable result (top-level keys per the command's contract). */
  result: Record<string, unknown>;
  tables: ReportTable[];
  plots: ReportPlot[];
  notes?: string[];
}

/** Options of {@link writeRunReport}. */
export interface WriteReportOptions {
  /** Also write `NAME.png` next to each SVG (resvg). */
  png?: boolean;
  /** Skip `report.html` and the plots (result.json only). */
  resultOnly?: boolean;
}

/** Files written by {@link writeRunReport}. */
export interface WrittenReport {
  dir: string;
  result: string;
  html?: string;
  svgs: string[];
  pngs: string[];
}

/**
 * The object stored in `result.json`: the result's own keys at top level, plus `command`,
 * `config`, `engine`, `timings_s` (unless the result has its own `timings` block) and `created_at`,
 * `nclab_version` and `git_commit` (null outside a clone).
 *
 * @param report - the run report.
 * @param createdAt - ISO timestamp.
 * @returns the JSON-ready object.
 */
export function resultDocument(report: RunReport, createdAt: string): Record<string, unknown> {
  return {
    kind: report.kind,
    ...report.result,
    config: report.config,
    engine: report.engine ?? null,
    // a result with its own `timings` block (deep-rfm: total_seconds, per_phase, resumed_from_layer)
    // is not repeated as `timings_s`
    ...('timings' in report.result ? {} : { timings_s: report.timings }),
    created_at: createdAt,
    nclab_version: provenance().version,
    git_commit: provenance().commit,
    ...(report.command ? { command: report.command } : {}),
  };
}

/**
 * Renders the plots and writes the run directory.
 *
 * @param dir - output directory (created if missing).
 * @param report - the run report.
 * @param options - PNG output, result-only mode.
 * @returns the paths written.
 * @throws Error from Vega if a plot spec is invalid (nothing is written then).
 * @example
 * await writeRunReport('runs/deep-rfm-mnist', report, { png: true });
 */
export async function writeRunReport(dir: string, report: RunReport, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const createdAt = new Date().toISOString();
  const rendered: RenderedPlot[] = [];
  const pngBytes: Uint8Array[] = [];
  if (!options.resultOnly) {
    for (const plot of report.plots) {
      if (!/^[A-Za-z0-9_-]+$/.test(plot.name)) throw new Error(`plot name \`${plot.name}\` must use letters, digits, '-' or '_'`);
      const svg = await renderSvgAnywhere(plot.spec);
      rendered.push({ name: plot.name, title: plot.title, caption: plot.caption, svg });
      if (options.png) pngBytes.push(await svgToPng(svg));
    }
  }
  const html = options.resultOnly
    ? undefined
    : renderReportHtml({
        title: report.title,
        command: report.command,
        createdAt,
        provenance: provenance(),
        config: report.config,
        engine: report.engine,
        timings: report.timings,
        tables: report.tables,
        plots: rendered,
        notes: report.notes,
      });
  const written: WrittenReport = { dir, result: join(dir, 'result.json'), svgs: [], pngs: [] };
  for (let i = 0; i < rendered.length; i++) {
    written.svgs.push(await writeFileAtomic(join(dir, `${rendered[i].name}.svg`), rendered[i].svg));
    if (options.png) written.pngs.push(await writeFileAtomic(join(dir, `${rendered[i].name}.png`), pngBytes[i]));
  }
  await writeJsonAtomic(written.result, resultDocument(report, createdAt));
  if (html !== undefined) written.html = await writeFileAtomic(join(dir, 'report.html'), html);
  return written;
}
