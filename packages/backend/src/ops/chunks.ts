import { InvalidArgumentError } from '../errors/errors.js';
import { assertInteger, assertPositive } from '../errors/validate.js';

/** Default temporary-memory budget of the chunked ops: 512 MiB. */
export const DEFAULT_BUDGET_BYTES = 512 * 1024 * 1024;

/**
 * Runs `fn(start, end)` over consecutive row blocks [start, end) of `n` rows, each block holding
 * at most `floor(budgetBytes / bytesPerRow)` rows (at least one). Blocks run one after another,
 * so the temporaries of one block are all that is alive at a time.
 * @param n - number of rows (≥ 0).
 * @param bytesPerRow - temporary bytes one row needs (> 0).
 * @param budgetBytes - memory budget for one block (> 0).
 * @param fn - called with each block; may be async.
 * @returns resolves after the last block.
 * @throws {InvalidArgumentError} for a negative `n` or a non-positive size.
 * @example
 * await mapRowChunks(60000, 60000 * 4, 256 * 2 ** 20, async (s, e) => { ... });
 */
export async function mapRowChunks(
  n: number,
  bytesPerRow: number,
  budgetBytes: number,
  fn: (start: number, end: number) => void | Promise<void>,
): Promise<void> {
  assertInteger('n', n, 0);
  assertPositive('bytesPerRow', bytesPerRow);
  assertPositive('budgetBytes', budgetBytes);
  if (typeof fn !== 'function') throw new InvalidArgumentError('fn', 'a function (start, end) => void', fn);
  const rows = Math.max(1, Math.floor(budgetBytes / bytesPerRow));
  for (let start = 0; start < n; start += rows) await fn(start, Math.min(n, start + rows));
}
