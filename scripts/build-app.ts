/**
 * Builds the team's app (pages-ui/app, Preact) into the static-assets directory, dist/public/:
 * content-hashed ES modules with code splitting (one chunk per lazily loaded view), the
 * stylesheet, a copy of the landing assets, the `_headers` file, funnel-templates.json and app-manifest.json, which the
 * Worker reads to write the shell HTML (see workers/app-bundle.ts for the layout).
 *
 *   tsx scripts/build-app.ts            build once (npm run build:app; npm start and npm run build do)
 *   tsx scripts/build-app.ts --watch    rebuild on change (npm run dev)
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { context, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import {
  APP_ASSETS_PREFIX,
  APP_MANIFEST_FILE,
  IMMUTABLE_CACHE,
  PUBLIC_DIR,
  TEMPLATES_FILE,
  type AppChunk,
  type AppManifest,
} from '../workers/app-bundle';
import { FUNNEL_TEMPLATES } from '../workers/domain/templates';
import { SECURITY_HEADERS } from '../workers/middleware/security-headers';

const ENTRY = 'pages-ui/app/main.tsx';
const LANDING_ASSETS = 'pages-ui/landing/assets';
const OUT_DIR = join(PUBLIC_DIR, APP_ASSETS_PREFIX);

const watch = process.argv.includes('--watch');

/**
 * The hashed files are served straight from Cloudflare's asset layer (wrangler.toml), with these
 * headers: the baseline every Worker response carries (middleware/security-headers.ts), and a
 * year of caching.
 */
const HEADERS_FILE = `# Written by scripts/build-app.ts. Every file under ${APP_ASSETS_PREFIX} has its content hash in its name.
${APP_ASSETS_PREFIX}*
  Cache-Control: ${IMMUTABLE_CACHE}
${SECURITY_HEADERS.map(([name, value]) => `  ${name}: ${value}`).join('\n')}
`;

const options: BuildOptions = {
  entryPoints: [ENTRY],
  outdir: OUT_DIR,
  outbase: 'pages-ui/app',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[dir]/[name]-[hash]',
  chunkNames: '[dir]/[name]-[hash]',
  assetNames: '[name]-[hash]',
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

/** Starts each build from an empty output folder, so stale hashed files never pile up. */
const cleanOutput: Plugin = {
  name: 'clean-output',
  setup(build) {
    build.onStart(() => {
      rmSync(PUBLIC_DIR, { recursive: true, force: true });
      mkdirSync(OUT_DIR, { recursive: true });
    });
  },
};

const writeManifest: Plugin = {
  name: 'write-manifest',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length || !result.metafile) return;
      const manifest = manifestOf(result.metafile);
      cpSync(LANDING_ASSETS, join(PUBLIC_DIR, 'assets'), { recursive: true });
      writeFileSync(join(PUBLIC_DIR, '_headers'), HEADERS_FILE);
      writeFileSync(join(PUBLIC_DIR, APP_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
      // The Worker reads the templates from here instead of bundling them (workers/cloudflare.ts).
      writeFileSync(join(PUBLIC_DIR, TEMPLATES_FILE), JSON.stringify(FUNNEL_TEMPLATES));
      report(manifest);
    });
  },
};

function manifestOf(metafile: Metafile): AppManifest {
  const chunks: AppChunk[] = [];
  let entry: AppChunk | undefined;
  const css: string[] = [];
  for (const [outPath, output] of Object.entries(metafile.outputs)) {
    const file = relative(OUT_DIR, outPath).split('\\').join('/');
    const bytes = output.bytes;
    const gzipBytes = gzipSync(bytesOf(outPath), { level: 9 }).length;
    const imports = output.imports
      .filter((i) => i.kind === 'import-statement' && !i.external)
      .map((i) => relative(OUT_DIR, i.path).split('\\').join('/'));
    const isCss = file.endsWith('.css');
    const chunk: AppChunk = {
      file,
      kind: isCss ? 'css' : output.entryPoint === ENTRY ? 'entry' : output.entryPoint ? 'view' : 'shared',
      ...(output.entryPoint ? { source: output.entryPoint } : {}),
      bytes,
      gzipBytes,
      imports,
    };
    chunks.push(chunk);
    if (chunk.kind === 'entry') {
      entry = chunk;
      if (output.cssBundle) css.push(relative(OUT_DIR, output.cssBundle).split('\\').join('/'));
    }
  }
  if (!entry) throw new Error(`esbuild wrote no output for ${ENTRY}`);
  const byFile = new Map(chunks.map((c) => [c.file, c]));
  const preload = new Set<string>();
  const visit = (file: string) => {
    for (const i of byFile.get(file)?.imports ?? []) {
      if (preload.has(i)) continue;
      preload.add(i);
      visit(i);
    }
  };
  visit(entry.file);
  chunks.sort((a, b) => a.file.localeCompare(b.file));
  return { entry: entry.file, css, preload: [...preload], chunks };
}

/** Bytes of each output file, by path relative to the repository (the metafile has only sizes). */
const outputs = new Map<string, Uint8Array>();
function bytesOf(path: string): Uint8Array {
  const data = outputs.get(path);
  if (!data) throw new Error(`no bytes for ${path}`);
  return data;
}

function report(manifest: AppManifest): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const initial = [manifest.entry, ...manifest.preload].map((f) => manifest.chunks.find((c) => c.file === f)!);
  const gz = initial.reduce((sum, c) => sum + c.gzipBytes, 0);
  console.log(`app: ${manifest.chunks.length} files in ${OUT_DIR}; entry + static imports ${kb(gz)} gzip`);
  for (const c of manifest.chunks)
    console.log(`  ${c.file.padEnd(44)} ${kb(c.bytes).padStart(9)} ${kb(c.gzipBytes).padStart(9)} gzip  ${c.kind}`);
}

const ctx = await context({
  ...options,
  write: false,
  plugins: [
    cleanOutput,
    {
      // Writes the files ourselves (write: false) so their bytes are at hand for the gzip sizes.
      name: 'write-files',
      setup(build) {
        build.onEnd((result) => {
          outputs.clear();
          for (const file of result.outputFiles ?? []) {
            mkdirSync(join(file.path, '..'), { recursive: true });
            writeFileSync(file.path, file.contents);
            outputs.set(relative(process.cwd(), file.path), file.contents);
          }
        });
      },
    },
    writeManifest,
  ],
});

if (watch) {
  await ctx.watch();
  console.log('app: watching pages-ui/app for changes …');
} else {
  const result = await ctx.rebuild();
  await ctx.dispose();
  if (result.errors.length) process.exit(1);
}
