/**
 * The team's app bundle as the server sees it: what `scripts/build-app.ts` writes and the shell
 * route (routes/public/app-shell.tsx) reads. Types and path constants only, shared by the build,
 * both runtimes and the bench.
 *
 * Layout of the static-assets directory (wrangler.toml `[assets] directory`):
 *
 *   dist/public/
 *     assets/              copy of pages-ui/landing/assets (images, gated/ lead magnets)
 *     assets/app/          the SPA: main-<hash>.js, views/…-<hash>.js, shared chunk-<hash>.js, main-<hash>.css
 *     _headers             immutable caching for /assets/app/* when Cloudflare serves them directly
 *     app-manifest.json    this file's AppManifest; read by the Worker, never served to browsers
 *     funnel-templates.json  the funnel templates as data; read by the Worker (services/ports.ts
 *                          `TemplateCatalog`), never served to browsers
 */
import type { StoredAsset } from './services/ports';

/** The static-assets directory the build writes and wrangler uploads. */
export const PUBLIC_DIR = 'dist/public';
/** URL prefix (and folder under PUBLIC_DIR) of the hashed app files. */
export const APP_ASSETS_PREFIX = '/assets/app/';
/** File name of the manifest in PUBLIC_DIR. */
export const APP_MANIFEST_FILE = 'app-manifest.json';
/** File name, in PUBLIC_DIR, of the funnel templates as JSON (domain/templates `FUNNEL_TEMPLATES`). */
export const TEMPLATES_FILE = 'funnel-templates.json';
/** Every app file name carries its content hash, so it may be cached for a year. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

export interface AppChunk {
  /** Path under /assets/app/, e.g. `views/funnels/list-7GQ2X3ZA.js`. */
  file: string;
  kind: 'entry' | 'view' | 'shared' | 'css';
  /** The source file a view or the entry was built from, e.g. `pages-ui/app/views/funnels/list.tsx`. */
  source?: string;
  bytes: number;
  gzipBytes: number;
  /** Chunks this one imports statically (loaded with it). */
  imports: string[];
}

export interface AppManifest {
  /** The entry module, loaded by the shell's one `<script type="module">`. */
  entry: string;
  /** Stylesheets of the entry, linked from the shell. */
  css: string[];
  /** Every chunk the entry imports statically, transitively: `<link rel="modulepreload">` for each. */
  preload: string[];
  chunks: AppChunk[];
}

/** Where a runtime finds the built app: its manifest, and its files for `/assets/app/*`. */
export interface AppBundle {
  /** Null when the app has not been built (`npm run build:app`). */
  manifest(): Promise<AppManifest | null>;
  /** A file by its path under /assets/app/, or null. */
  file(path: string): Promise<StoredAsset | null>;
}
