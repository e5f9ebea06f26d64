/**
 * Whether this process's large arrays get transparent huge pages: glibc's `glibc.malloc.hugetlb=1` tunable
 * (which the `nclab` launcher sets on Linux, `bin/launch.mjs`) and the kernel's THP mode.
 */
import { readFileSync } from 'node:fs';

/** What `nclab info` prints under `memory`. */
export interface HugePageReport {
  /** True when glibc advises huge pages for large blocks and the kernel grants them on advice. */
  hugePages: boolean;
  /** The kernel's THP mode (`always`, `madvise`, `never`), null when unknown (not Linux). */
  kernelMode: string | null;
  /** `GLIBC_TUNABLES` as this process started, null when unset. */
  glibcTunables: string | null;
  /** One sentence for the text report. */
  detail: string;
}

/** The bracketed word of `/sys/kernel/mm/transparent_hugepage/enabled` (`always [madvise] never`), or null. */
export function kernelThpMode(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | null {
  try {
    return /\[(\w+)\]/.exec(read('/sys/kernel/mm/transparent_hugepage/enabled'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Reads the tunable from `env` and the kernel mode, and says whether large arrays get huge pages.
 * @param env - the process environment.
 * @param mode - the kernel's THP mode ({@link kernelThpMode}).
 * @returns the report.
 */
export function hugePageReport(env: NodeJS.ProcessEnv, mode: string | null): HugePageReport {
  const tunables = env.GLIBC_TUNABLES ?? null;
  const advised = tunables !== null && /(^|:)glibc\.malloc\.hugetlb=1(:|$)/.test(tunables);
  if (mode === null) return { hugePages: false, kernelMode: null, glibcTunables: tunables, detail: 'no transparent huge pages on this system (4 KiB pages)' };
  if (mode === 'never') return { hugePages: false, kernelMode: mode, glibcTunables: tunables, detail: 'the kernel has transparent huge pages off (mode never): 4 KiB pages' };
  if (advised) return { hugePages: true, kernelMode: mode, glibcTunables: tunables, detail: `large arrays on transparent huge pages (GLIBC_TUNABLES=${tunables}, kernel mode ${mode})` };
  if (mode === 'always') return { hugePages: true, kernelMode: mode, glibcTunables: tunables, detail: 'large arrays on transparent huge pages (kernel mode always)' };
  return {
    hugePages: false,
    kernelMode: mode,
    glibcTunables: tunables,
    detail: `4 KiB pages: the kernel gives huge pages only on advice (mode ${mode}) and GLIBC_TUNABLES has no glibc.malloc.hugetlb=1 (the nclab launcher sets it unless NCLAB_HUGEPAGES=0)`,
  };
}
