/**
 * URL fields accept only what they mean after normalisation: a corpus of disguised scripts, data
 * documents, CSS and protocol-relative hosts against every predicate the URL fields use, and the
 * plain addresses marketers really use, which must keep passing.
 */
import { describe, expect, it } from 'vitest';
import { pageContentSchema, type PageContent } from '../../workers/domain/blocks';
import {
  hiddenUrlMeaning,
  isHttpsUrl,
  isHttpUrl,
  isImageSource,
  isSafeLinkHref,
  isSitePath,
  isSiteRelativeUrl,
  normaliseUrl,
  schemeOf,
} from '../../workers/domain/safe-urls';
import { checkWebhookUrl } from '../../workers/domain/ssrf';
import { leadFormPage } from '../support/fixtures';

/** Values no URL field may hold, whatever it is for. */
const HOSTILE = [
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'java\tscript:alert(1)',
  'java\nscript:alert(1)',
  'java\rscript:alert(1)',
  'jav&#x09;ascript:alert(1)',
  'jav&#9;ascript:alert(1)',
  'javascript&colon;alert(1)',
  '&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)',
  '%6a%61vascript:alert(1)',
  '%256a%2561vascript:alert(1)',
  ' javascript:alert(1)',
  '\u0001javascript:alert(1)',
  '\u0000https://example.com/',
  '  https://example.com/',
  'https://example.com/ ',
  '//evil.example.com/',
  '/\\evil.example.com/',
  '\\\\evil.example.com/',
  '/%2F%2Fevil.example.com/',
  '/%2f/evil.example.com/',
  '#000000;background:url(javascript:alert(1))',
  '/img.png);background:url(javascript:alert(1)',
  'https://cdn.example.com/a.png);background:url(javascript:alert(1)',
  'https://cdn.example.com/a.png%22%20onerror=%22alert(1)',
  'https://cdn.example.com/?x=expression(alert(1))',
  '/a.png?%3Cscript%3Ealert(1)%3C/script%3E',
  'https://example.com/?next=javascript:alert(1)',
  '/go?to=%6a%61vascript%3Aalert(1)',
];

/** Plain addresses from real pages: they keep working. */
const PLAIN_LINKS = [
  'https://shop.example.com/checkout?plan=pro&utm_source=landing',
  'http://example.com/',
  'https://en.wikipedia.org/wiki/Retinol_(vitamin)',
  'https://example.com/caf%C3%A9',
  'https://example.com/100%',
  '/p/cosmetics-set/offer',
  '/assets/cosmetics-set.svg',
  '#faq',
  '?ref=newsletter',
  'mailto:hello@example.com',
];

describe('normaliseUrl', () => {
  it.each([
    ['java\tscript:alert(1)', 'javascript:alert(1)'],
    ['JAV&#x09;ASCRIPT:', 'javascript:'],
    ['%6A%61vascript:', 'javascript:'],
    ['%256a', 'j'],
    ['javascript&colon;', 'javascript:'],
    ['\u0000 \u001fjavascript:x \n', 'javascript:x'],
    ['https://example.com/100%', 'https://example.com/100%'],
  ])('%j → %j', (raw, normalised) => expect(normaliseUrl(raw)).toBe(normalised));

  it('reads the scheme a browser would', () => {
    expect(schemeOf('java\tscript:alert(1)')).toBe('javascript');
    expect(schemeOf('/p/x')).toBeNull();
  });
});

describe('every URL predicate refuses the hostile corpus', () => {
  it.each(HOSTILE)('%j', (value) => {
    expect(isHttpUrl(value)).toBe(false);
    expect(isHttpsUrl(value)).toBe(false);
    expect(isImageSource(value)).toBe(false);
    expect(isSafeLinkHref(value)).toBe(false);
    expect(isSiteRelativeUrl(value)).toBe(false);
    expect(isSitePath(value)).toBe(false);
    expect(checkWebhookUrl(value).ok).toBe(false);
  });

  it('names what a value hides', () => {
    expect(hiddenUrlMeaning('jav&#x09;ascript:alert(1)')).toBe('it hides a javascript: address');
    expect(hiddenUrlMeaning('#000000;background:url(x)')).toBe('it hides CSS');
    expect(hiddenUrlMeaning('/a%22b')).toBe('it hides markup');
    expect(hiddenUrlMeaning('https://example.com/metadata:1')).toBeNull();
  });
});

describe('plain addresses still pass', () => {
  it.each(PLAIN_LINKS)('%j is a link', (value) => expect(isSafeLinkHref(value)).toBe(true));

  it('keeps images to https and paths on this site', () => {
    expect(isImageSource('https://cdn.example.com/a.png?w=800')).toBe(true);
    expect(isImageSource('/media/0123abcd/01J0000000000000000000000.png')).toBe(true);
    expect(isImageSource('#top')).toBe(false);
    expect(isImageSource('?x=1')).toBe(false);
    expect(isImageSource('http://cdn.example.com/a.png')).toBe(false);
  });

  it('keeps webhook URLs with encoded queries', () => {
    expect(checkWebhookUrl('https://hooks.example.com/leadflare?token=a%2Fb%3D').ok).toBe(true);
  });
});

/** The demo-like page with one field changed, through the page schema the API validates with. */
function withChange(change: (content: PageContent) => void) {
  const content = structuredClone(leadFormPage());
  change(content);
  return pageContentSchema.safeParse(content);
}

const issuePaths = (result: ReturnType<typeof withChange>) =>
  result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));

describe('the page schema refuses hidden meanings in every URL-bearing field', () => {
  const image = (src: string) => ({ id: 'pic', type: 'image' as const, src, alt: 'A picture' });

  it.each(HOSTILE)('image src %j', (src) => {
    expect(issuePaths(withChange((c) => void c.blocks.push(image(src))))).toEqual(['blocks.2.src']);
  });

  it.each(HOSTILE)('button URL, theme logo and SEO image %j', (url) => {
    expect(
      issuePaths(
        withChange((c) => {
          c.blocks.push({ id: 'go', type: 'cta', label: 'Go', target: { kind: 'url', url } });
          c.settings.theme.logo = { src: url, alt: 'Logo' };
          c.settings.ogImage = url;
        }),
      ),
    ).toEqual(['settings.ogImage', 'settings.theme.logo.src', 'blocks.2.target.url']);
  });

  it.each([
    '[x](java\tscript:alert(1))',
    '[x](java\nscript:alert(1))',
    '[x](jav&#x09;ascript:alert(1))',
    '[x](%6a%61vascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x]( vbscript:msgbox(1))',
    '[x](data:text/html,hi)',
    '[x](//evil.example.com)',
    '[x](/%2F%2Fevil.example.com)',
    '[x](#a;background:url(x))',
    'Read [the guide](https://example.com/?u=javascript:alert(1)) first.',
  ])('markdown link %j', (markdown) => {
    expect(issuePaths(withChange((c) => void c.blocks.push({ id: 'copy', type: 'rich_text', markdown })))).toEqual(['blocks.2.markdown']);
  });

  it('keeps plain links and link-shaped text that is no link', () => {
    const markdown = [
      'See [our shop](https://shop.example.com/?utm_source=x), [the FAQ](#faq) and [write to us](mailto:hi@example.com).',
      'Brackets in prose [like this](and this) stay text.',
    ].join('\n\n');
    expect(withChange((c) => void c.blocks.push({ id: 'copy', type: 'rich_text', markdown })).success).toBe(true);
  });
});
