/**
 * The output flags most jobs share: `--out DIR` (result.json, plots, report.html) and `--png`.
 */

/** `--out` and `--png`. */
export const OUTPUT_FLAGS = [
  { name: 'out', kind: 'string', valueName: 'DIR', description: 'write result.json, plots and report.html to DIR' },
  { name: 'png', kind: 'boolean', description: 'also write PNG versions of the plots' },
] as const;
