/**
 * Real Chromium (Debian's package, never a downloaded browser) driven by playwright-core.
 * Without /usr/bin/chromium the browser suites are skipped with the install line printed —
 * except under CI=true, where a missing browser is a failure.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { App } from '../../workers/app';
import type { Server as HttpServer } from 'node:http';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

if (!chromiumAvailable) {
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is required in CI but ${CHROMIUM_PATH} is missing. Install it with: ${INSTALL_HINT}`);
  }
  console.warn(`\n[browser tests skipped] Chromium not found at ${CHROMIUM_PATH}. Install it with: ${INSTALL_HINT}\n`);
}

/** `userAgent` applies browser-wide, beacons sent while a page unloads included (a context's override misses those). */
export async function launchBrowser(options: { userAgent?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      ...(options.userAgent ? [`--user-agent=${options.userAgent}`] : []),
    ],
  });
}

/** Serves the app on a loopback port (a real HTTP server, as `npm start` does). */
export async function serveApp(app: Pick<App, 'fetch'>): Promise<{ base: string; close(): Promise<void> }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as HttpServer).closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A screenshot the README shows: written to test-artifacts/ on every run, and to docs/ (the
 * committed copy) only when `UPDATE_README_SCREENSHOTS=1`, so a test run leaves the repo clean.
 */
export async function readmeScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const dir = process.env.UPDATE_README_SCREENSHOTS === '1' ? 'docs' : 'test-artifacts';
  await page.screenshot({ path: `${dir}/${name}.jpg`, type: 'jpeg', quality: 82, ...options });
}
