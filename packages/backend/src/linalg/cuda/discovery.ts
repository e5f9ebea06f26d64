/**
 * Which file to `dlopen` for each CUDA library, in what order, and why a folder was passed over.
 * Pure: the folder listing is a parameter, so the rules are tested on fake layouts. The folders
 * themselves come from {@link ./search-dirs.ts}; the addon then tries the candidates in order.
 *
 * Order of folders: `NCLAB_CUDA_LIB_DIR`, `LD_LIBRARY_PATH`, the system's library folders (including
 * `/etc/ld.so.conf.d`), CUDA toolkits (`/usr/local/cuda*`), Python `nvidia-*` wheels
 * (`site-packages/nvidia/cu13/lib` for CUDA 13, `nvidia/<name>/lib` for CUDA 12), and last the bare
 * soname for the dynamic loader's own search. Within a folder, the highest major version first.
 */

/** The CUDA libraries nclab loads, in load order (cuBLASLt before cuBLAS, which needs it). */
export type CudaLibraryName = 'cuda' | 'cudart' | 'cublasLt' | 'cublas' | 'cusolver' | 'nvrtc';

/** Where a candidate folder came from. */
export type CudaDirSource = 'NCLAB_CUDA_LIB_DIR' | 'LD_LIBRARY_PATH' | 'system' | 'toolkit' | 'wheel';

/** One library: its file stem, its wheel folders and whether the `cuda` path needs it. */
export interface CudaLibrarySpec {
  readonly name: CudaLibraryName;
  /** File stem, e.g. `libcublas` for `libcublas.so.12`. */
  readonly stem: string;
  /** Needed by the linear-algebra path (the others only add versions or kernels). */
  readonly required: boolean;
  /** Sub-folders of a `site-packages` holding it in NVIDIA's wheels (CUDA 13 layout first). */
  readonly wheelDirs: readonly string[];
  /** Folder sources searched (the driver comes with the system, never from a toolkit or wheel). */
  readonly sources: readonly CudaDirSource[];
  /** Sonames tried last, bare, through the dynamic loader's own search. */
  readonly sonames: readonly string[];
  /** The CUDA major version a library major needs (identity except cuSOLVER: 11 ships with CUDA 11/12, 12 with 13). */
  readonly cudaMajor: (soMajor: number) => number;
}

const identity = (m: number): number => m;
const ALL: readonly CudaDirSource[] = ['NCLAB_CUDA_LIB_DIR', 'LD_LIBRARY_PATH', 'system', 'toolkit', 'wheel'];

/** The libraries, in load order. */
export const CUDA_LIBRARIES: readonly CudaLibrarySpec[] = [
  { name: 'cuda', stem: 'libcuda', required: true, wheelDirs: [], sources: ['NCLAB_CUDA_LIB_DIR', 'LD_LIBRARY_PATH', 'system'], sonames: ['libcuda.so.1'], cudaMajor: () => 0 },
  { name: 'cudart', stem: 'libcudart', required: false, wheelDirs: ['nvidia/cu13/lib', 'nvidia/cuda_runtime/lib'], sources: ALL, sonames: ['libcudart.so.13', 'libcudart.so.12', 'libcudart.so.11.0'], cudaMajor: identity },
  { name: 'cublasLt', stem: 'libcublasLt', required: false, wheelDirs: ['nvidia/cu13/lib', 'nvidia/cublas/lib'], sources: ALL, sonames: ['libcublasLt.so.13', 'libcublasLt.so.12', 'libcublasLt.so.11'], cudaMajor: identity },
  { name: 'cublas', stem: 'libcublas', required: true, wheelDirs: ['nvidia/cu13/lib', 'nvidia/cublas/lib'], sources: ALL, sonames: ['libcublas.so.13', 'libcublas.so.12', 'libcublas.so.11'], cudaMajor: identity },
  { name: 'cusolver', stem: 'libcusolver', required: true, wheelDirs: ['nvidia/cu13/lib', 'nvidia/cusolver/lib'], sources: ALL, sonames: ['libcusolver.so.12', 'libcusolver.so.11'], cudaMajor: (m) => (m >= 12 ? m + 1 : m) },
  { name: 'nvrtc', stem: 'libnvrtc', required: false, wheelDirs: ['nvidia/cu13/lib', 'nvidia/cuda_nvrtc/lib'], sources: ALL, sonames: ['libnvrtc.so.13', 'libnvrtc.so.12', 'libnvrtc.so.11.2'], cudaMajor: identity },
];

/** The folders to search, by source, before the per-library wheel sub-folders are added. */
export interface CudaSearchLayout {
  /** `NCLAB_CUDA_LIB_DIR` entries (colon-separated in the variable). */
  readonly libDirs: readonly string[];
  /** `LD_LIBRARY_PATH` entries. */
  readonly ldLibraryPath: readonly string[];
  /** System library folders (standard ones and those `/etc/ld.so.conf.d` names). */
  readonly systemDirs: readonly string[];
  /** CUDA toolkit library folders (`/usr/local/cuda-13.0/lib64`, newest first). */
  readonly toolkitDirs: readonly string[];
  /** Python `site-packages` / `dist-packages` folders. */
  readonly sitePackages: readonly string[];
}

/** A file to `dlopen`, where it came from and its soname major (null: unversioned or bare-soname search). */
export interface CudaCandidate {
  readonly file: string;
  readonly source: CudaDirSource | 'loader';
  readonly major: number | null;
}

/** A folder that gave no candidate, and why. */
export interface CudaRejection {
  readonly dir: string;
  readonly source: CudaDirSource;
  readonly reason: string;
}

/** The outcome of discovery for one library. */
export interface CudaDiscovery {
  readonly library: CudaLibraryName;
  /** Files to try, best first. */
  readonly candidates: readonly CudaCandidate[];
  /** Folders passed over, with the reason (absent folder, no such file, too new for the driver). */
  readonly rejected: readonly CudaRejection[];
}

/** Options of {@link discoverLibrary}. */
export interface DiscoverOptions {
  /** The CUDA major version the driver supports (from `cuDriverGetVersion`); newer libraries are rejected. */
  readonly driverMajor?: number;
}

/** The ordered, de-duplicated folders of `spec`'s sources, each with its source. */
export function searchDirsFor(spec: CudaLibrarySpec, layout: CudaSearchLayout): Array<{ dir: string; source: CudaDirSource }> {
  const out: Array<{ dir: string; source: CudaDirSource }> = [];
  const seen = new Set<string>();
  const add = (dir: string, source: CudaDirSource): void => {
    const d = dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
    if (d === '' || seen.has(d) || !spec.sources.includes(source)) return;
    seen.add(d);
    out.push({ dir: d, source });
  };
  for (const d of layout.libDirs) add(d, 'NCLAB_CUDA_LIB_DIR');
  for (const d of layout.ldLibraryPath) add(d, 'LD_LIBRARY_PATH');
  for (const d of layout.systemDirs) add(d, 'system');
  for (const d of layout.toolkitDirs) add(d, 'toolkit');
  for (const site of layout.sitePackages) for (const sub of spec.wheelDirs) add(`${site.replace(/\/+$/, '')}/${sub}`, 'wheel');
  return out;
}

/**
 * The soname major of `file` for `stem` (`libcublas.so.12.4.5` → 12), null for the unversioned
 * `libcublas.so`, undefined when the name is another library's (`libcublasLt.so.12` for `libcublas`).
 */
export function sonameMajor(stem: string, file: string): number | null | undefined {
  if (file === `${stem}.so`) return null;
  if (!file.startsWith(stem)) return undefined;
  let pattern = SONAME_PATTERNS.get(stem);
  if (!pattern) {
    pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.so\\.(\\d+)(\\.\\d+)*$`);
    SONAME_PATTERNS.set(stem, pattern);
  }
  const m = pattern.exec(file);
  return m ? Number(m[1]) : undefined;
}

/** One compiled soname pattern per library stem (a probe tests every file of the system folders). */
const SONAME_PATTERNS = new Map<string, RegExp>();

function cudaVersionText(major: number): string {
  return `CUDA ${major}`;
}

/**
 * Candidate files for one library: per folder (in {@link searchDirsFor} order) its matching files,
 * highest major first, one file per major (the shortest name, i.e. the soname link), the unversioned
 * `.so` last; then the bare sonames for the loader's search. A folder that is absent, holds no
 * matching file, or holds only versions newer than the driver supports is recorded as rejected.
 * The driver library is matched by its exact soname only (`libcuda.so.1`, never the toolkit's stub).
 * @param spec - one of {@link CUDA_LIBRARIES}.
 * @param layout - the folders to search.
 * @param listDir - file names in a folder, or undefined when it does not exist (e.g. `fs.readdirSync`).
 * @param options - `driverMajor` to reject libraries newer than the driver.
 * @example
 * discoverLibrary(spec, layout, (d) => readdirSync(d)).candidates[0].file; // '/usr/local/cuda-12.4/lib64/libcublas.so.12'
 */
export function discoverLibrary(
  spec: CudaLibrarySpec,
  layout: CudaSearchLayout,
  listDir: (dir: string) => readonly string[] | undefined,
  options: DiscoverOptions = {},
): CudaDiscovery {
  const candidates: CudaCandidate[] = [];
  const rejected: CudaRejection[] = [];
  const tooNew = (major: number): boolean => options.driverMajor !== undefined && spec.cudaMajor(major) > options.driverMajor;
  for (const { dir, source } of searchDirsFor(spec, layout)) {
    const names = listDir(dir);
    if (names === undefined) {
      rejected.push({ dir, source, reason: 'folder absent' });
      continue;
    }
    const byMajor = new Map<number | null, string>();
    for (const name of names) {
      if (spec.name === 'cuda' ? !spec.sonames.includes(name) : sonameMajor(spec.stem, name) === undefined) continue;
      const major = spec.name === 'cuda' ? 1 : (sonameMajor(spec.stem, name) as number | null);
      const prev = byMajor.get(major);
      if (prev === undefined || name.length < prev.length || (name.length === prev.length && name < prev)) byMajor.set(major, name);
    }
    if (byMajor.size === 0) {
      rejected.push({ dir, source, reason: `no ${spec.name === 'cuda' ? spec.sonames[0] : `${spec.stem}.so*`} file` });
      continue;
    }
    const majors = [...byMajor.keys()].sort((a, b) => (b ?? -1) - (a ?? -1));
    const kept = majors.filter((m) => m === null || !tooNew(m));
    for (const m of majors) {
      if (m !== null && tooNew(m)) {
        rejected.push({ dir, source, reason: `${byMajor.get(m)} needs a ${cudaVersionText(spec.cudaMajor(m))} driver; the driver supports ${cudaVersionText(options.driverMajor as number)}` });
      }
    }
    for (const m of kept) candidates.push({ file: `${dir}/${byMajor.get(m)}`, source, major: m });
  }
  for (const soname of spec.sonames) {
    const major = spec.name === 'cuda' ? 1 : (sonameMajor(spec.stem, soname) as number);
    if (spec.name !== 'cuda' && tooNew(major)) continue;
    candidates.push({ file: soname, source: 'loader', major: null });
  }
  return { library: spec.name, candidates, rejected };
}

/**
 * The CUDA major version of a `cuDriverGetVersion` number (12040 → 12).
 * @example
 * driverMajor(13000); // 13
 */
export function driverMajor(version: number): number {
  return Math.floor(version / 1000);
}

/**
 * Human text of a version number as each library encodes it: the driver, runtime and NVRTC
 * `major·1000 + minor·10` (12040 → 12.4); cuBLAS `major·10000 + minor·100 + patch` (120402 → 12.4.2);
 * cuSOLVER `major·1000 + minor·100 + patch` (11601 → 11.6.1). `unknown` for 0 or less.
 * @example
 * formatVersion('cublas', 130100); // '13.1.0'
 */
export function formatVersion(library: CudaLibraryName, v: number): string {
  if (!(v > 0)) return 'unknown';
  if (library === 'cublas' || library === 'cublasLt') return `${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}.${v % 100}`;
  if (library === 'cusolver') return `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 100)}.${v % 100}`;
  return `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;
}
