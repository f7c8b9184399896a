import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { buildHttpApp, openVigil, type Vigil } from '../../src/main.ts';
import type { ManualClock } from '../../src/shared/clock.ts';
import { freePort } from '../harness/free-port.ts';
import { LogCapture } from '../harness/test-vigil.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST_INDEX = path.join(ROOT, 'web', 'dist', 'index.html');
const BUILD_LOCK = path.join(ROOT, 'web', '.build-lock');
export const SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots');

/** Debian's Chromium, never a downloaded browser build. */
export const CHROMIUM = process.env['VIGIL_E2E_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The console is served on 127.0.0.1 but addressed as localhost (WebAuthn refuses IP addresses).
  '--host-resolver-rules=MAP localhost 127.0.0.1',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the console when web/dist is missing (npm test builds it first; a lone `vitest run`
 * of an e2e file does it here). A lock directory keeps parallel test files from building twice.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  if (existsSync(DIST_INDEX)) return;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (existsSync(DIST_INDEX)) return;
      await sleep(500);
    }
  }
  try {
    if (!existsSync(DIST_INDEX)) {
      const { buildWeb } = await import('../../scripts/build-web.ts');
      await buildWeb();
    }
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

export interface E2eServer {
  vigil: Vigil;
  /** The server's clock: the system's, or the ManualClock a time-travel test passed in. */
  clock: { now(): number; advance?(ms: number): void };
  app: FastifyInstance;
  /** http://localhost:PORT: the console's public URL and WebAuthn relying party. */
  url: string;
  logs: LogCapture;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real Vigil server on a fresh SQLite data directory, listening on 127.0.0.1, serving the built
 * console. With `dataDir`, it serves that directory with its own root key file (`vigil demo`'s).
 */
export async function startServer(
  options: { dataDir?: string; clock?: ManualClock } = {},
): Promise<E2eServer> {
  await ensureConsoleBuilt();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-e2e-'));
  const key = options.dataDir
    ? { VIGIL_KEY_PROVIDER: 'file' }
    : { VIGIL_KEY_PROVIDER: 'env', VIGIL_MASTER_KEY: randomBytes(32).toString('base64') };
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const config = loadConfig({
    env: {
      VIGIL_DATA_DIR: dataDir,
      ...key,
      VIGIL_SQLITE_SYNCHRONOUS: 'NORMAL',
      VIGIL_HOST: '127.0.0.1',
      VIGIL_PORT: String(port),
      VIGIL_PUBLIC_URL: url,
      VIGIL_LOG_LEVEL: 'info',
    },
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const vigil = await openVigil(config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildHttpApp(vigil);
  await app.listen({ host: '127.0.0.1', port });
  return {
    vigil,
    clock: options.clock ?? { now: Date.now },
    app,
    url,
    logs,
    dataDir,
    async close() {
      await app.close();
      await vigil.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface E2eBrowser {
  browser: Browser;
  /** A fresh, isolated profile (cookies, storage) per person in the test. */
  newContext(options?: { colorScheme?: 'light' | 'dark' }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<E2eBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext({
        viewport: { width: 1360, height: 900 },
        colorScheme: options.colorScheme ?? 'light',
      });
      // Fail a step with Playwright's own message well before the test times out (90 s); a loaded
      // 2-core CI runner with several browsers open has been seen to need more than 10 s for a step.
      context.setDefaultTimeout(20_000);
      return context;
    },
    close: () => browser.close(),
  };
}

/**
 * Collects what would tell us the console is broken or unsafe: CSP violations (an inline
 * script or style the policy blocked), uncaught page errors and console errors.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !/status of (401|403|404)/.test(text))
      problems.push(`console: ${text}`);
  });
  // A string script: this file compiles without the DOM library; it runs in the page.
  void page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  return { problems };
}

/** A browser with one fresh profile and page, watched from its first navigation (see watchPage). */
export async function openWatchedPage(): Promise<{
  chrome: E2eBrowser;
  context: BrowserContext;
  page: Page;
  watch: { problems: string[] };
}> {
  const chrome = await launchBrowser();
  const context = await chrome.newContext();
  const page = await context.newPage();
  return { chrome, context, page, watch: watchPage(page) };
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe-core in the page; returns the serious and critical violations, described. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  const source = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Injected through the DevTools protocol, which the page's CSP does not govern (CSP applies to the page's own loads).
  await page.evaluate(source);
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Saves a full-page screenshot under docs/screenshots/ for the README. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
