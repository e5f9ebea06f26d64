import type { Options } from 'tsup';
import type { UserConfig } from 'vitest/config';
import type { InlineConfig } from 'vitest/node';

/** The `version` field of `<dir>/package.json`. */
export declare function packageVersion(dir: string): string;
/** tsup options of a package library (ESM + CJS, d.ts, Node 20, version injected), `overrides` merged over them. */
export declare function tsupConfig(dir: string, overrides?: Options): Options;
/** vitest config of a package (`@nclab/source` condition, forks, version injected), `test` merged over the defaults. */
export declare function vitestConfig(dir: string, test?: InlineConfig): UserConfig;
