/**
 * Which way imports may point (ARCHITECTURE / DESIGN: "Which way imports point"). Checked by
 * `npm run lint:deps` in CI, so a change that crosses a layer fails the build instead of
 * quietly growing a circle.
 *
 *   entries (cloudflare.ts, node.ts) → app.ts → routes/ → services/ → domain/
 *                                                ↘ middleware/  services/ → db/
 *   pages-ui/landing ← routes/public (rendering)   pages-ui/app → the typed contract only
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Packages that mean "HTTP framework", "storage" or "UI": none of them belongs in domain/. */
const HONO = '^node_modules/hono/';
const STORAGE = '^node_modules/(drizzle-orm|@libsql|libsql)/';
const UI_LIBS = '^node_modules/(preact|preact-render-to-string)/';

/**
 * Files under services/ that still read Hono's request context. Both belong to the capture work
 * (issue 11 §4), which moves them to the HTTP edge; delete these exemptions with that move.
 */
const CAPTURE_EDGE_FILES = '^workers/services/(visitor-identity|write-context)[.]ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import circles hide which layer owns what (and type-only circles count too): break them with a port or a shared type module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'workers/domain/ is pure rules: no storage, services, HTTP, UI or Node built-ins.',
      from: { path: '^workers/domain/' },
      to: {
        path: ['^db/', '^workers/(?!domain/)', '^pages-ui/', '^test/', '^scripts/', HONO, STORAGE, UI_LIBS],
      },
    },
    {
      name: 'domain-no-node-builtins',
      severity: 'error',
      comment: 'workers/domain/ runs in the Worker, the Node server and the browser islands alike.',
      from: { path: '^workers/domain/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'services-take-plain-inputs',
      severity: 'error',
      comment:
        'Services take plain inputs and ports (services/ports.ts): no Hono, no routes or middleware, no UI, and not the app composition (deps.ts, app.ts) or a runtime adapter.',
      from: { path: '^workers/services/', pathNot: CAPTURE_EDGE_FILES },
      to: {
        path: [
          HONO,
          UI_LIBS,
          '^workers/(routes|middleware|cloudflare|node)/',
          '^workers/(app|deps|env|cloudflare|node)[.]ts$',
          '^pages-ui/',
        ],
      },
    },
    {
      name: 'contract-is-plain-types',
      severity: 'error',
      comment:
        'workers/contract/ is what the server sends and the UI renders: types and constant lists over domain/ only, so the SPA can import it without the server.',
      from: { path: '^workers/contract/' },
      to: { path: ['^workers/(?!(contract|domain)/)', '^db/', '^pages-ui/', HONO, STORAGE, UI_LIBS] },
    },
    {
      name: 'middleware-not-routes',
      severity: 'error',
      comment: 'Middleware is shared by the routes; it does not reach back into them or into the UI.',
      from: { path: '^workers/middleware/' },
      to: { path: ['^workers/routes/', '^pages-ui/', '^workers/(app|cloudflare|node)[.]ts$'] },
    },
    {
      name: 'db-below-services',
      severity: 'error',
      comment: 'db/ (schema, client, migrations) sits under the services. Only the seed tools compose services.',
      from: { path: '^db/', pathNot: '^db/seed' },
      to: { path: ['^workers/(?!domain/)', '^pages-ui/'] },
    },
    {
      name: 'no-node-builtins-in-the-worker',
      severity: 'error',
      comment:
        'Code under workers/ (except the Node entry and its adapters) and pages-ui/ runs in workerd or the browser: no node:* modules.',
      from: { path: ['^workers/', '^pages-ui/'], pathNot: ['^workers/node[.]ts$', '^workers/node/'] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'worker-entry-not-node-stack',
      severity: 'error',
      comment: "The Worker entry must not reach the Node entry, its adapters or db/client.ts (it loads libSQL's native driver).",
      from: { path: '^workers/cloudflare[.]ts$' },
      to: { path: ['^workers/node[.]ts$', '^workers/node/', '^db/client[.]ts$'], reachable: true },
    },
    {
      name: 'adapters-stay-with-their-runtime',
      severity: 'error',
      comment:
        'Runtime adapters are composed by their entry (workers/cloudflare.ts, workers/node.ts) and nowhere else in the app; dev tools and tests may use them.',
      from: { path: '^workers/', pathNot: ['^workers/cloudflare([.]ts$|/)'] },
      to: { path: '^workers/cloudflare/' },
    },
    {
      name: 'node-adapters-stay-with-node',
      severity: 'error',
      comment: 'Node adapters are composed by workers/node.ts (and the seed/dev tools), never by the shared app.',
      from: { path: '^workers/', pathNot: ['^workers/node([.]ts$|/)'] },
      to: { path: '^workers/node/' },
    },
    {
      name: 'runtime-not-from-test',
      severity: 'error',
      comment: 'Runtime and dev-tool code never imports from test/: shared helpers (e.g. the Hrana bridge) live in scripts/ or db/.',
      from: { path: ['^workers/', '^db/', '^pages-ui/', '^scripts/'] },
      to: { path: '^test/' },
    },
    {
      name: 'ui-not-from-server-layers',
      severity: 'error',
      comment:
        'pages-ui/ renders data it is given: it takes types from workers/contract/ (and pure rules from domain/), never from services, routes, middleware or db.',
      from: { path: '^pages-ui/' },
      to: { path: ['^workers/(services|routes|middleware|cloudflare|node)/', '^workers/(deps|env|cloudflare|node)[.]ts$', '^db/'] },
    },
    {
      name: 'ui-names-the-app-type-only',
      severity: 'error',
      comment: 'The UI may name `AppType` (workers/app.ts) for the typed client hc<AppType>, but must not bundle the server.',
      from: { path: '^pages-ui/' },
      to: { path: '^workers/app[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'spa-only-through-the-contract',
      severity: 'error',
      comment:
        'pages-ui/app (the team SPA) talks to the server only through the shared contract types and the typed client (type-only AppType); it shares the money format of pages-ui/format.ts with the published pages.',
      from: { path: '^pages-ui/app/', pathNot: '^pages-ui/app/views/editor/' },
      to: {
        path: ['^workers/', '^db/', '^pages-ui/'],
        pathNot: ['^pages-ui/app/', '^workers/contract/', '^workers/app[.]ts$', '^pages-ui/format[.]ts$'],
      },
    },
    {
      name: 'editor-previews-with-the-landing-renderer',
      severity: 'error',
      comment:
        "The page editor's preview is rendered in the browser by the published pages' own renderer (what you see is what visitors get), so views/editor/ may also import pages-ui/landing and the pure domain modules it renders from (block types, links) — still nothing of the server.",
      from: { path: '^pages-ui/app/views/editor/' },
      to: {
        path: ['^workers/', '^db/', '^pages-ui/'],
        pathNot: [
          '^pages-ui/app/',
          '^pages-ui/landing/',
          '^workers/domain/',
          '^workers/contract/',
          '^workers/app[.]ts$',
          '^pages-ui/format[.]ts$',
        ],
      },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // Type-only imports are edges too: a circle of types is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
