/**
 * The one choice the `nclab` launcher makes before the CLI starts: on Linux, run it with glibc's advice of
 * transparent huge pages for large allocations (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, glibc ≥ 2.35),
 * the memory NumPy asks for on its own arrays of 4 MiB and more. A tunable is read only when a process
 * starts, so the launcher starts the CLI once more with it (about 0.17 s per command here: `nclab --version`
 * took 0.27 s without and 0.43 s with it) and passes signals and the exit
 * status through. `NCLAB_HUGEPAGES=0`, or any `glibc.malloc.hugetlb` setting already in `GLIBC_TUNABLES`,
 * leaves the environment as it is. Elsewhere (other systems, musl) nothing changes.
 *
 * Why: every first touch of a 4 KiB page costs a page fault, and in a virtual machine a fault can cost
 * ~14 µs; a 3.2 GB kernel matrix is 800,000 of them. Huge pages make that 1,600.
 */
import { spawn } from 'node:child_process';

/** The glibc tunable the launcher adds. */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * The environment the CLI should run under, or null when the current one will do.
 * @param {NodeJS.ProcessEnv} env - the launcher's environment.
 * @param {string} platform - `process.platform`.
 * @returns {NodeJS.ProcessEnv | null} a copy with `GLIBC_TUNABLES` extended, or null.
 */
export function hugePageEnv(env = process.env, platform = process.platform) {
  if (platform !== 'linux' || env.NCLAB_HUGEPAGES === '0') return null;
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (/(^|:)glibc\.malloc\.hugetlb=/.test(tunables)) return null;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${HUGE_PAGES_TUNABLE}` : HUGE_PAGES_TUNABLE };
}

/** Signals a user or a scheduler sends to the launcher that the CLI must receive. */
const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

/**
 * Runs `node [...execArgv] script ...args` under `env` with the same standard streams, forwards
 * {@link FORWARDED} signals to it, and ends this process as the child ended (same exit code, or the
 * same signal).
 * @param {string} script - the program to start.
 * @param {string[]} args - its arguments.
 * @param {NodeJS.ProcessEnv} env - its environment.
 * @param {string[]} execArgv - Node options (default: this process's, so loaders carry over).
 */
export function relaunch(script, args, env, execArgv = process.execArgv) {
  const child = spawn(process.execPath, [...execArgv, script, ...args], { stdio: 'inherit', env });
  const handlers = FORWARDED.map((signal) => {
    const forward = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on(signal, forward);
    return [signal, forward];
  });
  child.on('error', (e) => {
    process.stderr.write(`nclab: cannot start node: ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    for (const [s, h] of handlers) process.off(s, h);
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
