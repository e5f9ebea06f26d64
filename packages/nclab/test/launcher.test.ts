import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: the launcher is plain JavaScript without declarations
import { HUGE_PAGES_TUNABLE, hugePageEnv } from '../bin/launch.mjs';
import { hugePageReport, kernelThpMode } from '../src/cli/huge-pages.js';

const LAUNCH = pathToFileURL(fileURLToPath(new URL('../bin/launch.mjs', import.meta.url))).href;
const dir = mkdtempSync(join(tmpdir(), 'nclab-launcher-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A launcher like bin/nclab.mjs whose target is `target` instead of the built CLI. */
function launcherFor(target: string, body: string): string {
  const t = join(dir, `${target}.mjs`);
  writeFileSync(t, body);
  const l = join(dir, `launch-${target}.mjs`);
  writeFileSync(l, `import { hugePageEnv, relaunch } from '${LAUNCH}';\nrelaunch(${JSON.stringify(t)}, process.argv.slice(2), hugePageEnv(process.env, 'linux'));\n`);
  return l;
}

describe('the launcher environment (bin/launch.mjs)', () => {
  it('adds glibc.malloc.hugetlb=1 on Linux, after any tunables already set', () => {
    expect(hugePageEnv({ PATH: '/bin' }, 'linux')).toEqual({ PATH: '/bin', GLIBC_TUNABLES: HUGE_PAGES_TUNABLE });
    expect(hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux')?.GLIBC_TUNABLES).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
  });

  it('leaves the environment alone elsewhere, when opted out, or when the user chose a hugetlb value', () => {
    expect(hugePageEnv({}, 'darwin')).toBeNull();
    expect(hugePageEnv({}, 'win32')).toBeNull();
    expect(hugePageEnv({ NCLAB_HUGEPAGES: '0' }, 'linux')).toBeNull();
    expect(hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' }, 'linux')).toBeNull();
    expect(hugePageEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' }, 'linux')).toBeNull();
  });

  it('starts the target with the tunable and the same arguments, and exits with its status', () => {
    const l = launcherFor('echo', 'process.stdout.write(JSON.stringify({ t: process.env.GLIBC_TUNABLES, args: process.argv.slice(2) }), () => process.exit(7));');
    const r = spawnSync(process.execPath, [l, '--flag', 'a b'], { encoding: 'utf8', env: { ...process.env, GLIBC_TUNABLES: '' } });
    expect(r.status).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ t: HUGE_PAGES_TUNABLE, args: ['--flag', 'a b'] });
  });

  it('passes SIGTERM to the target and dies of the same signal, leaving no process behind', async () => {
    const l = launcherFor('wait', "process.on('SIGTERM', () => process.stdout.write('term\\n', () => process.exit(143))); process.stdout.write(process.pid + '\\n'); setInterval(() => {}, 1000);");
    const p = spawn(process.execPath, [l], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const childPid = await new Promise<number>((res) => p.stdout.on('data', (b: Buffer) => { out += b; if (out.includes('\n')) res(Number(out.split('\n')[0])); }));
    expect(Number.isInteger(childPid) && childPid !== p.pid).toBe(true);
    p.kill('SIGTERM');
    const [code] = await new Promise<[number | null, string | null]>((res) => p.on('exit', (c, s) => res([c, s])));
    expect(code).toBe(143); // the target's own handler ran (it got the signal) and its status came through
    expect(out).toContain('term');
    expect(() => process.kill(childPid, 0)).toThrow(); // gone
  });

  const mode = kernelThpMode();
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  const thpOnAdvice = process.platform === 'linux' && (mode === 'madvise' || mode === 'always') && glibc !== undefined && Number(glibc.split('.')[1]) >= 35;
  it.skipIf(!thpOnAdvice)('under the launcher a large typed array lands on huge pages (AnonHugePages grows)', () => {
    const probe = "const a = new Float64Array(64 * 1024 * 1024); for (let i = 0; i < a.length; i += 512) a[i] = 1; const m = /AnonHugePages:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/smaps_rollup', 'utf8')); process.stdout.write(m ? m[1] : '-1');";
    const l = launcherFor('thp', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${probe}`);
    const env = { ...process.env, GLIBC_TUNABLES: '' };
    const launched = Number(spawnSync(process.execPath, [l], { encoding: 'utf8', env }).stdout);
    // 512 MiB written page by page: with the advice most of it is in 2 MiB pages
    expect(launched).toBeGreaterThan(256 * 1024);
    if (mode === 'madvise') {
      const t = join(dir, 'thp.mjs');
      const plain = Number(spawnSync(process.execPath, [t], { encoding: 'utf8', env }).stdout);
      expect(plain).toBeLessThan(launched / 4); // without the advice the kernel gives 4 KiB pages
    }
  });
});

describe('nclab info: memory', () => {
  it('reports huge pages from the tunable and the kernel mode', () => {
    expect(hugePageReport({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, 'madvise')).toMatchObject({ hugePages: true, kernelMode: 'madvise' });
    expect(hugePageReport({}, 'madvise')).toMatchObject({ hugePages: false, glibcTunables: null });
    expect(hugePageReport({}, 'madvise').detail).toMatch(/NCLAB_HUGEPAGES=0/);
    expect(hugePageReport({}, 'always').hugePages).toBe(true);
    expect(hugePageReport({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' }, 'never').hugePages).toBe(false);
    expect(hugePageReport({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=10' }, 'madvise').hugePages).toBe(false);
    expect(hugePageReport({}, null).kernelMode).toBeNull();
  });

  it('reads the bracketed kernel mode', () => {
    expect(kernelThpMode(() => 'always [madvise] never\n')).toBe('madvise');
    expect(kernelThpMode(() => { throw new Error('ENOENT'); })).toBeNull();
    if (existsSync('/sys/kernel/mm/transparent_hugepage/enabled')) expect(['always', 'madvise', 'never']).toContain(kernelThpMode());
    else expect(kernelThpMode()).toBeNull();
  });
});
