/** Chromium through playwright-core, and what a test needs to watch a page and keep evidence of a failure. */

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type Browser, type BrowserContext, type Page, type Request, chromium } from 'playwright-core';
import { FRONTEND_DIR } from './godown';

export const ARTIFACTS_DIR = path.join(FRONTEND_DIR, 'e2e', 'artifacts');

/** The system's Chromium, headless; the flags keep it from reaching out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh profile per user: its own IndexedDB keys, storage and language, in English to begin with. */
export function newUserContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1280, height: 900 } });
}

export interface WatchedPage {
  page: Page;
  name: string;
  /** Uncaught exceptions in the page: any is a failure of the dashboard. */
  pageErrors: string[];
  /** Console lines, kept for the failure report. */
  console: string[];
  /** Resolves once no request has been in flight for `quietMs`. */
  networkIdle(quietMs?: number, timeoutMs?: number): Promise<void>;
}

/**
 * Follows a page's requests so a test can wait for the network to settle
 * after a click: the dashboard's data arrives by fetch, and a fixed sleep
 * would be either too short on a busy machine or needlessly slow.
 */
export function watch(page: Page, name: string): WatchedPage {
  const inFlight = new Set<Request>();
  let lastChange = Date.now();
  const pageErrors: string[] = [];
  const lines: string[] = [];
  page.on('request', (r) => {
    inFlight.add(r);
    lastChange = Date.now();
  });
  const settle = (r: Request) => {
    inFlight.delete(r);
    lastChange = Date.now();
  };
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));

  return {
    page,
    name,
    pageErrors,
    console: lines,
    async networkIdle(quietMs = 300, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 || Date.now() - lastChange < quietMs) {
        if (Date.now() > deadline) {
          throw new Error(`${name}: the network did not settle; in flight: ${[...inFlight].map((r) => r.url()).join(', ')}`);
        }
        await delay(25);
      }
    },
  };
}

/** Screenshots, markup and console of every page, and the node's log, under e2e/artifacts/. */
export async function saveArtifacts(label: string, pages: readonly WatchedPage[], serverLog: string): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${label.replace(/[^a-z0-9]+/gi, '-')}`);
  await mkdir(dir, { recursive: true });
  for (const w of pages) {
    if (w.page.isClosed()) continue;
    await w.page.screenshot({ path: path.join(dir, `${w.name}.png`), fullPage: true }).catch(() => undefined);
    await writeFile(path.join(dir, `${w.name}.html`), await w.page.content().catch(() => '')).catch(() => undefined);
    await writeFile(
      path.join(dir, `${w.name}.console.txt`),
      [`url: ${w.page.url()}`, ...w.console, ...w.pageErrors.map((e) => `[pageerror] ${e}`)].join('\n'),
    );
  }
  await writeFile(path.join(dir, 'godown.log'), serverLog);
  return dir;
}
