import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_MANIFEST_FILE, PUBLIC_DIR } from '../../workers/app-bundle';

/** What the team's app bundle is built from: a change to any of these makes dist/public stale. */
const APP_SOURCES = ['pages-ui/app', 'pages-ui/format.ts', 'pages-ui/landing/assets', 'workers/contract', 'scripts/build-app.ts'];

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * The app tests read the built app (dist/public): rebuild it when it is missing or older than its
 * sources, so `npx vitest run test/e2e/app-shell.test.ts` tests the code as it is. `npm test`
 * builds first, so this finds it fresh.
 */
function ensureAppBuilt(): void {
  const manifest = join(PUBLIC_DIR, APP_MANIFEST_FILE);
  const builtAt = existsSync(manifest) ? statSync(manifest).mtimeMs : 0;
  if (builtAt >= Math.max(...APP_SOURCES.map(newestMtime))) return;
  console.warn(`${manifest} is ${builtAt ? 'older than its sources' : 'missing'}: building the app (scripts/build-app.ts) …`);
  const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-app.ts'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('The app build failed; see above.');
}

/** One scratch directory per run for test databases; removed afterwards. */
export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'leadflare-test-'));
  process.env.LEADFLARE_TEST_DIR = dir;
  ensureAppBuilt();
  if (!existsSync('dist/worker/cloudflare.js')) {
    console.warn('dist/worker/cloudflare.js is missing: run `npm run build` (npm test does) before the Worker tests.');
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
