/**
 * Static check of the built documentation site (no browser): math is rendered by MathJax at build time,
 * so no page shows raw LaTeX (`\frac`, `\Sigma`, …) as text, and pages whose sources hold ```math
 * fences carry rendered `<mjx-container>` elements. Needs `npm run docs:build` first (nx runs it before
 * this project's tests); skipped with a message when the site is not built.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '.vitepress', 'dist');
const haveSite = existsSync(join(dist, 'index.html'));
if (!haveSite) console.warn(`[docs] SKIPPED math rendering check: the site is not built (${dist} missing); run \`npm run docs:build\` first`);

function htmlPages(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'assets') htmlPages(p, out);
    } else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** The page's visible text: scripts, styles, rendered math and tags removed. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<mjx-container[\s\S]*?<\/mjx-container>/g, '')
    .replace(/<code[\s\S]*?<\/code>/g, '')
    .replace(/<[^>]*>/g, '');
}

describe.skipIf(!haveSite)('math in the built documentation', () => {
  it('shows no raw LaTeX as text on any page', () => {
    const raw = /\\(frac|Sigma|sum|mathrm|operatorname|tfrac|lambda|mu_)/;
    const offenders = htmlPages(dist)
      .filter((p) => raw.test(visibleText(readFileSync(p, 'utf8'))))
      .map((p) => relative(dist, p));
    expect(offenders).toEqual([]);
  });

  it('renders the ```math fences of package pages and API pages as MathJax', () => {
    for (const page of ['packages/nc-metrics.html', 'api/@nclab/nc-metrics.html']) {
      const html = readFileSync(join(dist, page), 'utf8');
      expect(html.match(/<mjx-container/g)?.length ?? 0, page).toBeGreaterThan(0);
      expect(html, page).not.toContain('language-math');
    }
  });
});
