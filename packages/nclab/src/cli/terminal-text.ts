/**
 * User strings on the terminal: experiment names, file names and flag values come from files and
 * command lines the user may not control, so their control characters (ESC sequences that move the
 * cursor, recolour or retitle the terminal; carriage returns that overwrite a line; C1 controls)
 * are shown escaped, never interpreted.
 */

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder displayed text
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Escapes control characters for terminal output: `\n`, `\r`, `\t` as such, others as `\xHH` or
 * `\uHHHH`; a backslash itself is kept (the text stays readable), everything else is unchanged.
 *
 * @param text - a user-supplied string.
 * @returns the text safe to print.
 * @example
 * escapeControl('run\u001b[2J'); // 'run\\x1b[2J'
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
