/**
 * Browser test of the built documentation site: every page loads in headless Chromium without
 * console errors, each live demo runs and renders its plot, and a screenshot of each is saved to
 * docs/.vitepress/cache/screenshots/. Needs `npm run docs:build` first (the test builds nothing).
 * Skipped, with a message saying why, when Chromium is not installed (`apt-get install chromium`).
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveStatic } from './static-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '.vitepress', 'dist');
const shots = join(here, '..', '.vitepress', 'cache', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const haveSite = existsSync(join(dist, 'index.html'));

if (!haveChromium) console.warn(`[docs] SKIPPED browser tests: Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
else if (!haveSite) console.warn(`[docs] SKIPPED browser tests: the site is not built (${dist} missing); run \`npm run docs:build\` first`);

/** Every page of the site except the generated API pages (only their index is visited). */
function sitePages(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'assets') walk(p);
      } else if (name.endsWith('.html') && name !== '404.html') {
        const rel = relative(dist, p).split('\\').join('/');
        if (!rel.startsWith('api/') || rel === 'api/index.html') out.push(rel);
      }
    }
  };
  walk(dist);
  return out.sort();
}

/** Time allowed per page for the page walk (a loaded 2-core CI machine takes ~4 s a page). */
const PAGE_BUDGET_MS = 15_000;

const DEMOS = [
  { page: 'demos/deep-rfm.html', name: 'deep-rfm' },
  { page: 'demos/ufm.html', name: 'ufm' },
];

describe.skipIf(!haveChromium || !haveSite)('documentation site in headless Chromium', () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    server = await serveStatic(dist);
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/${path}`, { waitUntil: 'networkidle' });
    return { page, errors };
  }

  it('has the pages the sidebar promises', () => {
    const pages = sitePages();
    for (const p of ['index.html', 'guide/getting-started.html', 'concepts/metrics.html', 'packages/nclab.html', 'api/index.html', ...DEMOS.map((d) => d.page)]) {
      expect(pages).toContain(p);
    }
  });

  it('loads every page without console errors', async () => {
    const failures: string[] = [];
    for (const path of sitePages()) {
      const { page, errors } = await open(path);
      const h1 = await page.locator('h1').count();
      if (errors.length) failures.push(`${path}: ${errors.join(' | ')}`);
      if (h1 === 0 && path !== 'index.html') failures.push(`${path}: no <h1>`);
      await page.close();
    }
    expect(failures).toEqual([]);
  }, PAGE_BUDGET_MS * Math.max(1, haveSite ? sitePages().length : 1));

  it.each(DEMOS)('runs the $name demo and renders its plot', async ({ page: path, name }) => {
    const { page, errors } = await open(path);
    const demo = page.locator(`[data-demo="${name}"]`);
    await demo.locator('[data-test="run"]').click();
    const status = demo.locator('[data-test="status"]');
    // wait until the demo leaves `running`, then require `done` (the status text says why otherwise)
    await demo.locator('[data-test="status"]:not([data-state="running"]):not([data-state="idle"])').waitFor({ timeout: 100_000 });
    expect(`${await status.getAttribute('data-state')}: ${await status.textContent()}`).toMatch(/^done: /);
    const marks = await demo.locator('[data-test="plot"] svg .role-mark').count();
    expect(marks).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
