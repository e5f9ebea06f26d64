import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.ts';
import { join } from 'node:path';
const server = await serveStatic(join(process.cwd(), '.vitepress', 'dist'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror', String(e).slice(0, 300)));
page.on('requestfailed', (r) => console.log('reqfailed', r.url()));
page.on('response', (r) => { if (r.status() >= 400) console.log('HTTP', r.status(), r.url()); });
await page.goto(`${server.url}/api/index.html`, { waitUntil: 'networkidle' });
await page.goto(`${server.url}/demos/deep-rfm.html`, { waitUntil: 'networkidle' });
await page.locator('[data-test="run"]').click();
for (let i = 0; i < 30; i++) {
  await new Promise((r) => setTimeout(r, 5000));
  console.log(i * 5, await page.locator('[data-test="status"]').textContent());
  if ((await page.locator('[data-test="status"]').getAttribute('data-state')) !== 'running') break;
}
await browser.close(); await server.close();
