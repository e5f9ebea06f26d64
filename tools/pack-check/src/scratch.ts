/**
 * A scratch project as a user has one: an empty folder, the tarballs installed with npm (no workspace
 * links), README examples written as `examples/<name>.ts` and type-checked with `strict`.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The npm executable for `spawnSync`. */
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs a command to completion and returns its result (text output).
 * @param env - the environment (see `scratchEnv`).
 */
export function runIn(cmd: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args as string[], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
}

/** The last 30 lines of what a command said (spawn error, stdout, stderr), for assertion messages. */
export function said(r: SpawnSyncReturns<string>): string {
  return `${r.error?.message ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
}

/** Options of {@link installScratch}. */
export interface ScratchOptions {
  /** The monorepo root (TypeScript and `@types/node` come from its node_modules). */
  readonly root: string;
  /** Environment of the npm and tsc commands. */
  readonly env: NodeJS.ProcessEnv;
  /** Tarball paths to `npm install` together. */
  readonly tarballs: readonly string[];
  /** Example programs: file stem → code (written as `examples/<stem>.ts`). */
  readonly examples: ReadonlyMap<string, string>;
}

/**
 * Creates `project` (package.json, examples, strict tsconfig), installs the tarballs and type-checks the
 * examples into `out/` (tsc emits even with errors, so a diagnostic fails only its own example).
 * @returns tsc's diagnostics text.
 * @throws {Error} when `npm install` fails.
 */
export function installScratch(project: string, options: ScratchOptions): string {
  const { root, env, tarballs, examples } = options;
  mkdirSync(join(project, 'examples'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'nclab-pack-check', private: true, type: 'module' }, null, 2));
  const install = runIn(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], project, 600_000, env);
  if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${said(install)}`);
  for (const [stem, code] of examples) writeFileSync(join(project, 'examples', `${stem}.ts`), code);
  // Strict TypeScript as a user's project has it; Node's types from the monorepo's @types/node.
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out', rootDir: 'examples',
      skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
    },
    include: ['examples/*.ts'],
  }, null, 2));
  const tsc = runIn(process.execPath, [join(root, 'node_modules', 'typescript', 'lib', 'tsc.js'), '-p', 'tsconfig.json', '--pretty', 'false'], project, 300_000, env);
  return `${tsc.stdout ?? ''}${tsc.stderr ?? ''}`;
}
