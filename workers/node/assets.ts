import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { APP_ASSETS_PREFIX, APP_MANIFEST_FILE, PUBLIC_DIR, type AppBundle, type AppManifest } from '../app-bundle';
import type { AssetStore } from '../services/ports';

const ASSETS_DIR = 'pages-ui/landing/assets';

const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Files from a folder on disk; paths that would leave it are treated as missing. */
export function fileAssetStore(root: string = ASSETS_DIR): AssetStore {
  const base = normalize(root) + sep;
  return {
    async get(path) {
      const full = normalize(join(base, path));
      if (!full.startsWith(base)) return null;
      try {
        const info = await stat(full);
        if (!info.isFile()) return null;
        const data = await readFile(full);
        return {
          body: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
          contentType: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
          size: info.size,
        };
      } catch {
        return null;
      }
    },
  };
}

/**
 * The app build in dist/public (scripts/build-app.ts). The manifest is read again whenever the
 * file changes, so `npm run dev`'s rebuilds are served without a restart.
 */
export function fileAppBundle(root: string = PUBLIC_DIR): AppBundle {
  const manifestPath = join(root, APP_MANIFEST_FILE);
  const files = fileAssetStore(join(root, APP_ASSETS_PREFIX.replace(/^\/|\/$/g, '')));
  let cached: { mtimeMs: number; manifest: AppManifest } | undefined;
  return {
    async manifest() {
      try {
        const { mtimeMs } = await stat(manifestPath);
        if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, manifest: JSON.parse(await readFile(manifestPath, 'utf8')) as AppManifest };
        return cached.manifest;
      } catch {
        return null;
      }
    },
    file: (path) => files.get(path),
  };
}
