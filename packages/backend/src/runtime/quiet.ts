/**
 * The quiet switch: hides backend's one-line notices on stderr (the float64 path chosen, tfjs-cpu's
 * banner). Default from `NCLAB_QUIET` (`1`/`true`); {@link setLinalgQuiet} overrides it without
 * touching `process.env`.
 */
import { envFlag } from './env.js';

let override: boolean | undefined;

/**
 * Silences (true) or restores (false) backend's stderr notices: the one-line report of the float64
 * linear-algebra path and the tfjs-cpu banner. `undefined` returns to the `NCLAB_QUIET` default.
 * @param quiet - the switch.
 * @example
 * setLinalgQuiet(true); // what the CLI's --quiet does
 */
export function setLinalgQuiet(quiet: boolean | undefined): void {
  override = quiet;
}

/** Whether notices are silenced: {@link setLinalgQuiet}'s value, else `NCLAB_QUIET`. */
export function isQuiet(): boolean {
  return override ?? envFlag('NCLAB_QUIET');
}
