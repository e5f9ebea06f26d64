/**
 * exp for the elementwise passes over N×N kernel matrices (12.5M entries at N = 5,000): Cody–Waite range
 * reduction and a degree-13 Taylor polynomial, in plain float64 arithmetic. It is the scalar reference of
 * the WebAssembly SIMD kernel map (`radialFromGram`, `./radial.ts`), which evaluates the same operations
 * in the same order two lanes at a time, so both routes give the same bits. Accuracy: ≤ 1.5 ulp on
 * normal results (tested against `Math.exp`). (A float64 log written the same way was slower than `Math.log`: the exponent split needs
 * a typed-array view.)
 */

/** log₂ e. */
export const LOG2E = 1.4426950408889634;
// ln 2 split as in fdlibm: the high part has 20 trailing zero bits, so k·LN2_HI is exact for |k| < 2^20
/** High part of ln 2 (20 trailing zero bits). */
export const LN2_HI = 6.93147180369123816490e-1;
/** Low part of ln 2. */
export const LN2_LO = 1.90821492927058770002e-10;
// adding and subtracting 1.5·2^52 rounds a float64 of magnitude below 2^51 to the nearest integer
/** 1.5·2⁵²: x + ROUND − ROUND rounds |x| < 2⁵¹ to the nearest integer. */
export const ROUND = 6755399441055744;
/**
 * The Taylor coefficients of {@link expFast}'s Horner steps, highest degree first (1/13! … 1/1!, 1/0!):
 * p = c₀, then p ← p·r + cᵢ for i = 1…13. The SIMD map runs the same steps; `expFast` keeps them as
 * literals (the tests hold the two routes to the same bits).
 */
export const EXP_TAYLOR: readonly number[] = [
  1.6059043836821613e-10, 2.08767569878681e-9, 2.505210838544172e-8, 2.755731922398589e-7, 2.7557319223985893e-6, 2.48015873015873e-5,
  1.984126984126984e-4, 1.388888888888889e-3, 8.333333333333333e-3, 4.1666666666666664e-2, 1.6666666666666666e-1, 0.5, 1, 1,
];

/** 2^k for k = −1074 … 1023, at index k + 1074 (exact powers of two, subnormals included). */
const POW2 = (() => {
  const t = new Float64Array(2098);
  for (let k = -1074; k <= 1023; k++) t[k + 1074] = Math.pow(2, k);
  return t;
})();

/**
 * e^x in float64, within a few ulp of `Math.exp` (NaN → NaN, below −745.2 → 0, above 709.78 → ∞).
 * @param x - any number.
 * @returns e^x.
 */
export function expFast(x: number): number {
  if (!(x > -745.2 && x < 709.78)) return Math.exp(x);
  const k = x * LOG2E + ROUND - ROUND; // round to nearest integer (|x·log2 e| < 2^51)
  const r = x - k * LN2_HI - k * LN2_LO; // |r| ≤ ln2/2 (+ rounding)
  // Taylor series to r^13/13!: truncation below 5e-18 for |r| ≤ 0.347
  let p = 1.6059043836821613e-10;
  p = p * r + 2.08767569878681e-9;
  p = p * r + 2.505210838544172e-8;
  p = p * r + 2.755731922398589e-7;
  p = p * r + 2.7557319223985893e-6;
  p = p * r + 2.48015873015873e-5;
  p = p * r + 1.984126984126984e-4;
  p = p * r + 1.388888888888889e-3;
  p = p * r + 8.333333333333333e-3;
  p = p * r + 4.1666666666666664e-2;
  p = p * r + 1.6666666666666666e-1;
  p = p * r + 0.5;
  p = p * r + 1;
  p = p * r + 1;
  if (k > 1023) return p * 2 * POW2[k - 1 + 1074]; // x just below the overflow threshold
  if (k >= -1022) return p * POW2[k + 1074];
  // the result is subnormal: scale in two steps so the polynomial value is rounded once
  return p * POW2[k + 1074 + 54] * POW2[1074 - 54];
}
