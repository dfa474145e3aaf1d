// The README's screenshots of the demo, taken in headless Chromium against a running `npm start`:
//   PATH=$PWD/node_modules/.bin:$PATH node scripts/screenshots.mjs   (BASE=http://localhost:8787)
// Writes docs/screenshots/dashboard.png and docs/screenshots/embed.png once every element has
// finished loading.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.join(import.meta.dirname, '..');
const base = (process.env.BASE ?? 'http://localhost:8787').replace(/\/+$/, '');
const outDir = path.join(root, 'docs', 'screenshots');

/** Each page, in the state worth showing: the dashboard with a stage and a cell picked. */
const SHOTS = [
  {
    file: 'dashboard.png',
    url: `${base}/#stage=sleeping&cell=AZ`,
    viewport: { width: 1280, height: 800 },
  },
  { file: 'embed.png', url: `${base}/local/embed.html`, viewport: { width: 1280, height: 800 } },
];

/**
 * True once nothing on the page is still loading: no element, in the page or in any shadow root,
 * shows a `loading` part or is `aria-busy`, and the dashboard has handed the API to its elements.
 * Runs in the page.
 */
function settled() {
  const busy = (root) =>
    [...root.querySelectorAll('*')].some(
      (el) =>
        el.matches('[part~="loading"], [aria-busy="true"], [data-api]:not([api-base])') ||
        (el.shadowRoot && busy(el.shadowRoot)),
    );
  const undefinedElements = [...document.querySelectorAll('*')].some(
    (el) => el.localName.startsWith('folio-') && !customElements.get(el.localName),
  );
  return !undefinedElements && !busy(document);
}

/** Problems the page met: failed requests and error states, which a screenshot must not hide. */
function errorsShown() {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches('[part~="error"], [role="alert"]:not([hidden])') && el.textContent.trim())
        found.push(el.textContent.trim());
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}

/**
 * A palette PNG is a third of the size and looks the same for flat UI. sharp comes with wrangler
 * (through miniflare); without it the screenshot is kept as Chromium wrote it.
 */
async function small(png) {
  const sharp = await import('sharp').then(
    (m) => m.default,
    () => null,
  );
  return sharp
    ? sharp(png).png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 }).toBuffer()
    : png;
}

async function shoot(browser, { file, url, viewport }) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    colorScheme: 'light',
  });
  const page = await context.newPage();
  const failures = [];
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  page.on('response', (res) => {
    // Browsers ask for a favicon that a plain embedding page need not have.
    if (res.status() >= 400 && !res.url().endsWith('/favicon.ico'))
      failures.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(settled, null, { timeout: 60_000, polling: 200 });
  const errors = await page.evaluate(errorsShown);
  if (errors.length || failures.length) {
    throw new Error(`${url} did not load cleanly:\n  ${[...failures, ...errors].join('\n  ')}`);
  }
  const target = path.join(outDir, file);
  const png = await small(await page.screenshot({ fullPage: true }));
  writeFileSync(target, png);
  await context.close();
  console.log(`${path.relative(root, target)}  ${Math.round(png.length / 1024)} KB  ${url}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
try {
  mkdirSync(outDir, { recursive: true });
  for (const shot of SHOTS) await shoot(browser, shot);
} finally {
  await browser.close();
}
