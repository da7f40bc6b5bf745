import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pageContentSchema, type PageContent } from '../../workers/domain/blocks';
import { DEMO_FUNNEL_PAGES } from '../../pages-ui/landing/demo-funnel';
import { COUNTDOWN_JS, COUNTDOWN_JS_SHA256 } from '../../pages-ui/landing/generated/countdown';
import { ISLANDS_JS, ISLANDS_JS_SHA256 } from '../../pages-ui/landing/generated/islands';
import { TRACKER_JS, TRACKER_JS_SHA256 } from '../../pages-ui/tracker/generated';
import {
  contentSecurityPolicy,
  HONEYPOT_FIELD,
  renderLandingPage,
  SUBMISSION_TOKEN_PLACEHOLDER,
  type RenderContext,
} from '../../pages-ui/landing/render-page';
import { contrastRatio, themeColours } from '../../pages-ui/landing/theme';

const FUNNEL_PATH = '/p/cosmetics-set';
const pageUrl = (slug: string) => (slug === DEMO_FUNNEL_PAGES[0]!.slug ? FUNNEL_PATH : `${FUNNEL_PATH}/${slug}`);

function contextFor(slug: string, extra: Partial<RenderContext> = {}): RenderContext {
  const index = DEMO_FUNNEL_PAGES.findIndex((page) => page.slug === slug);
  const next = DEMO_FUNNEL_PAGES[index + 1];
  return {
    funnelSlug: 'cosmetics-set',
    pageSlug: slug,
    pagePath: pageUrl(slug),
    pageUrl,
    nextPageUrl: next ? pageUrl(next.slug) : null,
    ...extra,
  };
}

function demo(slug: string): PageContent {
  return structuredClone(DEMO_FUNNEL_PAGES.find((page) => page.slug === slug)!.content);
}

function renderDemo(slug: string, extra: Partial<RenderContext> = {}, content = demo(slug)): string {
  return renderLandingPage(content, contextFor(slug, extra));
}

/** Opening tags of an element, e.g. tags(html, 'input'). */
function tags(html: string, name: string): string[] {
  return html.match(new RegExp(`<${name}\\b[^>]*>`, 'g')) ?? [];
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s/>])`).exec(tag);
  return match ? (match[1] ?? '') : undefined;
}

const gzipBytes = (text: string) => gzipSync(text, { level: 9 }).length;

/** The page's `<script>` opening tags, its islands script and its tracker (one each at most). */
const SCRIPT_TAGS = new Set(['<script type="module">', '<script type="application/json">', '<script>']);
const ISLANDS_TAG = `<script type="module">${ISLANDS_JS}</script>`;
const COUNTDOWN_TAG = `<script>${COUNTDOWN_JS}</script>`;
const TRACKER_TAG = `<script>${TRACKER_JS}</script>`;
const PAYLOAD = '<script>alert(1)</script>';

describe('renderLandingPage: the demo funnel', () => {
  for (const { slug } of DEMO_FUNNEL_PAGES) {
    describe(`/${slug}`, () => {
      const html = renderDemo(slug);

      it('is a complete document with a language, a title, one h1 and a main landmark', () => {
        expect(html.startsWith('<!doctype html><html lang="en"><head><meta charset="utf-8"/>')).toBe(true);
        expect(html).toMatch(/<title>[^<]+<\/title>/);
        expect(tags(html, 'h1')).toHaveLength(1);
        expect(tags(html, 'main')).toHaveLength(1);
        expect(html.endsWith('</body></html>')).toBe(true);
      });

      it('has headings in order, never skipping a level', () => {
        const levels = [...html.matchAll(/<h([1-6])\b/g)].map((match) => Number(match[1]));
        expect(levels[0]).toBe(1);
        levels.forEach((level, i) => i > 0 && expect(level).toBeLessThanOrEqual(levels[i - 1]! + 1));
      });

      it('labels every field', () => {
        const labelled = new Set(tags(html, 'label').map((tag) => attr(tag, 'for')));
        const controls = [...tags(html, 'input'), ...tags(html, 'select'), ...tags(html, 'textarea')].filter(
          (tag) => attr(tag, 'type') !== 'hidden',
        );
        for (const control of controls) expect(labelled.has(attr(control, 'id')), control).toBe(true);
      });

      it('posts every form to this page with its block id, the token placeholder and a hidden honeypot', () => {
        const blockIds = demo(slug).blocks.map((block) => block.id);
        for (const form of html.match(/<form\b[\s\S]*?<\/form>/g) ?? []) {
          expect(attr(form, 'method')).toBe('post');
          expect(attr(form, 'action')).toBe(pageUrl(slug));
          const block = /<input type="hidden" name="_block" value="([^"]+)"\/>/.exec(form);
          expect(blockIds).toContain(block?.[1]);
          expect(form).toContain(`<input type="hidden" name="_token" value="${SUBMISSION_TOKEN_PLACEHOLDER}"/>`);
          const honeypot = tags(form, 'input').find((tag) => attr(tag, 'name') === HONEYPOT_FIELD)!;
          expect(attr(honeypot, 'tabindex')).toBe('-1');
          expect(attr(honeypot, 'autocomplete')).toBe('off');
          expect(form).toMatch(new RegExp(`<div class="hp" aria-hidden="true"><label for="[^"]+">Website</label>${honeypot}`));
        }
      });

      it('ships the islands script only when it has a quiz or a chat capture, the countdown script only with a countdown, the tracker last, and no other script', () => {
        const hasIsland = demo(slug).blocks.some((block) => block.type === 'quiz' || block.type === 'chat_capture');
        const hasCountdown = demo(slug).blocks.some((block) => block.type === 'countdown');
        const scripts = tags(html, 'script');
        expect(
          scripts.every((tag) => SCRIPT_TAGS.has(tag)),
          scripts.join(),
        ).toBe(true);
        expect(scripts.filter((tag) => tag === '<script>')).toHaveLength(hasCountdown ? 2 : 1);
        expect(html.includes(COUNTDOWN_TAG)).toBe(hasCountdown);
        // Last in the body: after the islands, whose quiz reports its steps to the tracker.
        expect(html.endsWith(`${TRACKER_TAG}</body></html>`)).toBe(true);
        if (hasIsland) {
          expect(scripts.filter((tag) => tag === '<script type="module">')).toHaveLength(1);
          expect(html).toContain(`${ISLANDS_TAG}${TRACKER_TAG}`);
        } else if (hasCountdown) {
          expect(html).toContain(`${COUNTDOWN_TAG}${TRACKER_TAG}`);
        } else {
          // Forms-only pages: the tracker aside, no JavaScript at all.
          expect(scripts).toEqual(['<script>']);
        }
      });

      it('fits the first round trip: ≤ 14,000 bytes gzip with its CSS and JS', () => {
        const size = gzipBytes(html);
        console.info(`/${slug}: ${html.length} bytes, ${size} bytes gzip`);
        expect(size).toBeLessThanOrEqual(14_000);
      });
    });
  }

  it('marks the thank-you page noindex and leaves the others indexable', () => {
    expect(renderDemo('thanks')).toContain('<meta name="robots" content="noindex,nofollow"/>');
    expect(renderDemo('offer')).not.toContain('name="robots"');
  });

  it('writes Open Graph tags from the page settings', () => {
    const content = demo('offer');
    content.settings.ogImage = 'https://cdn.example.com/og.png';
    const html = renderDemo('offer', {}, content);
    expect(html).toContain('<meta property="og:title" content="The cosmetics set · $250 · Demo Shop"/>');
    expect(html).toContain('<meta property="og:image" content="https://cdn.example.com/og.png"/>');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
  });

  it('renders the offer price from minor units, with the compare-at price struck through', () => {
    const html = renderDemo('offer');
    expect(html).toContain('<del><span class="sr">Regular price </span>$310.00</del><span class="sr">Now </span>$250.00');
    expect(html).toContain(
      '<a class="btn lg" href="/p/cosmetics-set/thanks" data-lf-cta="set" data-lf-event="checkout_start">Buy the set for $250</a>',
    );
  });

  it('shows the countdown deadline for the ticking script to take over, or its expired text (and no script) once `now` is past it', () => {
    const html = renderDemo('offer');
    expect(html).toContain(
      '<div class="cd" data-lf-cd="1830297540000" data-lf-done="The launch price has ended, but the set is still available."><p>The launch price ends</p><p class="cdc"><time datetime="2027-12-31T23:59:00.000Z">December 31, 2027 at 11:59 PM UTC</time></p></div>',
    );
    expect(html).toContain(COUNTDOWN_TAG);
    const expired = renderDemo('offer', { now: Date.UTC(2028, 0, 1) });
    expect(expired).toContain('<p class="cd">The launch price has ended, but the set is still available.</p>');
    expect(expired).not.toContain('<time');
    expect(expired).not.toContain(COUNTDOWN_TAG);
  });

  it('draws feature icons as inline SVG, never as emoji text, whatever the stored value', () => {
    const content = demo('landing');
    const features = content.blocks.find((block) => block.type === 'features')!;
    if (features.type !== 'features') throw new Error('no features block');
    // A version published before icons had names stores the emoji itself.
    (features.items[0] as { icon?: string }).icon = '🌿';
    (features.items[1] as { icon?: string }).icon = 'not-an-icon';
    const html = renderDemo('landing', {}, content);
    const icons = html.match(/<span class="ic">[\s\S]*?<\/span>/g) ?? [];
    expect(icons).toHaveLength(4);
    for (const icon of icons)
      expect(icon).toMatch(
        /^<span class="ic"><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="[^"]+"><\/path><\/svg><\/span>$/,
      );
    expect(html).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(icons[0]).toBe(renderDemo('landing').match(/<span class="ic">[\s\S]*?<\/span>/)![0]);
  });

  it('keeps hyphenated words of button labels whole, so a label wraps only between words', () => {
    const html = renderDemo('guide', { download: { blockId: 'ebook', url: '/d/x' } });
    expect(html).toContain('>Download The <span class="nw">5-minute</span> skincare routine (PDF)</a>');
    expect(renderDemo('landing')).toContain('>Take the <span class="nw">1-minute</span> skin quiz</a>');
  });

  it('gives every image its intrinsic size, so the page does not shift as images load', () => {
    for (const { slug } of DEMO_FUNNEL_PAGES) {
      for (const img of tags(renderDemo(slug, { download: { blockId: 'ebook', url: '/d/x' } }), 'img')) {
        expect(attr(img, 'width'), img).toMatch(/^\d+$/);
        expect(attr(img, 'height'), img).toMatch(/^\d+$/);
      }
    }
  });

  it('ships only the styles of the blocks on the page', () => {
    const thanks = renderDemo('thanks');
    expect(thanks).not.toContain('.chat{');
    expect(thanks).not.toContain('.prog{');
    expect(thanks).not.toContain('.cdc{');
    expect(renderDemo('landing')).toContain('.chat{');
    expect(renderDemo('quiz')).toContain('.prog{');
    expect(renderDemo('offer')).toContain('.cdc{');
  });

  it('shows a draft banner and keeps previews out of search engines, and out of the tracking', () => {
    const html = renderDemo('offer', { preview: true });
    expect(html).toContain('<aside aria-label="Preview"><p class="pv">Draft preview');
    expect(html).toContain('<meta name="robots" content="noindex,nofollow"/>');
    expect(html).not.toContain(TRACKER_JS);
    expect(renderDemo('quiz', { preview: true })).not.toContain(TRACKER_JS);
  });

  it('marks CTAs, the offer and capture forms for the tracker', () => {
    const landing = renderDemo('landing');
    // The hero's call to action and the CTA block: cta_click with the block id.
    expect(landing).toMatch(/<a class="btn lg" href="[^"]+" data-lf-cta="hero">/);
    expect(landing).toMatch(/<a class="btn lg" href="[^"]+" data-lf-cta="take-quiz">/);
    // The chat island replaces its form but keeps its root, so the root carries the mark.
    expect(landing).toContain('<div data-island="chat" data-lf-form="chat">');
    const offer = renderDemo('offer');
    expect(offer).toContain('<div class="card offer" data-lf-offer="set">');
    expect(offer.match(/data-lf-event="checkout_start"/g)).toHaveLength(1);
    expect(renderDemo('guide')).toContain('<form method="post" action="/p/cosmetics-set/guide" data-lf-form="ebook">');
    // The quiz reports its own steps (lf:track), not a form start.
    expect(renderDemo('quiz')).not.toContain(' data-lf-form="');
  });
});

describe('renderLandingPage: escaping', () => {
  it('escapes a marketer’s <script> in every kind of text, and in island props', () => {
    const landing = demo('landing');
    landing.settings.title = PAYLOAD;
    for (const block of landing.blocks) {
      if (block.type === 'hero') block.headline = PAYLOAD;
      if (block.type === 'features') block.items[0]!.title = PAYLOAD;
      if (block.type === 'testimonials') block.items[0]!.author = PAYLOAD;
      if (block.type === 'cta') block.label = PAYLOAD;
      if (block.type === 'chat_capture') {
        block.botName = PAYLOAD;
        block.steps[0]!.options![0] = PAYLOAD;
        block.consent.text = `${PAYLOAD}</script><script>alert(2)</script>`;
      }
    }
    landing.blocks.push({ type: 'rich_text', id: 'rt', markdown: `**${PAYLOAD}** <img src=x onerror=alert(1)>` });
    landing.blocks.push({ type: 'faq', id: 'faq', items: [{ question: PAYLOAD, answer: PAYLOAD }] });
    const quiz = demo('quiz');
    const quizBlock = quiz.blocks.find((block) => block.type === 'quiz')!;
    if (quizBlock.type === 'quiz') quizBlock.questions[0]!.text = `</script>${PAYLOAD}`;

    for (const html of [renderDemo('landing', {}, landing), renderDemo('quiz', {}, quiz)]) {
      expect(html).not.toContain(PAYLOAD);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script>alert(1)&lt;/script>');
      expect(html).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
      expect(tags(html, 'script').every((tag) => SCRIPT_TAGS.has(tag))).toBe(true);
      expect(html.split('<script>')).toHaveLength(2);
      expect(html).toContain(TRACKER_TAG);
      expect(tags(html, 'script')).toHaveLength((html.match(/<\/script>/g) ?? []).length);
    }
  });

  it('escapes a visitor’s <script> kept in a re-rendered form', () => {
    const html = renderDemo('guide', {
      formState: { blockId: 'ebook', values: { name: PAYLOAD, email: `"><${PAYLOAD}` }, errors: { email: 'Enter a valid email address.' } },
    });
    expect(html).not.toContain(PAYLOAD);
    expect(html).toContain('value="&lt;script>alert(1)&lt;/script>"');
    expect(html).toContain('value="&quot;>&lt;&lt;script>alert(1)&lt;/script>"');
  });

  it('renders a stored unsafe link as plain text even if it bypassed the schema', () => {
    const content = demo('thanks');
    content.blocks.push({ type: 'rich_text', id: 'bad', markdown: '[click](javascript:alert(1))' });
    const html = renderDemo('thanks', {}, content);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<p>click)</p>');
  });
});

describe('renderLandingPage: form states', () => {
  it('keeps values and shows each message next to its field, tied with aria attributes, plus a summary', () => {
    const html = renderDemo('guide', {
      formState: {
        blockId: 'ebook',
        values: { name: 'Ava', email: 'ava@', consent: 'yes' },
        errors: { email: 'Enter a valid email address.', _form: 'Please try again.' },
        message: 'This form had expired. Please submit it again.',
      },
    });
    expect(html).toContain('<input id="ebook.name" name="name" type="text" autocomplete="name" value="Ava"/>');
    expect(html).toContain(
      '<input id="ebook.email" name="email" type="email" required autocomplete="email" value="ava@" aria-invalid="true" aria-describedby="ebook.email.err"/><p class="err" id="ebook.email.err">Enter a valid email address.</p>',
    );
    expect(html).toContain('<input type="checkbox" id="ebook.consent" name="consent" value="yes" checked/>');
    expect(html).toContain(
      '<div class="sum" role="alert" tabindex="-1" autofocus><p><strong>There is a problem</strong></p><ul><li><a href="#ebook.email">Email address: Enter a valid email address.</a></li><li>This form had expired. Please submit it again.</li><li>Please try again.</li></ul></div>',
    );
  });

  it('shows the no-script quiz up to the first open branching question, then the rest with the email', () => {
    const first = renderDemo('quiz');
    expect(tags(first, 'legend')).toHaveLength(3);
    expect(first).toContain('<input type="hidden" name="_questions" value="midday pores breakouts"/>');
    expect(first).toContain('>Continue</button>');
    expect(first).not.toContain('type="email"');

    const values = { q_midday: 'shiny', q_pores: 'everywhere', q_breakouts: 'often' };
    const second = renderDemo('quiz', { formState: { blockId: 'skin-quiz', values, errors: {} } });
    expect(tags(second, 'legend')).toHaveLength(5);
    expect(second).toContain('value="midday pores breakouts shine products"');
    expect(second).toContain('<input type="radio" id="skin-quiz.q_breakouts.2" name="q_breakouts" value="often" checked required/>');
    expect(second).toContain('type="email"');
    expect(second).toContain('>See my result</button>');
    expect(second).toContain('"values":{"q_midday":"shiny"');
    // The post revealed the rest of the path: focus goes to its first new question.
    expect(second).toContain('<input type="radio" id="skin-quiz.q_shine" name="q_shine" value="never" required autofocus/>');
    expect(tags(second, 'input').filter((tag) => attr(tag, 'autofocus') !== undefined)).toHaveLength(1);
  });

  it('counts the questions of the path taken, on the no-script quiz', () => {
    expect(renderDemo('quiz')).toContain('<p class="prog">4 or 5 questions, depending on your answers</p>');
    const values = { q_midday: 'tight', q_pores: 'barely', q_breakouts: 'rarely' };
    const short = renderDemo('quiz', { formState: { blockId: 'skin-quiz', values, errors: {} } });
    expect(short).toContain('<p class="prog">4 questions</p>');
    expect(short).toContain('<legend>4. Which of these do you already use?<span class="opt-l"> (choose all that apply)</span></legend>');
    expect(short).not.toContain('q_shine');
  });

  it('shows a quiz error on the question’s fieldset', () => {
    const html = renderDemo('quiz', {
      formState: { blockId: 'skin-quiz', values: { q_midday: 'shiny' }, errors: { q_pores: 'Choose an answer.' } },
    });
    expect(html).toContain('<fieldset aria-describedby="skin-quiz.q_pores.err"><legend>2. How visible are your pores?</legend>');
    expect(html).toContain('<p class="err" id="skin-quiz.q_pores.err">Choose an answer.</p>');
  });

  it('shows the quiz outcome in place of the quiz, without the islands script', () => {
    const html = renderDemo('quiz', {
      quizResult: { blockId: 'skin-quiz', score: 12, outcome: { title: 'Oily skin', description: 'Plenty of oil.' } },
    });
    expect(html).toContain(
      '<div class="card form c" role="status" id="skin-quiz.result"><p class="prog">Your result</p><h2>Oily skin</h2><p>Plenty of oil.</p><p><a class="btn lg" href="/p/cosmetics-set/guide">Continue</a>',
    );
    // The score is the marketer's yardstick; the visitor sees it only if the quiz says so.
    expect(html).not.toContain('score');
    const content = demo('quiz');
    const quiz = content.blocks.find((block) => block.type === 'quiz')!;
    if (quiz.type === 'quiz') quiz.showScore = true;
    expect(
      renderDemo(
        'quiz',
        { quizResult: { blockId: 'skin-quiz', score: 12, outcome: { title: 'Oily skin', description: 'Plenty of oil.' } } },
        content,
      ),
    ).toContain('<p>Plenty of oil.</p><p class="note">Your score: 12</p>');
    expect(tags(html, 'script')).toEqual(['<script>']);
    expect(html).toContain(TRACKER_TAG);
    expect(html).not.toContain('<form');
  });

  it('replaces the ebook gate with the download link', () => {
    const html = renderDemo('guide', { download: { blockId: 'ebook', url: '/d/abc?sig=1&exp=2' } });
    expect(html).toContain(
      '<div role="status" id="ebook.result"><h3>Your download is ready</h3><p><a class="btn lg full" href="/d/abc?sig=1&amp;exp=2" download>Download The <span class="nw">5-minute</span> skincare routine (PDF)</a>',
    );
    expect(html).not.toContain('<form');
  });

  it('ends the chat with its thank-you line, without the islands script', () => {
    const html = renderDemo('landing', { formDone: { blockId: 'chat' } });
    expect(html).toContain(
      '<div class="log" role="status" id="chat.result"><p class="bub">Thank you! Your tips and your 10% code are on their way to your inbox.</p></div>',
    );
    expect(tags(html, 'script')).toEqual(['<script>']);
    expect(html).not.toContain(ISLANDS_JS);
  });
});

describe('renderLandingPage: video and other blocks', () => {
  const page = (blocks: unknown[]): PageContent =>
    pageContentSchema.parse({ settings: { ...demo('offer').settings, title: 'Videos' }, blocks });

  it('embeds only the allow-listed players, lazily and with a title', () => {
    const content = page([
      { type: 'video', id: 'yt', provider: 'youtube', videoId: 'dQw4w9WgXcQ', title: 'How to apply serum' },
      { type: 'video', id: 'vm', provider: 'vimeo', videoId: '76979871', title: 'Vimeo video' },
      { type: 'video', id: 'ws', provider: 'wistia', videoId: 'abcdef1234', title: 'Wistia video' },
    ]);
    const frames = tags(renderLandingPage(content, contextFor('offer')), 'iframe');
    expect(frames.map((frame) => attr(frame, 'src'))).toEqual([
      'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
      'https://player.vimeo.com/video/76979871',
      'https://fast.wistia.net/embed/iframe/abcdef1234',
    ]);
    for (const frame of frames) {
      expect(attr(frame, 'loading')).toBe('lazy');
      expect(attr(frame, 'title')).toBeTruthy();
    }
    expect(contentSecurityPolicy(content)).toContain(
      'frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://fast.wistia.net',
    );
  });

  it('drops a video whose id does not match its provider, even if it bypassed the schema', () => {
    const content = page([]);
    content.blocks.push({ type: 'video', id: 'v', provider: 'youtube', videoId: 'x"><script>', title: 'Bad' });
    expect(renderLandingPage(content, contextFor('offer'))).not.toContain('<iframe');
  });

  it('renders a lead form with every field kind, and a visually hidden h1 when there is no hero', () => {
    const content = page([
      {
        type: 'lead_form',
        id: 'signup',
        title: 'Talk to us',
        fields: [
          { name: 'email', label: 'Work email', kind: 'email', required: true, placeholder: 'you@company.com' },
          { name: 'phone', label: 'Phone', kind: 'phone', required: false },
          { name: 'size', label: 'Team size', kind: 'select', required: true, options: ['1-10', '11+'] },
          { name: 'notes', label: 'Notes', kind: 'textarea', required: false },
          { name: 'campaign', label: 'Campaign', kind: 'hidden_utm', required: false, utmParam: 'utm_campaign' },
        ],
        submitLabel: 'Book a demo',
      },
    ]);
    const html = renderLandingPage(
      content,
      contextFor('offer', { formState: { blockId: 'signup', values: { size: '11+', notes: 'Hi <b>' }, errors: {} } }),
    );
    expect(html).toContain('<h1 class="sr">Videos</h1>');
    expect(html).toContain('type="tel" autocomplete="tel"');
    expect(html).toContain('placeholder="you@company.com"');
    expect(html).toContain('<option value="11+" selected>11+</option>');
    expect(html).toContain('<textarea id="signup.notes" name="notes" rows="4">Hi &lt;b></textarea>');
    expect(html).toContain('<input type="hidden" name="campaign" value/>');
    expect(html).toContain('Phone<span class="opt-l"> (optional)</span>');
  });
});

describe('islands script and Content-Security-Policy', () => {
  it('keeps the islands within 8 KB gzip and publishes their hash', () => {
    const size = gzipBytes(ISLANDS_JS);
    console.info(`islands: ${ISLANDS_JS.length} bytes, ${size} bytes gzip`);
    expect(size).toBeLessThanOrEqual(8 * 1024);
    expect(createHash('sha256').update(ISLANDS_JS).digest('base64')).toBe(ISLANDS_JS_SHA256);
    expect(ISLANDS_JS).not.toMatch(/<\/script|<!--/i);
  });

  it('keeps the countdown script under 1 KB gzip and publishes its hash', () => {
    expect(gzipBytes(COUNTDOWN_JS)).toBeLessThanOrEqual(1024);
    expect(createHash('sha256').update(COUNTDOWN_JS).digest('base64')).toBe(COUNTDOWN_JS_SHA256);
    expect(COUNTDOWN_JS).not.toMatch(/<\/script|<!--/i);
  });

  it('allows the tracker by hash everywhere, the islands script only where islands can run, and beacons to this site', () => {
    const landing = contentSecurityPolicy(demo('landing'));
    expect(landing).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'; script-src 'sha256-${TRACKER_JS_SHA256}' 'sha256-${ISLANDS_JS_SHA256}'`,
    );
    const offer = contentSecurityPolicy(demo('offer'));
    expect(offer).toContain(`; script-src 'sha256-${TRACKER_JS_SHA256}' 'sha256-${COUNTDOWN_JS_SHA256}'`);
    expect(offer).not.toContain(ISLANDS_JS_SHA256);
    expect(contentSecurityPolicy(demo('guide'))).toContain(`; script-src 'sha256-${TRACKER_JS_SHA256}'`);
    expect(contentSecurityPolicy(demo('guide'))).not.toContain(COUNTDOWN_JS_SHA256);
    expect(offer).toContain("connect-src 'self';");
    expect(offer).not.toContain('frame-src');
  });

  it('lets forms redirect to an external success target', () => {
    const content = demo('guide');
    content.blocks.push({
      type: 'lead_form',
      id: 'f',
      fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }],
      submitLabel: 'Go',
      successTarget: { kind: 'url', url: 'https://shop.example.com/welcome' },
    });
    expect(contentSecurityPolicy(content)).toContain("form-action 'self' https://shop.example.com;");
  });
});

describe('theme colours', () => {
  it.each([
    ['#9d174d', '#fffaf7', '#2b1a20'],
    ['#facc15', '#ffffff', '#111827'],
    ['#22d3ee', '#0f172a', '#e2e8f0'],
    ['#ff66cc', '#ff99dd', '#333333'],
  ])('keeps derived colours readable for primary %s on %s', (primary, background, text) => {
    const colours = themeColours({ primary, background, text, fontStack: 'system' });
    expect(contrastRatio(colours.onPrimary, primary)).toBeGreaterThanOrEqual(4.5);
    for (const surface of [colours.background, colours.surface, colours.wash]) {
      expect(contrastRatio(colours.muted, surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(colours.link, surface)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(colours.error, surface)).toBeGreaterThanOrEqual(4.5);
    }
    expect(contrastRatio(colours.control, colours.background)).toBeGreaterThanOrEqual(3);
  });
});

describe('theme button style', () => {
  const styleOf = (html: string) => /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  const withButtons = (buttons: Pick<PageContent['settings']['theme'], 'buttonShape' | 'buttonFill'>) => {
    const content = demo('landing');
    content.settings.theme = { ...content.settings.theme, ...buttons };
    expect(pageContentSchema.safeParse(content).success).toBe(true);
    return styleOf(renderDemo('landing', {}, content));
  };

  it('keeps today’s look, byte for byte, when the theme names no style or the default one', () => {
    const before = styleOf(renderDemo('landing'));
    expect(withButtons({ buttonShape: 'rounded', buttonFill: 'filled' })).toBe(before);
    expect(before).toContain('.btn{display:inline-block;max-width:100%;background:var(--p);color:var(--op);border:0;border-radius:10px;');
  });

  it('rounds every button and chat chip into a pill or squares them, after the stylesheet so it wins', () => {
    const pill = withButtons({ buttonShape: 'pill' });
    expect(pill.endsWith('.btn,.chips button{border-radius:99px}')).toBe(true);
    expect(withButtons({ buttonShape: 'square' }).endsWith('.btn,.chips button{border-radius:0}')).toBe(true);
  });

  it('draws outline buttons as a ring in the link colour (no size change), leaving the quiz’s quiet Back button alone', () => {
    const outline = withButtons({ buttonFill: 'outline', buttonShape: 'pill' });
    expect(outline).toContain(
      '.btn,.chips button{border-radius:99px}.btn:not(.ghost){background:none;color:var(--lk);box-shadow:inset 0 0 0 2px currentColor}',
    );
  });

  it('is refused when it names a style that does not exist', () => {
    const content = demo('landing');
    (content.settings.theme as Record<string, unknown>).buttonShape = 'blob';
    const result = pageContentSchema.safeParse(content);
    expect(result.success ? [] : result.error.issues.map((i) => i.path.join('.'))).toEqual(['settings.theme.buttonShape']);
  });
});

describe('links to pages visitors cannot open', () => {
  const unpublished = (...slugs: string[]) => ({ unpublishedUrls: new Set(slugs.map(pageUrl)) });

  it('keeps a button’s words without a link, and leaves a web address alone', () => {
    const landing = renderDemo('landing', unpublished('quiz'));
    expect(landing).not.toContain(`href="${pageUrl('quiz')}"`);
    expect(landing).toContain('<p><strong>Take the <span class="nw">1-minute</span> skin quiz</strong></p>');
    const offer = renderDemo('offer', unpublished('thanks'));
    expect(offer).not.toContain('data-lf-event="checkout_start"');
    expect(offer).toContain('<p><strong>Buy the set for $250</strong></p>');
  });

  it('offers no “Continue” after the quiz when the next page cannot be opened', () => {
    const result = { quizResult: { blockId: 'skin-quiz', score: 12, outcome: { title: 'Oily skin', description: 'Balance.' } } };
    expect(renderDemo('quiz', result)).toContain(`href="${pageUrl('guide')}"`);
    const stranded = renderDemo('quiz', { ...result, ...unpublished('guide') });
    expect(stranded).not.toContain('Continue');
    expect(stranded).toContain('<h2>Oily skin</h2>');
  });
});
