import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One scratch directory per run for test databases; removed afterwards. */
export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'leadflare-test-'));
  process.env.LEADFLARE_TEST_DIR = dir;
  if (!existsSync('dist/worker/cloudflare.js')) {
    console.warn('dist/worker/cloudflare.js is missing: run `npm run build` (npm test does) before the Worker tests.');
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
