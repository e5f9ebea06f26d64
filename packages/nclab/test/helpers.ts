import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

/** A writable stream collecting text. */
export class Buffered extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Runs the CLI in-process (fast) and returns its exit code and outputs. */
export async function runInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Buffered();
  const stderr = new Buffered();
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const here = dirname(fileURLToPath(import.meta.url));
/** The CLI source entry. */
export const CLI = join(here, '..', 'src', 'cli.ts');

/** Spawns the real executable from source through tsx (as a user's shell would run it). */
export function spawnCli(argv: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=@nclab/source', '--import', 'tsx', CLI, ...argv], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every key path of a JSON document (`$.a.b`, `$.rows[].c`): what the result.json key-set fixtures pin. */
export function jsonKeyPaths(doc: unknown): Set<string> {
  const paths = new Set<string>();
  const walk = (v: unknown, p: string) => {
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object' && !Array.isArray(x)) walk(x, `${p}[]`);
      return;
    }
    if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) { paths.add(`${p}.${k}`); walk(x, `${p}.${k}`); }
  };
  walk(doc, '$');
  return paths;
}
