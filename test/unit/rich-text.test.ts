import { describe, expect, it } from 'vitest';
import { parseInline, parseRichText, richTextHrefs } from '../../workers/domain/rich-text';
import { isHttpUrl, isImageSource, isSafeLinkHref, isSiteRelativeUrl } from '../../workers/domain/safe-urls';

describe('parseRichText', () => {
  it('parses headings, paragraphs and bullet lists', () => {
    expect(parseRichText('## Why\n\nFirst line\nsame paragraph.\n\n- one\n* two\n  continued\n### Small')).toEqual([
      { kind: 'heading', level: 2, children: [{ kind: 'text', text: 'Why' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'First line same paragraph.' }] },
      {
        kind: 'list',
        items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two continued' }]],
      },
      { kind: 'heading', level: 3, children: [{ kind: 'text', text: 'Small' }] },
    ]);
  });

  it('keeps "# " and "#### " headings as text: only ## and ### exist', () => {
    expect(parseRichText('# Big\n\n#### Tiny')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: '# Big' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: '#### Tiny' }] },
    ]);
  });

  it('parses bold, italic and links, nested', () => {
    expect(parseInline('a **b *c* d** [e **f**](https://x.example) g')).toEqual([
      { kind: 'text', text: 'a ' },
      {
        kind: 'strong',
        children: [
          { kind: 'text', text: 'b ' },
          { kind: 'em', children: [{ kind: 'text', text: 'c' }] },
          { kind: 'text', text: ' d' },
        ],
      },
      { kind: 'text', text: ' ' },
      {
        kind: 'link',
        href: 'https://x.example',
        children: [
          { kind: 'text', text: 'e ' },
          { kind: 'strong', children: [{ kind: 'text', text: 'f' }] },
        ],
      },
      { kind: 'text', text: ' g' },
    ]);
  });

  it('leaves unmatched or spaced delimiters and escapes as text', () => {
    expect(parseInline('2 * 3 * 4')).toEqual([{ kind: 'text', text: '2 * 3 * 4' }]);
    expect(parseInline('**open')).toEqual([{ kind: 'text', text: '**open' }]);
    expect(parseInline('\\*not italic\\*')).toEqual([{ kind: 'text', text: '*not italic*' }]);
    expect(parseInline('[no link] (x)')).toEqual([{ kind: 'text', text: '[no link] (x)' }]);
  });

  it('never produces HTML: tags stay text', () => {
    expect(parseRichText('<img src=x onerror=alert(1)> **<b>**')).toEqual([
      {
        kind: 'paragraph',
        children: [
          { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
          { kind: 'strong', children: [{ kind: 'text', text: '<b>' }] },
        ],
      },
    ]);
  });

  it('lists every link target', () => {
    expect(richTextHrefs('[a](/x) and\n\n- [b](javascript:alert(1))')).toEqual(['/x', 'javascript:alert(1']);
  });

  it('stays fast on hostile input', () => {
    const started = performance.now();
    parseRichText('*['.repeat(5000) + '**'.repeat(5000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('safe URLs', () => {
  it('tells site paths from other sites', () => {
    expect(isSiteRelativeUrl('/p/x')).toBe(true);
    expect(isSiteRelativeUrl('#faq')).toBe(true);
    expect(isSiteRelativeUrl('//evil.example.com')).toBe(false);
    expect(isSiteRelativeUrl('/\\evil.example.com')).toBe(false);
    expect(isSiteRelativeUrl('javascript:alert(1)')).toBe(false);
  });

  it('accepts only http(s) absolute URLs without credentials', () => {
    expect(isHttpUrl('https://example.com/a?b#c')).toBe(true);
    expect(isHttpUrl('https://a:b@example.com/')).toBe(false);
    expect(isHttpUrl(' https://example.com')).toBe(false);
    expect(isHttpUrl('javas\tcript:alert(1)')).toBe(false);
  });

  it('accepts images over https or from this site only', () => {
    expect(isImageSource('https://cdn.example.com/a.png')).toBe(true);
    expect(isImageSource('/assets/a.png')).toBe(true);
    expect(isImageSource('http://cdn.example.com/a.png')).toBe(false);
  });

  it('accepts mailto links with an address', () => {
    expect(isSafeLinkHref('mailto:hello@example.com?subject=Hi')).toBe(true);
    expect(isSafeLinkHref('mailto:')).toBe(false);
  });
});
