import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

// Opening a report in a real browser: the system's Chromium (Debian's package, installed by
// .ci/setup), driven by playwright-core, which downloads nothing. Only file: URLs may load: a
// report must open offline, so any other request is refused and counted as an error.

const measureChartsScript = () => readFile(new URL('./measure-charts.browser.js', import.meta.url), 'utf8');

/** /usr/bin/chromium, else `chromium` (or `chromium-browser`) on PATH; undefined when there is none. */
export function findChromium(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const candidates = ['/usr/bin/chromium', ...['chromium', 'chromium-browser'].flatMap((name) => dirs.map((dir) => join(dir, name)))];
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// Quiet, reproducible, offline: no GPU process on a headless VM, no first-run UI, no background
// fetches (component updates, sync) that would look like the page reaching the network.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile (--user-data-dir), removed on close. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'faultline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export interface ChartBox {
  /** The container's id, or the chart's title when it has none: names a failing chart. */
  readonly name: string;
  /** Top-level <svg> elements in the container (nested ones are part of their chart). */
  readonly svgs: number;
  readonly width: number;
  readonly height: number;
}

export interface ReportInspection {
  readonly bytes: number;
  /** How charts were found: figures in #charts, else figure.chart, else figures holding an svg, else every svg. */
  readonly selector: string;
  readonly charts: readonly ChartBox[];
  /** Top-level svg elements anywhere in the charts area (#charts, else the page). */
  readonly areaSvgs: number;
  /** Console errors, uncaught exceptions and refused or failed requests. */
  readonly errors: readonly string[];
}

/** Opens the file, waits for it to settle, measures every chart, and saves a full-page screenshot. */
export async function inspectReport(browser: Browser, htmlPath: string, screenshotPath: string): Promise<ReportInspection> {
  const { size: bytes } = await stat(htmlPath);
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.route(/^(?!file:)/, async (route) => {
    errors.push(`network request: ${route.request().url()}`);
    await route.abort();
  });
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    // Charts drawn by script (if a report ever does that) get their frame before they are measured.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const found = await page.evaluate<{ selector: string; charts: ChartBox[]; areaSvgs: number }>(await measureChartsScript());
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { bytes, ...found, errors };
  } finally {
    await page.close();
  }
}
