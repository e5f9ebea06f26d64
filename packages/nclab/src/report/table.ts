/**
 * Plain-text tables for terminals and number formatting shared by text and HTML reports.
 */

/** A table of rows (objects keyed by column name) with a title. */
export interface ReportTable {
  title: string;
  /** Column order; default: keys of the first row. */
  columns?: string[];
  rows: Record<string, unknown>[];
  /** One sentence under the table (conventions, units). */
  caption?: string;
}

/**
 * Formats a cell: integers as is, other numbers with 4 significant digits (scientific below 1e-3
 * or above 1e5), `null`/non-finite as `–`, arrays abbreviated.
 *
 * @param v - the value.
 * @returns display text.
 */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '–';
    if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
    return Number(v.toPrecision(4)).toString();
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = Array.from(v as ArrayLike<unknown>);
    const shown = arr.slice(0, 4).map(formatCell).join(', ');
    return `[${shown}${arr.length > 4 ? `, … (${arr.length})` : ''}]`;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Columns of a table: the declared ones, else the union of row keys in first-seen order. */
export function tableColumns(table: ReportTable): string[] {
  if (table.columns) return table.columns;
  const seen = new Set<string>();
  for (const r of table.rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * Renders a table as aligned monospace text (numbers right-aligned).
 *
 * @param table - title, columns, rows.
 * @returns text ending in a newline.
 * @example
 * formatTextTable({ title: 'NC', rows: [{ layer: 1, nc1: 0.5 }] });
 * // 'NC\nlayer  nc1\n    1  0.5\n'
 */
export function formatTextTable(table: ReportTable): string {
  const cols = tableColumns(table);
  const cells = table.rows.map((r) => cols.map((c) => formatCell(r[c])));
  const numeric = cols.map((c) => table.rows.every((r) => r[c] === null || r[c] === undefined || typeof r[c] === 'number'));
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const line = (row: string[]) => row.map((s, j) => (numeric[j] ? s.padStart(widths[j]) : s.padEnd(widths[j]))).join('  ').trimEnd();
  const out = [table.title, line(cols), ...cells.map(line)];
  if (table.caption) out.push(table.caption);
  return `${out.join('\n')}\n`;
}
