/**
 * What a job's checkpoint belongs to, besides its configuration: the identity of its input data
 * (each file's size, mtime and sampled content hash; or the hash of a dataset specification). A
 * resume compares the saved identity with the current one and names every differing field.
 */
import { InvalidArgumentError, configDifferences, fileIdentity, specHash } from '@nclab/backend';

/** The identity of a run's inputs: one entry per file flag, and/or `dataset` for a specification. */
export type InputIdentity = Record<string, unknown>;

/**
 * The identity of the inputs: every named file ({@link fileIdentity}) and, when given, the hash
 * of the dataset specification.
 *
 * @param files - file flag → path (undefined entries are skipped).
 * @param dataset - a dataset specification (e.g. `{ name: 'mnist', perClass, testPerClass }`).
 * @returns `{ [flag]: { size, mtimeMs, sampleHash }, dataset?: sha256 }`.
 * @throws {InvalidArgumentError} when a file cannot be read (naming its flag).
 * @example
 * await inputIdentity({ features: 'x.npy', labels: 'y.npy' });
 */
export async function inputIdentity(files: Readonly<Record<string, string | undefined>>, dataset?: unknown): Promise<InputIdentity> {
  const out: InputIdentity = {};
  for (const [flag, path] of Object.entries(files)) if (path !== undefined) out[flag] = await fileIdentity(path, flag);
  if (dataset !== undefined) out.dataset = specHash(dataset);
  return out;
}

/**
 * Throws unless the saved input identity equals the current one.
 *
 * @param saved - the identity stored in the checkpoint (`undefined` for a checkpoint written
 *   before identities were recorded: refused too, its data cannot be verified).
 * @param current - the identity of this run's inputs.
 * @param argument - the argument named in the error (default `'resume'`).
 * @throws {InvalidArgumentError} naming each differing input and which of its fields differ
 *   (`features (size, sampleHash)`).
 * @example
 * assertSameInputs(saved.config.inputs, await inputIdentity({ features: 'x.npy' }));
 */
export function assertSameInputs(saved: unknown, current: InputIdentity, argument = 'resume'): void {
  if (saved === null || typeof saved !== 'object') {
    throw new InvalidArgumentError(argument, 'a checkpoint that records its input data', 'none recorded', 'start over without --resume');
  }
  const s = saved as InputIdentity;
  const diff = configDifferences(s, current);
  if (diff.length === 0) return;
  const describe = (k: string): string => {
    const a = s[k];
    const b = current[k];
    if (a && b && typeof a === 'object' && typeof b === 'object') return `${k} (${configDifferences(a as InputIdentity, b as InputIdentity).join(', ')})`;
    return k;
  };
  throw new InvalidArgumentError(argument, 'a checkpoint of the same input data', diff.map(describe).join('; '), 'the input files or dataset differ from those of the checkpoint; resume with the same inputs or start over without --resume');
}
