/**
 * A self-contained, offline `report.html`: configuration, engine, timings, metric tables and the
 * plots inlined as SVG. No scripts, no external stylesheets, fonts or images.
 */
import { formatCell, tableColumns, type ReportTable } from './table.js';

/** A rendered plot ready to inline. */
export interface RenderedPlot {
  /** File stem (`nc1`), also the HTML anchor. */
  name: string;
  title: string;
  caption?: string;
  svg: string;
}

/** Everything `report.html` shows. */
export interface HtmlReportInput {
  title: string;
  /** Command line or pipeline that produced the run. */
  command?: string;
  createdAt: string;
  /** The nclab version and git commit (from a clone) that produced the run. */
  provenance?: { version: string; commit: string | null };
  config: Record<string, unknown>;
  engine?: Record<string, unknown>;
  /** Phase → seconds. */
  timings: Record<string, number>;
  tables: ReportTable[];
  plots: RenderedPlot[];
  notes?: string[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function keyValueTable(obj: Record<string, unknown>): string {
  const rows = Object.entries(obj)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'string' ? v : formatCell(v))}</td></tr>`);
  return `<table class="kv">${rows.join('')}</table>`;
}

function dataTable(t: ReportTable): string {
  const cols = tableColumns(t);
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${cols.map((c) => `<td${typeof r[c] === 'number' ? ' class="num"' : ''}>${escapeHtml(formatCell(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const caption = t.caption ? `<p class="caption">${escapeHtml(t.caption)}</p>` : '';
  return `<h3>${escapeHtml(t.title)}</h3>\n<table class="data"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${caption}`;
}

/**
 * Prepares an SVG for inlining: strips an XML prolog / doctype and prefixes every `id` (and the
 * `url(#…)` / `href="#…"` references to it) with the plot name, so the clip paths and gradients
 * of several inlined plots cannot collide.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  return svg
    .replace(/^\s*<\?xml[^>]*>\s*/i, '')
    .replace(/^\s*<!DOCTYPE[^>]*>\s*/i, '')
    .replace(/\bid="([^"]+)"/g, `id="${p}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${p}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${p}-$1"`);
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}table.kv th{background:#f6f8fa;font-weight:600}
thead th{background:#f6f8fa}.caption,.meta{color:#57606a;font-size:.9rem}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}`;

/**
 * Renders the report page. Pure: input in, HTML text out.
 *
 * @param input - title, configuration, engine, timings, tables and rendered plots.
 * @returns a complete HTML5 document with the plots inlined as SVG.
 * @example
 * const html = renderReportHtml({ title: 'Deep RFM', createdAt: new Date().toISOString(),
 *   config: { depth: 8 }, timings: { total: 12.3 }, tables: [], plots: [] });
 */
export function renderReportHtml(input: HtmlReportInput): string {
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${escapeHtml(input.title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>`);
  parts.push(`<h1>${escapeHtml(input.title)}</h1>`);
  parts.push(`<p class="meta">Created ${escapeHtml(input.createdAt)} by nclab${input.provenance ? ` ${escapeHtml(input.provenance.version)}${input.provenance.commit ? ` (commit <code>${escapeHtml(input.provenance.commit)}</code>)` : ''}` : ''}.${input.command ? ` Command: <code>${escapeHtml(input.command)}</code>` : ''}</p>`);
  if (input.notes?.length) parts.push(`<ul>${input.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  parts.push('<h2>Configuration</h2>', keyValueTable(input.config));
  if (input.engine) parts.push('<h2>Engine</h2>', keyValueTable(input.engine));
  const timings = Object.fromEntries(Object.entries(input.timings).map(([k, v]) => [k, `${formatCell(v)} s`]));
  parts.push('<h2>Timings</h2>', keyValueTable(timings));
  if (input.tables.length) parts.push('<h2>Metrics</h2>', ...input.tables.map(dataTable));
  if (input.plots.length) {
    parts.push('<h2>Plots</h2>');
    for (const p of input.plots) {
      const caption = p.caption ? `<figcaption class="caption">${escapeHtml(p.caption)}</figcaption>` : '';
      parts.push(`<figure id="${escapeHtml(p.name)}">\n${inlineSvg(p.svg, p.name)}\n${caption}</figure>`);
    }
  }
  parts.push('</body>\n</html>\n');
  return parts.join('\n');
}
