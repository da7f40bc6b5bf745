/**
 * The landing-page islands (Preact, the quiz and the chat capture) as one ES module, inlined on
 * pages with a quiz or chat; and the countdown ticker, a classic script inlined on pages with a
 * running countdown. `--check`: fail if pages-ui/landing/generated/*.ts are stale.
 */
import { buildInlineScript } from './inline-script';

await buildInlineScript({
  label: 'islands',
  script: 'scripts/build-islands.ts',
  entry: 'pages-ui/landing/islands/entry.ts',
  from: 'pages-ui/landing/islands/',
  output: 'pages-ui/landing/generated/islands.ts',
  exportName: 'ISLANDS',
  format: 'esm',
  budgetGzipBytes: 8 * 1024,
  assignClassFields: true,
});

await buildInlineScript({
  label: 'countdown',
  script: 'scripts/build-islands.ts',
  entry: 'pages-ui/landing/countdown/countdown.ts',
  output: 'pages-ui/landing/generated/countdown.ts',
  exportName: 'COUNTDOWN',
  format: 'iife',
  budgetGzipBytes: 1024,
});
