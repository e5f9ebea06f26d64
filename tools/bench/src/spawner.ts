/**
 * A small helper process that runs the peers for the harness. Spawning a peer forks the process that
 * spawns it, and after a fork every page of the parent is copy-on-write: each page ours writes next
 * takes a fault (about 12 µs on the project's 2-core machine). The MLP epoch bench wrote some 2,000
 * pages a run, so the four runs after every peer round took 80–110 ms instead of 50. The helper starts
 * before any bench allocates, keeps a small heap, and forks instead of the bench process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What one helper-spawned command gave (the fields of `spawnSync`'s result the harness reads). */
export interface SpawnResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Why the command could not start (or timed out), else null. */
  error: string | null;
}

/** Options of one command run by the helper. */
export interface SpawnRequest {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxBuffer: number;
}

/** The helper process: runs commands one at a time, in the order asked. */
export interface Spawner {
  run(command: string, args: readonly string[], options: SpawnRequest): Promise<SpawnResult>;
  /** Ends the helper (pending runs reject). */
  close(): void;
}

// The helper's whole program: one JSON request per stdin line, one JSON result per stdout line.
const CHILD = `
const { spawnSync } = require('node:child_process');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const q = JSON.parse(line);
  const r = spawnSync(q.command, q.args, { env: q.env, encoding: 'utf8', timeout: q.timeoutMs, maxBuffer: q.maxBuffer });
  const error = r.error ? r.error.message : null;
  process.stdout.write(JSON.stringify({ id: q.id, status: r.status, signal: r.signal, stdout: r.stdout || '', stderr: r.stderr || '', error }) + '\\n');
});
`;

/**
 * Starts the helper. Call it before loading the benches (while this process is small) and `close` it
 * at the end.
 * @returns the spawner.
 * @example
 * const sp = startSpawner();
 * const r = await sp.run('python3', ['-c', 'print(1)'], { env: process.env, timeoutMs: 10_000, maxBuffer: 1 << 20 });
 * sp.close();
 */
export function startSpawner(): Spawner {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map<number, { resolve: (r: SpawnResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let ended: Error | null = null;
  const fail = (e: Error): void => {
    ended ??= e;
    for (const p of pending.values()) p.reject(ended);
    pending.clear();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const r = JSON.parse(line) as SpawnResult & { id: number };
    const p = pending.get(r.id);
    pending.delete(r.id);
    p?.resolve({ status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, error: r.error });
  });
  child.on('exit', (code, signal) => fail(new Error(`the peer spawner exited (${signal ?? code})`)));
  child.on('error', (e) => fail(e));
  child.stderr.resume();
  return {
    run(command, args, options) {
      if (ended) return Promise.reject(ended);
      const id = nextId++;
      return new Promise<SpawnResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ id, command, args, ...options })}\n`);
      });
    },
    close() {
      fail(new Error('the peer spawner was closed'));
      child.stdin.end();
      child.kill();
    },
  };
}
