/**
 * The visitor tracker as a classic script, inlined at the end of every published page. Classic,
 * not a module: it runs as soon as the parser reaches it, before the (deferred) islands module, so
 * the islands' first `lf:track` events are heard. `--check`: fail if the generated file is stale.
 */
import { buildInlineScript } from './inline-script';

await buildInlineScript({
  label: 'tracker',
  script: 'scripts/build-tracker.ts',
  entry: 'pages-ui/tracker/tracker.ts',
  output: 'pages-ui/tracker/generated.ts',
  exportName: 'TRACKER',
  format: 'iife',
  budgetGzipBytes: 1536,
});
