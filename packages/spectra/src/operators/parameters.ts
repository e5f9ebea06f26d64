import { InvalidArgumentError } from '@nclab/backend';
import { applyOperator, assertOperator, type LinearOperator } from './linear-operator.js';

/** One named parameter tensor inside a flat parameter vector. */
export interface ParameterBlock {
  /** Name, e.g. `'layer2.weight'`. */
  readonly name: string;
  /** Tensor shape, e.g. `[d_out, d_in]`; its elements are stored row-major. */
  readonly shape: readonly number[];
  /** Offset of the first element in the flat vector. */
  readonly offset: number;
  /** Number of elements (product of `shape`). */
  readonly size: number;
}

/** The layout of a flat parameter vector: blocks in order, contiguous, total `size`. */
export interface ParameterLayout {
  readonly blocks: readonly ParameterBlock[];
  readonly size: number;
}

/**
 * Which blocks an operator acts on: a list of names, a regular expression on names, or a predicate.
 * `undefined` means every block.
 */
export type ParameterFilter = readonly string[] | RegExp | ((block: ParameterBlock, index: number) => boolean) | undefined;

/**
 * Builds the layout of a flat vector from named shapes, in order (row-major within a block).
 *
 * @param params - `[{ name, shape }]`, shapes of positive integers.
 * @returns the layout with offsets.
 * @throws {InvalidArgumentError} on an empty list, a duplicate name or a bad shape.
 * @example
 * parameterLayout([{ name: 'w1', shape: [4, 3] }, { name: 'b1', shape: [4] }]).size; // returns 16
 */
export function parameterLayout(params: ReadonlyArray<{ name: string; shape: readonly number[] }>): ParameterLayout {
  if (!Array.isArray(params) || params.length === 0) throw new InvalidArgumentError('params', 'a non-empty array of { name, shape }', params);
  const seen = new Set<string>();
  const blocks: ParameterBlock[] = [];
  let offset = 0;
  params.forEach((p, i) => {
    if (typeof p.name !== 'string' || seen.has(p.name)) throw new InvalidArgumentError(`params[${i}].name`, 'a unique string', p.name);
    seen.add(p.name);
    if (!Array.isArray(p.shape) || (p.shape as number[]).some((s) => !Number.isInteger(s) || s <= 0)) {
      throw new InvalidArgumentError(`params[${i}].shape`, 'an array of positive integers', p.shape);
    }
    const size = (p.shape as number[]).reduce((a, b) => a * b, 1);
    blocks.push({ name: p.name, shape: [...p.shape], offset, size });
    offset += size;
  });
  return { blocks, size: offset };
}

/**
 * The blocks a filter selects, in layout order.
 *
 * @param layout - the full layout.
 * @param filter - names, RegExp or predicate (see {@link ParameterFilter}).
 * @returns the selected blocks (at least one).
 * @throws {InvalidArgumentError} when a listed name is unknown or nothing is selected.
 * @example
 * selectBlocks(layout, /^layer2\./); // the blocks of layer 2
 */
export function selectBlocks(layout: ParameterLayout, filter: ParameterFilter): ParameterBlock[] {
  let out: ParameterBlock[];
  if (filter === undefined) out = [...layout.blocks];
  else if (Array.isArray(filter)) {
    const names = new Set(layout.blocks.map((b) => b.name));
    for (const f of filter as readonly string[]) {
      if (!names.has(f)) throw new InvalidArgumentError('filter', `names among [${[...names].join(', ')}]`, f);
    }
    out = layout.blocks.filter((b) => (filter as readonly string[]).includes(b.name));
  } else if (filter instanceof RegExp) out = layout.blocks.filter((b) => (filter as RegExp).test(b.name));
  else if (typeof filter === 'function') out = layout.blocks.filter((b, i) => (filter as (b: ParameterBlock, i: number) => boolean)(b, i));
  else throw new InvalidArgumentError('filter', 'an array of names, a RegExp or a predicate', filter);
  if (out.length === 0) throw new InvalidArgumentError('filter', 'a filter that selects at least one parameter block', String(filter));
  return out;
}

/**
 * Restricts an operator on the full parameter vector to the selected blocks: the principal
 * sub-matrix P A Pᵀ, where P picks the selected coordinates (a per-layer or per-block Hessian).
 *
 * ```math
 * A_S v_S = [A (Pᵀ v_S)]_S
 * ```
 *
 * Each product costs one product of the full operator; operators that can differentiate with
 * respect to a subset directly (e.g. {@link hessianOperator} with `filter`) are cheaper.
 *
 * @param op - operator on the full vector (size = `layout.size`).
 * @param layout - the parameter layout.
 * @param filter - which blocks to keep.
 * @returns the restricted operator (size = selected elements) and its sub-layout.
 * @throws {InvalidArgumentError} when `op.size` differs from `layout.size` or the filter selects nothing.
 * @example
 * const { op: h2 } = restrictOperator(fullHessian, layout, ['layer2.weight']);
 */
export function restrictOperator(
  op: LinearOperator,
  layout: ParameterLayout,
  filter: ParameterFilter,
): { op: LinearOperator; layout: ParameterLayout; blocks: ParameterBlock[] } {
  assertOperator('op', op);
  if (op.size !== layout.size) throw new InvalidArgumentError('op.size', `equal to layout.size = ${layout.size}`, op.size);
  const blocks = selectBlocks(layout, filter);
  const sub = parameterLayout(blocks.map((b) => ({ name: b.name, shape: b.shape })));
  const restricted: LinearOperator = {
    size: sub.size,
    label: `${op.label ?? 'op'}[${blocks.map((b) => b.name).join(',')}]`,
    async matvec(v) {
      const full = new Float64Array(layout.size);
      blocks.forEach((b, i) => full.set(v.subarray(sub.blocks[i].offset, sub.blocks[i].offset + b.size), b.offset));
      const w = await applyOperator(op, full, 'restrictOperator');
      const out = new Float64Array(sub.size);
      blocks.forEach((b, i) => out.set(w.subarray(b.offset, b.offset + b.size), sub.blocks[i].offset));
      return out;
    },
  };
  return { op: restricted, layout: sub, blocks };
}
