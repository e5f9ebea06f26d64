import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defineBench } from '../src/index.js';
import { runBench } from '../src/runner.js';
import { startSpawner } from '../src/spawner.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const fakeNumpy = { ok: true as const, python: '3', numpy: 'x', blasBuild: null, blasRuntime: null, unsetVariables: [] };
const opts = { env: process.env, timeoutMs: 30_000, maxBuffer: 1 << 20 };

describe('the peer spawner (a helper process that forks instead of the bench process)', () => {
  it('runs commands in order and returns their status and output; a missing command is an error, not a throw', async () => {
    const sp = startSpawner();
    try {
      const [a, b] = await Promise.all([
        sp.run(process.execPath, ['-e', 'console.log(process.pid); console.error("e"); process.exit(3)'], opts),
        sp.run(process.execPath, ['-e', 'console.log(process.env.SPAWNER_PROBE)'], { ...opts, env: { ...process.env, SPAWNER_PROBE: 'seen' } }),
      ]);
      expect(a.status).toBe(3);
      expect(Number(a.stdout.trim())).not.toBe(process.pid);
      expect(a.stderr.trim()).toBe('e');
      expect(b.stdout.trim()).toBe('seen');
      const c = await sp.run('/nonexistent/command', [], opts);
      expect(c.error).toMatch(/ENOENT/);
      expect(c.status).toBeNull();
    } finally {
      sp.close();
    }
  });

  it('rejects runs once closed', async () => {
    const sp = startSpawner();
    sp.close();
    await expect(sp.run(process.execPath, ['-e', '0'], opts)).rejects.toThrow(/spawner was closed/);
  });

  it.skipIf(!hasPython)('runBench sends the peer through the spawner and parses its JSON line', async () => {
    const sp = startSpawner();
    const calls: string[][] = [];
    const spying = { run: (c: string, a: readonly string[], o: typeof opts) => (calls.push([c, ...a]), sp.run(c, a, o)), close: () => sp.close() };
    try {
      const b = defineBench({ name: 'via', peer: { script: '_selftest_echo.py', args: ['--k', '1'] }, run: () => 1, repeats: 2 });
      const r = await runBench(b, { file: 'f', numpy: fakeNumpy, spawner: spying, rounds: 2 });
      expect(calls).toHaveLength(2);
      expect(calls[0].at(-1)).toBe('1');
      expect(r.peer.status).toBe('ok');
      if (r.peer.status === 'ok') expect(r.peer.result).toMatchObject({ args: ['--k', '1'], repeats: 1 });
      const failing = defineBench({ name: 'via-fail', peer: { script: '_selftest_echo.py', args: ['--fail'] }, run: () => 1, repeats: 1 });
      const f = await runBench(failing, { file: 'f', numpy: fakeNumpy, spawner: spying });
      expect(f.peer).toMatchObject({ status: 'failed', reason: expect.stringMatching(/exited with 3: asked to fail/) });
    } finally {
      sp.close();
    }
  });
});
