import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBench, runNodeProcess } from '../src/index.js';
import { runBench } from '../src/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'nclab-bench-process-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}

describe('runNodeProcess', () => {
  it("reads the child's own peak RSS and CPU time, not the parent's", () => {
    // 400 MB touched page by page, then ~0.3 s of pure computation
    const p = script('work.mjs', `
      const a = new Float64Array(50_000_000); for (let i = 0; i < a.length; i += 512) a[i] = i;
      const t = performance.now(); let s = 0; while (performance.now() - t < 300) s += Math.sqrt(s + 1);
      process.stdout.write(String(a[512] + (s > 0 ? 1 : 0)));`);
    const u = runNodeProcess(p, []);
    expect(u.stdout.trim()).toBe('513');
    expect(u.peakRssBytes).toBeGreaterThan(400e6);
    expect(u.cpuSeconds).toBeGreaterThan(0.25);
    expect(u.wallSeconds).toBeGreaterThanOrEqual(0.3);
    // a small child: its peak is far below the big one's, so the figure is per process
    expect(runNodeProcess(script('small.mjs', 'process.stdout.write("1")'), []).peakRssBytes).toBeLessThan(200e6);
  });

  it('sums CPU and peak RSS over the Node processes the child starts with its Node options (a launcher)', () => {
    const inner = script('inner.mjs', 'const a = new Float64Array(40_000_000); for (let i = 0; i < a.length; i += 512) a[i] = 1; process.stdout.write(String(a[0]));');
    const outer = script('outer.mjs', `import { spawnSync } from 'node:child_process'; const r = spawnSync(process.execPath, [...process.execArgv, ${JSON.stringify(inner)}], { stdio: 'inherit' }); process.exit(r.status);`);
    const u = runNodeProcess(outer, []);
    expect(u.processes).toBe(2);
    expect(u.peakRssBytes).toBeGreaterThan(320e6); // the inner 320 MB array is counted
    expect(u.stdout.trim()).toBe('1');
    expect(runNodeProcess(inner, []).processes).toBe(1);
  });

  it('passes arguments and environment, and throws with the stderr tail on a non-zero exit', () => {
    const p = script('echo.mjs', 'process.stdout.write(`${process.argv.slice(2).join(",")} ${process.env.X_TEST}`); if (process.argv[2] === "fail") { console.error("boom"); process.exit(3); }');
    expect(runNodeProcess(p, ['a', 'b'], { env: { X_TEST: 'y' } }).stdout.trim()).toBe('a,b y');
    expect(() => runNodeProcess(p, ['fail'])).toThrow(/exited with 3: boom/);
  });

  it("a bench's cpuSeconds hook replaces the harness's own CPU reading", async () => {
    const p = script('spin.mjs', 'const t = performance.now(); while (performance.now() - t < 200);');
    const bench = defineBench({ name: 'child', repeats: 1, warmup: 0, run: () => runNodeProcess(p, []), cpuSeconds: (r) => (r as { cpuSeconds: number }).cpuSeconds });
    const out = await runBench(bench, { file: 'x', noPeer: true, numpy: { ok: false, reason: 'test' } });
    expect(out.ours?.cpu_median_s).toBeGreaterThan(0.15); // the parent only waited
    expect(() => defineBench({ name: 'bad', run: () => 0, cpuSeconds: 1 as never })).toThrow(/cpuSeconds/);
  });
});
