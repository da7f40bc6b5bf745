/**
 * The paste cleaner: HTML from the clipboard → the rich-text markdown subset. The walk is pure
 * logic over a DOM tree, tested here on hand-built trees; the hostile-HTML cases run in real
 * Chromium, because what matters there is how a browser's parser reads the markup (unclosed tags,
 * `<template>`, `<svg>`, entity tricks) — exactly what the inspector gets when someone pastes.
 */
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseRichText, richTextHrefs } from '../../workers/domain/rich-text';
import { isSafeLinkHref } from '../../workers/domain/safe-urls';
import { documentToMarkdown } from '../../pages-ui/app/views/editor/inspector/paste-cleaner';
import { chromiumAvailable, launchBrowser } from '../support/browser';

type TestNode = {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: TestNode[];
  getAttribute?(name: string): string | null;
};
const text = (value: string): TestNode => ({ nodeType: 3, nodeName: '#text', nodeValue: value, childNodes: [] });
const el = (name: string, attrs: Record<string, string>, ...children: Array<TestNode | string>): TestNode => ({
  nodeType: 1,
  nodeName: name.toUpperCase(),
  nodeValue: null,
  childNodes: children.map((c) => (typeof c === 'string' ? text(c) : c)),
  getAttribute: (n) => attrs[n] ?? null,
});

describe('the walk (hand-built trees)', () => {
  it('keeps paragraphs, headings, lists, bold, italic and safe links; drops the rest', () => {
    const body = el(
      'body',
      {},
      el('h1', {}, 'Title'),
      el('p', { class: 'lead', onclick: 'steal()' }, 'Some ', el('strong', {}, 'bold'), ' and ', el('em', {}, 'slanted'), ' text.'),
      el('ul', {}, el('li', {}, 'one'), el('li', {}, 'two ', el('a', { href: 'https://example.com/x' }, 'link'))),
      el('script', {}, 'alert(1)'),
      el('p', {}, el('a', { href: 'javascript:alert(1)' }, 'not a link')),
    );
    expect(documentToMarkdown(body)).toBe(
      '## Title\n\nSome **bold** and *slanted* text.\n\n- one\n- two [link](https://example.com/x)\n\nnot a link',
    );
  });

  it('reads bold and italic from inline styles, and Google Docs’ normal-weight wrapper as not bold', () => {
    const body = el(
      'body',
      {},
      el(
        'b',
        { 'data-pasted-style': 'font-weight:normal;' },
        el(
          'p',
          {},
          el('span', { 'data-pasted-style': 'font-weight:700' }, 'Bold'),
          ' plain ',
          el('span', { style: 'font-style:italic' }, 'it'),
        ),
      ),
    );
    expect(documentToMarkdown(body)).toBe('**Bold** plain *it*');
  });
});

describe.skipIf(!chromiumAvailable)('pasted HTML in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: ['pages-ui/app/views/editor/inspector/paste-cleaner.ts'],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'cleaner',
      platform: 'browser',
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    // A page with the app's own style policy, so a cleaner that let inline styles apply would log refusals.
    await page.route('http://cleaner.test/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: { 'Content-Security-Policy': "style-src 'self'; script-src 'unsafe-inline'" },
        body: '<!doctype html><title>cleaner</title>',
      }),
    );
    await page.goto('http://cleaner.test/');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const clean = (html: string): Promise<string> =>
    page.evaluate((h) => (window as unknown as { cleaner: { htmlToMarkdown(x: string): string } }).cleaner.htmlToMarkdown(h), html);

  it('runs nothing and loads nothing from hostile markup, and leaves none of it in the text', async () => {
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    page.on('dialog', (d) => {
      messages.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const hostile = [
      '<img src="http://tracker.test/pixel.gif" onerror="window.pwned=1;alert(1)">Hello',
      '<script>window.pwned=2</script><svg onload="window.pwned=3"><script>alert(3)</script></svg>',
      '<iframe src="javascript:alert(4)"></iframe><object data="http://tracker.test/x.swf"></object>',
      '<style>@import "http://tracker.test/x.css"; body{background:url(http://tracker.test/bg.png)}</style>',
      '<p style="background:url(http://tracker.test/inline.png)">styled</p>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(5)>',
      '<template><img src=x onerror=alert(6)>in a template</template>',
      '<noscript><p title="</noscript><img src=x onerror=alert(7)>">nope</p></noscript>',
      '<form action="http://tracker.test/"><input value="secret"><button>Send</button></form>',
    ].join('');
    const out = await clean(hostile);
    expect(out).toBe('Hello\n\nstyled');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(requests.filter((r) => r.includes('tracker.test'))).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('keeps only links a published page may have: absolute http(s) and mailto', async () => {
    const out = await clean(
      [
        '<a href="javascript:alert(1)">js</a>',
        '<a href="JaVaScRiPt:alert(1)">js2</a>',
        '<a href="java&#x09;script:alert(1)">js3</a>',
        '<a href="data:text/html,<script>alert(1)</script>">data</a>',
        '<a href="vbscript:x">vb</a>',
        '<a href="/pricing">relative</a>',
        '<a href="//evil.example/">protocol-relative</a>',
        '<a href="https://user:pw@example.com/">credentials</a>',
        '<a href="https://example.com/wiki/Foo_(bar)">parens</a>',
        '<a href="mailto:hi@example.com">mail</a>',
        '<a>no href</a>',
      ].join(' '),
    );
    expect(out).toBe(
      'js js2 js3 data vb relative protocol-relative credentials [parens](https://example.com/wiki/Foo_%28bar%29) [mail](mailto:hi@example.com) no href',
    );
    for (const href of richTextHrefs(out)) expect(isSafeLinkHref(href)).toBe(true);
  });

  it('escapes text that would read as markup, so pasted words stay words', async () => {
    const out = await clean(
      '<p>**not bold** and [not](a link) and a \\ backslash</p><p>## not a heading</p><p>- not a list</p><p>* nor this</p>',
    );
    expect(out).toBe(
      '\\*\\*not bold\\*\\* and \\[not\\](a link) and a \\\\ backslash\n\n\\## not a heading\n\n\\- not a list\n\n\\* nor this',
    );
    expect(parseRichText(out)).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: '**not bold** and [not](a link) and a \\ backslash' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: '## not a heading' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: '- not a list' }] },
      { kind: 'paragraph', children: [{ kind: 'text', text: '* nor this' }] },
    ]);
  });

  it('reads Google Docs and Word clipboard HTML into headings, lists, bold and italic', async () => {
    const docs =
      '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><h1 dir="ltr"><span style="font-size:20pt">Your routine</span></h1>' +
      '<p dir="ltr"><span style="font-weight:700">Cleanse</span><span style="font-weight:400"> first, then </span><span style="font-style:italic">tone</span><span>.</span></p>' +
      '<ul><li dir="ltr"><p dir="ltr"><span>Morning</span></p></li><li dir="ltr"><p dir="ltr"><span>Evening</span></p></li></ul></b>';
    expect(await clean(docs)).toBe('## Your routine\n\n**Cleanse** first, then *tone*.\n\n- Morning\n- Evening');

    const word =
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style></head><body>' +
      '<p class=MsoNormal><b><span lang=EN-GB>Step one<o:p></o:p></span></b></p>' +
      '<p class=MsoListParagraph style="mso-list:l0 level1 lfo1"><![if !supportLists]><span>·<span style="font:7.0pt">&nbsp;&nbsp; </span></span><![endif]>Apply <i>gently</i><o:p></o:p></p>' +
      '<h3>Notes</h3></body></html>';
    expect(await clean(word)).toBe('**Step one**\n\n· Apply *gently*\n\n### Notes');
  });

  it('flattens nested and numbered lists, joins table cells, breaks on <br>, collapses whitespace', async () => {
    expect(await clean('<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>')).toBe('- a\n- b\n- c');
    expect(await clean('<table><tr><th>Size</th><td>30 ml</td></tr><tr><td>Price</td><td>$25</td></tr></table>')).toBe(
      'Size · 30 ml\n\nPrice · $25',
    );
    expect(await clean('line one<br>line two')).toBe('line one\n\nline two');
    expect(await clean('<p>  many   spaces\n and\tlines&nbsp;here </p>')).toBe('many spaces and lines here');
    expect(await clean('<b>bold </b>next <i> </i>end')).toBe('**bold** next end');
    expect(await clean('<h2>A <a href="https://example.com">linked</a> <strong>heading</strong></h2>')).toBe(
      '## A [linked](https://example.com) **heading**',
    );
  });

  it('survives odd element names, deep nesting and huge pastes', async () => {
    // `<__proto__>` is no tag to a browser: it stays as the text it is (the renderer escapes it).
    expect(await clean('<constructor>x</constructor><__proto__>y</__proto__><toString>z</toString>')).toBe('x<__proto__>yz');
    expect(await clean(`${'<b>'.repeat(3000)}deep${'</b>'.repeat(3000)}`)).toBe('**deep**');
    const huge = await clean(`<p>${'word '.repeat(10_000)}</p>`);
    expect(huge.length).toBe(20_000);
    expect(await clean('<!-- secret --><p>shown</p><!--[if gte mso 9]><xml>hidden</xml><![endif]-->')).toBe('shown');
    expect(await clean('')).toBe('');
  });
});
