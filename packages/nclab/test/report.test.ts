import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJson, writeFileAtomic } from '@nclab/backend';
import { escapeHtml, inlineSvg, renderReportHtml } from '../src/report/html.js';
import { heatmapSpec, lineChartSpec, strideIndices } from '../src/report/plots.js';
import { svgToPng } from '../src/report/png.js';
import { renderSvg } from '../src/report/render.js';
import { formatCell, formatTextTable } from '../src/report/table.js';
import { writeRunReport, type RunReport } from '../src/report/write.js';
import { xmlProblems } from './xml.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nclab-report-'));

describe('writeFileAtomic', () => {
  it('replaces the target in one step and leaves no temporary file', async () => {
    const dir = tmp();
    const file = join(dir, 'sub', 'a.txt');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.txt']);
  });

  it('leaves the old content and no temp file when the write fails', async () => {
    const dir = tmp();
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'old');
    // a directory cannot be renamed over by a file: rename fails after the temp file was written
    const blocked = join(dir, 'blocked');
    await writeFileAtomic(join(blocked, 'x'), 'x');
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'blocked']);
  });
});

describe('toJson', () => {
  it('writes typed arrays as arrays and non-finite numbers as null', () => {
    expect(JSON.parse(toJson({ a: new Float64Array([1, 2]), b: NaN, c: Infinity, d: 0.5 }))).toEqual({ a: [1, 2], b: null, c: null, d: 0.5 });
  });
});

describe('tables', () => {
  it('formats numbers with 4 significant digits and missing values as a dash', () => {
    expect(formatCell(0.123456)).toBe('0.1235');
    expect(formatCell(1.5e-7)).toBe('1.500e-7');
    expect(formatCell(42)).toBe('42');
    expect(formatCell(null)).toBe('–');
    expect(formatCell(NaN)).toBe('–');
    expect(formatCell([1, 2, 3, 4, 5, 6])).toBe('[1, 2, 3, 4, … (6)]');
  });

  it('aligns numeric columns to the right', () => {
    const text = formatTextTable({ title: 'T', rows: [{ layer: 1, nc1: 0.5 }, { layer: 10, nc1: 0.25 }] });
    expect(text).toBe('T\nlayer   nc1\n    1   0.5\n   10  0.25\n');
  });
});

describe('plot specs', () => {
  it('drops points a log axis cannot show and keeps the series order', () => {
    const spec = lineChartSpec(
      [
        { x: 1, y: 0.5, series: 'input' },
        { x: 2, y: 0, series: 'input' },
        { x: 1, y: null, series: 'after AGOP' },
        { x: 2, y: 1e-3, series: 'after AGOP' },
      ],
      { title: 't', xTitle: 'layer', yTitle: 'NC1', logY: true },
    ) as unknown as { data: { values: unknown[] }; encoding: { y: { scale: { type: string } }; color: { sort: string[] } } };
    expect(spec.data.values).toHaveLength(2);
    expect(spec.encoding.y.scale.type).toBe('log');
    expect(spec.encoding.color.sort).toEqual(['input', 'after AGOP']);
  });

  it('gives every heat map panel the same symmetric diverging range', () => {
    const a = [[1, -0.5], [-0.5, 1]];
    const b = [[3, -2], [-2, 0.1]];
    const spec = heatmapSpec([{ title: 'a', values: a }, { title: 'b', values: b }], { title: 'Gram' }) as unknown as {
      concat: { layer: { encoding: { color: { scale: { domain: number[]; domainMid: number; scheme: string } } } }[] }[];
    };
    for (const panel of spec.concat) {
      expect(panel.layer[0].encoding.color.scale.domain).toEqual([-3, 3]);
      expect(panel.layer[0].encoding.color.scale.domainMid).toBe(0);
      expect(panel.layer[0].encoding.color.scale.scheme).toBe('redblue');
    }
  });

  it('draws class boundaries and labels each class block when labels are given', () => {
    const g = [[1, 1, -1, -1], [1, 1, -1, -1], [-1, -1, 1, 1], [-1, -1, 1, 1]];
    const spec = heatmapSpec([{ title: 'g', values: g, labels: [3, 3, 7, 7] }], { title: 'Gram', panelSize: 240 }) as unknown as {
      concat: { width: number; layer: { mark: { type: string }; data: { values: Record<string, number>[] }; encoding: { x: { axis: { values: number[]; labelExpr: string } } } }[] }[];
    };
    const panel = spec.concat[0];
    expect(panel.width).toBe(240);
    const rules = panel.layer.find((l) => l.mark.type === 'rule');
    // one boundary (between rows 1 and 2), drawn vertically and horizontally
    expect(rules?.data.values).toEqual([{ x: 2, x2: 2, y: 0, y2: 4 }, { x: 0, x2: 4, y: 2, y2: 2 }]);
    const axis = panel.layer[0].encoding.x.axis;
    expect(axis.values).toEqual([1, 3]);
    expect(axis.labelExpr).toContain("'3'");
    expect(axis.labelExpr).toContain("'7'");
    expect(() => heatmapSpec([{ title: 'g', values: g, labels: [0, 1] }], { title: 't' })).toThrow(/labels/);
  });

  it('lays four panels out as a 2 × 2 grid and three in one row', () => {
    const one = { title: 'p', values: [[1]] };
    expect((heatmapSpec([one, one, one, one], { title: 't' }) as unknown as { columns: number }).columns).toBe(2);
    expect((heatmapSpec([one, one, one], { title: 't' }) as unknown as { columns: number }).columns).toBe(3);
  });

  it('subsamples large matrices with a uniform stride', () => {
    expect(strideIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(strideIndices(3, 80)).toEqual([0, 1, 2]);
  });

  it('rejects non-square or non-finite heat map input', () => {
    expect(() => heatmapSpec([{ title: 'a', values: [[1, 2], [3]] }], { title: 't' })).toThrow(/square/);
    expect(() => heatmapSpec([{ title: 'a', values: [[1, NaN], [0, 1]] }], { title: 't' })).toThrow(/finite/);
    expect(() => heatmapSpec([], { title: 't' })).toThrow(/non-empty/);
  });
});

describe('rendering', () => {
  it('renders a log-scale line chart to well-formed SVG with the data drawn', async () => {
    const svg = await renderSvg(
      lineChartSpec(
        [1, 2, 3].flatMap((x) => [{ x, y: 10 ** -x, series: 'input' }, { x, y: 10 ** (-x - 1), series: 'after AGOP' }]),
        { title: 'NC1 per layer', xTitle: 'layer', yTitle: 'NC1', logY: true, integerX: true },
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('NC1 per layer');
    expect(svg).toContain('after AGOP');
    // two series × three layers: two line marks and six points
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(2);
    expect((svg.match(/aria-roledescription="point"/g) ?? []).length).toBe(6);
  });

  it('renders a heat map to SVG and rasterises it to PNG', async () => {
    const svg = await renderSvg(heatmapSpec([{ title: 'g', values: [[1, -1], [-1, 1]], labels: [0, 1] }], { title: 'Gram' }));
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('class');
    const png = await svgToPng(svg);
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });
});

describe('report.html', () => {
  it('escapes text and prefixes inlined SVG ids per plot', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    expect(inlineSvg('<?xml version="1.0"?><svg><clipPath id="c1"/><g clip-path="url(#c1)"/></svg>', 'nc1')).toBe(
      '<svg><clipPath id="nc1-c1"/><g clip-path="url(#nc1-c1)"/></svg>',
    );
  });

  it('is a self-contained document with configuration, timings, tables and inline plots', () => {
    const html = renderReportHtml({
      title: 'Deep RFM <test>',
      createdAt: '2026-01-01T00:00:00Z',
      config: { depth: 8, kernel: 'laplace' },
      engine: { engine: 'wasm' },
      timings: { total: 1.25 },
      tables: [{ title: 'per layer', rows: [{ layer: 1, nc1_in: 0.5 }] }],
      plots: [{ name: 'nc1', title: 'NC1', svg: '<svg xmlns="http://www.w3.org/2000/svg"><rect id="r"/></svg>' }],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('Deep RFM &lt;test&gt;');
    expect(html).toContain('<td>laplace</td>');
    expect(html).toContain('1.25 s');
    expect(html).toContain('<td class="num">0.5</td>');
    expect(html).toContain('<rect id="nc1-r"/>');
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(http/i);
  });
});

describe('writeRunReport', () => {
  const report = (plots: RunReport['plots']): RunReport => ({
    kind: 'demo',
    title: 'Demo run',
    config: { seed: 0 },
    timings: { total: 0.1 },
    result: { layers: [{ layer: 1, nc1_in: 0.5 }], value: NaN },
    tables: [{ title: 'layers', rows: [{ layer: 1, nc1_in: 0.5 }] }],
    plots,
  });
  const plot = { name: 'nc1', title: 'NC1', spec: lineChartSpec([{ x: 1, y: 0.5, series: 's' }], { title: 'NC1', xTitle: 'layer', yTitle: 'NC1' }) };

  it('writes result.json, the SVGs, the PNGs on request and report.html', async () => {
    const dir = join(tmp(), 'run');
    const written = await writeRunReport(dir, report([plot]), { png: true });
    expect(readdirSync(dir).sort()).toEqual(['nc1.png', 'nc1.svg', 'report.html', 'result.json']);
    const result = JSON.parse(readFileSync(written.result, 'utf8'));
    expect(result).toMatchObject({ kind: 'demo', layers: [{ layer: 1, nc1_in: 0.5 }], value: null, config: { seed: 0 } });
    expect(xmlProblems(readFileSync(join(dir, 'nc1.svg'), 'utf8'))).toEqual([]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<figure id="nc1">');
  });

  it('writes nothing when a plot cannot be rendered', async () => {
    const dir = join(tmp(), 'run');
    const bad = { name: 'bad', title: 'bad', spec: { mark: 'nonsense' } as never };
    await expect(writeRunReport(dir, report([plot, bad]))).rejects.toThrow();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('provenance in result.json and report.html', () => {
  it('records the nclab version and, from this clone, the git commit', async () => {
    const { provenance } = await import('../src/report/provenance.js');
    const { resultDocument } = await import('../src/report/write.js');
    const { renderReportHtml } = await import('../src/report/html.js');
    const p = provenance();
    const doc = resultDocument({ kind: 'x', title: 't', config: {}, timings: {}, tables: [], plots: [], result: {} } as never, '2026-01-01T00:00:00Z');
    expect(doc.nclab_version).toBe(p.version);
    expect(doc.git_commit).toBe(p.commit);
    // the tests run inside nclab's repository: a 40-hex commit, '-dirty' when tracked files changed
    if (p.commit !== null) expect(p.commit).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    const html = renderReportHtml({ title: 't', createdAt: 'now', provenance: { version: '1.2.3', commit: 'abc' }, config: {}, timings: {}, tables: [], plots: [] });
    expect(html).toContain('by nclab 1.2.3 (commit <code>abc</code>).');
  });
});

describe('line charts read without colour', () => {
  it('gives each curve its own dash, and plain tick labels on a log axis', async () => {
    const points = [1, 2, 3, 4].flatMap((x) => [
      { x, y: 2 ** x, series: 'NC1 after AGOP' },
      { x, y: 3 ** x, series: 'NC1 after the feature map' },
    ]);
    const spec = lineChartSpec(points, { title: 't', xTitle: 'layer', yTitle: 'NC1', logY: true }) as { encoding: Record<string, { field?: string }> };
    expect(spec.encoding.strokeDash.field).toBe('series');
    const svg = await renderSvg(spec as never);
    const dashes = new Set([...svg.matchAll(/stroke-dasharray="([^"]+)"/g)].map((m) => m[1]));
    expect(dashes.size).toBeGreaterThanOrEqual(1); // the second curve is dashed, the first solid
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain('2');
    expect(labels.some((l) => /e\+/.test(l))).toBe(false);
  });
});

describe('the render worker', () => {
  it('renders the same SVG as this thread, and reports an invalid spec as an Error', async () => {
    const { startRenderWorker, renderSvgAnywhere, stopRenderWorker } = await import('../src/report/render-worker.js');
    const spec = lineChartSpec(
      [0, 1, 2, 3].map((x) => ({ x, y: 2 ** -x, series: 'a' })),
      { title: 't', xTitle: 'x', yTitle: 'y', logY: true, integerX: true },
    );
    const here = await renderSvg(spec);
    expect(startRenderWorker()).toBe(true);
    try {
      expect(await renderSvgAnywhere(spec)).toBe(here);
      await expect(renderSvgAnywhere({ mark: 'no-such-mark' } as never)).rejects.toThrow(Error);
      // after a failed request the worker still renders
      expect(await renderSvgAnywhere(spec)).toBe(here);
    } finally {
      await stopRenderWorker();
    }
    expect(await renderSvgAnywhere(spec)).toBe(here); // no worker: in this thread
  });
});
