/**
 * The folders CUDA libraries are searched in ({@link CudaSearchLayout}), gathered from the environment
 * and the file system. The file system is passed in (`listDir`, `readFile`) and every absolute path is
 * read below `root`, so tests build a fake machine in a temporary folder.
 */
import type { CudaSearchLayout } from './discovery.js';

/** What {@link cudaSearchLayout} reads. */
export interface SearchEnvironment {
  /** Environment variables (`NCLAB_CUDA_LIB_DIR`, `LD_LIBRARY_PATH`, `CUDA_HOME`, `CUDA_PATH`, `VIRTUAL_ENV`, `CONDA_PREFIX`, `PYTHONPATH`, `HOME`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** File names in a folder, or undefined when it does not exist. */
  readonly listDir: (dir: string) => readonly string[] | undefined;
  /** A text file's contents, or undefined. */
  readonly readFile: (file: string) => string | undefined;
  /** Prefix of every absolute path read (default `''`, the real root); folders returned carry it too. */
  readonly root?: string;
}

/** Standard system library folders, searched after `LD_LIBRARY_PATH` (WSL's driver folder included). */
export const SYSTEM_LIB_DIRS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/lib64', '/usr/lib', '/usr/local/lib', '/usr/lib/wsl/lib',
];

const splitList = (v: string | undefined): string[] => (v ?? '').split(':').filter((s) => s !== '');

/**
 * Folders named by an `ld.so.conf` file's text: one per line, `#` comments dropped, `include` lines
 * returned separately (their glob patterns) for the caller to expand.
 * @example
 * parseLdConf('# cuda\n/usr/local/cuda/lib64\ninclude /etc/ld.so.conf.d/*.conf'); // { dirs: ['/usr/local/cuda/lib64'], includes: ['/etc/ld.so.conf.d/*.conf'] }
 */
export function parseLdConf(text: string): { dirs: string[]; includes: string[] } {
  const dirs: string[] = [];
  const includes: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (line.startsWith('include ')) includes.push(line.slice(8).trim());
    else if (line.startsWith('/')) dirs.push(line);
  }
  return { dirs, includes };
}

/**
 * Orders toolkit folder names newest first: `cuda-13.0` before `cuda-12.4` before `cuda-12` before `cuda`
 * (the unversioned link last among equals, as it points at one of the others).
 */
export function sortToolkits(names: readonly string[]): string[] {
  const key = (n: string): number[] => (n.match(/\d+/g) ?? []).map(Number);
  return [...names].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
      const d = (kb[i] ?? -1) - (ka[i] ?? -1);
      if (d !== 0) return d;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Gathers the search folders: `NCLAB_CUDA_LIB_DIR` and `LD_LIBRARY_PATH` entries; the system folders
 * ({@link SYSTEM_LIB_DIRS} and those listed in `/etc/ld.so.conf` and `/etc/ld.so.conf.d/*.conf`);
 * toolkits (`CUDA_HOME`, `CUDA_PATH`, `/usr/local/cuda*`, `/opt/cuda`, each `lib64` and
 * `lib`, `targets/x86_64-linux/lib`); Python package folders (`VIRTUAL_ENV`, `CONDA_PREFIX`, `PYTHONPATH`,
 * `~/.local`, `/usr/local/lib/python3*`, `/usr/lib/python3*`, `/opt/conda`), each `site-packages` and
 * `dist-packages` that exists.
 * @param s - the environment and file-system readers.
 * @returns the layout; folders that do not exist are kept (discovery reports them as absent) except
 *   Python package folders, which are only kept when present.
 */
export function cudaSearchLayout(s: SearchEnvironment): CudaSearchLayout {
  const root = s.root ?? '';
  const at = (p: string): string => (root && p.startsWith('/') ? `${root}${p}` : p);
  const env = s.env;
  const libDirs = splitList(env.NCLAB_CUDA_LIB_DIR);
  const ldLibraryPath = splitList(env.LD_LIBRARY_PATH);

  const systemDirs = SYSTEM_LIB_DIRS.map(at);
  const conf = (file: string): void => {
    const text = s.readFile(at(file));
    if (text === undefined) return;
    const parsed = parseLdConf(text);
    for (const d of parsed.dirs) systemDirs.push(at(d));
    for (const inc of parsed.includes) {
      const slash = inc.lastIndexOf('/');
      const dir = inc.slice(0, slash);
      const pattern = new RegExp(`^${inc.slice(slash + 1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      for (const name of [...(s.listDir(at(dir)) ?? [])].sort()) if (pattern.test(name)) conf(`${dir}/${name}`);
    }
  };
  conf('/etc/ld.so.conf');
  if (s.readFile(at('/etc/ld.so.conf')) === undefined) {
    for (const name of [...(s.listDir(at('/etc/ld.so.conf.d')) ?? [])].sort()) if (name.endsWith('.conf')) conf(`/etc/ld.so.conf.d/${name}`);
  }

  const toolkitRoots: string[] = [];
  for (const v of [env.CUDA_HOME, env.CUDA_PATH]) if (v) toolkitRoots.push(v);
  const local = s.listDir(at('/usr/local')) ?? [];
  for (const name of sortToolkits(local.filter((n) => /^cuda(-\d+(\.\d+)*)?$/.test(n)))) toolkitRoots.push(`/usr/local/${name}`);
  toolkitRoots.push('/opt/cuda');
  const toolkitDirs: string[] = [];
  for (const r of toolkitRoots) toolkitDirs.push(at(`${r}/lib64`), at(`${r}/lib`), at(`${r}/targets/x86_64-linux/lib`), at(`${r}/targets/sbsa-linux/lib`));

  const prefixes: string[] = [];
  for (const v of [env.VIRTUAL_ENV, env.CONDA_PREFIX]) if (v) prefixes.push(v);
  if (env.HOME) prefixes.push(`${env.HOME}/.local`);
  prefixes.push('/usr/local', '/usr', '/opt/conda');
  const sitePackages: string[] = [];
  const addSite = (dir: string): void => {
    if (!sitePackages.includes(dir) && s.listDir(dir) !== undefined) sitePackages.push(dir);
  };
  for (const p of splitList(env.PYTHONPATH)) addSite(at(p));
  for (const p of prefixes) {
    const lib = at(`${p}/lib`);
    const pythons = sortToolkits((s.listDir(lib) ?? []).filter((n) => /^python3(\.\d+)?$/.test(n)));
    for (const py of pythons) for (const sub of ['site-packages', 'dist-packages']) addSite(`${lib}/${py}/${sub}`);
  }
  return { libDirs, ldLibraryPath, systemDirs, toolkitDirs, sitePackages };
}
