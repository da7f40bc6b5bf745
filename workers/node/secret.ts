import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The app secret on the local runtime: APP_SECRET if set; otherwise, for a local database file, a
 * random one kept beside it (`.data/app-secret`, mode 600) so tokens survive restarts. A remote
 * database needs APP_SECRET set explicitly: several instances must share it.
 */
export function loadOrCreateSecret(fromEnv: string | undefined, databaseUrl: string): string {
  if (fromEnv) return fromEnv;
  if (!databaseUrl.startsWith('file:')) throw new Error('APP_SECRET must be set when DATABASE_URL is not a local file.');
  const path = `${dirname(databaseUrl.slice('file:'.length))}/app-secret`;
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}
