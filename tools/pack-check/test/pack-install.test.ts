/**
 * Pack-install-run: what a user gets before a release. Every package of packages/ is `npm pack`ed,
 * the tarballs are installed together into one empty scratch project (no workspace links: the
 * packages resolve each other from the tarballs, everything else from the registry), and each
 * package README's example (its first ```ts fence, a complete program) is type-checked with
 * `strict` and run with Node. Needs the packages built (nx runs `^build` first) and the npm
 * registry; skipped with a message when the registry cannot be reached.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeExample, scratchEnv, tarballName } from '../src/examples.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const env = scratchEnv(process.env);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd: string, args: string[], cwd: string, timeout: number): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
const said = (r: SpawnSyncReturns<string>) => `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');

interface Pkg { dir: string; name: string; version: string; example?: string }
const packages: Pkg[] = readdirSync(join(root, 'packages'))
  .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
  .map((d) => {
    const pj = JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) as { name: string; version: string };
    const readme = join(root, 'packages', d, 'README.md');
    return { dir: d, name: pj.name, version: pj.version, example: existsSync(readme) ? readmeExample(readFileSync(readme, 'utf8')) : undefined };
  });

const ping = run(npm, ['ping', '--loglevel=error'], root, 30_000);
const online = ping.status === 0;
if (!online) console.warn(`[pack-check] SKIPPED pack-install-run: the npm registry is unreachable (npm ping: ${said(ping).split('\n').pop() ?? 'no answer'})`);

describe.skipIf(!online)('packed packages installed into an empty project run their README examples', () => {
  let work = '';
  let project = '';
  let diagnostics = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'nclab-pack-'));
    const packs = join(work, 'packs');
    project = join(work, 'project');
    mkdirSync(packs);
    mkdirSync(join(project, 'examples'), { recursive: true });
    for (const p of packages) {
      if (!existsSync(join(root, 'packages', p.dir, 'dist'))) throw new Error(`packages/${p.dir}/dist is missing: build first (npx nx run-many -t build)`);
    }
    const pack = run(npm, ['pack', '--loglevel=error', '--pack-destination', packs, ...packages.flatMap((p) => ['--workspace', p.name])], root, 300_000);
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${said(pack)}`);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'nclab-pack-check', private: true, type: 'module' }, null, 2));
    const tarballs = packages.map((p) => join(packs, tarballName(p.name, p.version)));
    const install = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], project, 600_000);
    if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${said(install)}`);
    for (const p of packages) if (p.example) writeFileSync(join(project, 'examples', `${p.dir}.ts`), p.example);
    // Strict TypeScript as a user's project has it; Node's types from the monorepo's @types/node.
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out', rootDir: 'examples',
        skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: ['examples/*.ts'],
    }, null, 2));
    const tsc = run(process.execPath, [join(root, 'node_modules', 'typescript', 'lib', 'tsc.js'), '-p', 'tsconfig.json', '--pretty', 'false'], project, 300_000);
    diagnostics = `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`;
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('every package has a README example', () => {
    expect(packages.filter((p) => !p.example).map((p) => p.name)).toEqual([]);
  });

  it('@nclab/backend/host, as installed from the tarball, loads no @tensorflow module', () => {
    // A module hook that refuses every `@tensorflow/*` specifier: the import fails if the host entry reaches tfjs.
    const block = 'export async function resolve(s, c, next) { if (s.startsWith("@tensorflow/")) throw new Error("tfjs-blocked " + s); return next(s, c); }';
    const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(block)}`)});`;
    const importIn = (spec: string) => run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e',
      `const m = await import(${JSON.stringify(spec)}); if (typeof m.gemm !== 'function') process.exit(3);`], project, 60_000);
    const host = importIn('@nclab/backend/host');
    expect(host.status, `import @nclab/backend/host:\n${said(host)}`).toBe(0);
    const full = importIn('@nclab/backend');
    expect(said(full), 'control: the full entry loads tfjs-core').toContain('tfjs-blocked @tensorflow/tfjs-core');
  });

  for (const p of packages) {
    it(`${p.name}: the README example type-checks (strict) and runs`, () => {
      const errors = diagnostics.split('\n').filter((l) => l.startsWith(`examples/${p.dir}.ts(`));
      expect(errors, `TypeScript errors in the ${p.name} README example`).toEqual([]);
      const js = join(project, 'out', `${p.dir}.js`);
      expect(existsSync(js), `tsc emitted nothing for ${p.dir}:\n${diagnostics}`).toBe(true);
      const r = run(process.execPath, [js], project, 170_000);
      expect(r.status, `node out/${p.dir}.js:\n${said(r)}`).toBe(0);
    });
  }
});
