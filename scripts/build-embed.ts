/** The embeddable form's script, served at /embed.js (pages-ui/embed/embed.ts). */
import { buildInlineScript } from './inline-script';

await buildInlineScript({
  label: 'embed.js',
  script: 'scripts/build-embed.ts',
  entry: 'pages-ui/embed/embed.ts',
  output: 'pages-ui/embed/generated.ts',
  exportName: 'EMBED',
  format: 'iife',
});
