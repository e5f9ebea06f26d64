/**
 * A minimal XML well-formedness check for tests: every start tag is closed in order, attributes
 * are quoted, and there is exactly one root element. Enough to catch broken SVG output.
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|</g;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(text))) {
    if (m[0] === '<') {
      problems.push(`malformed tag at offset ${m.index}: ${text.slice(m.index, m.index + 40)}`);
      continue;
    }
    if (m[2] === undefined) continue; // comment, prolog, CDATA, doctype
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}> at offset ${m.index}`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name);
    }
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`expected one root element, found ${roots}`);
  return problems;
}
