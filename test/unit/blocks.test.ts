import { describe, expect, it } from 'vitest';
import { blockSchema, pageContentSchema, type Block, type FormField, type PageContent } from '../../workers/domain/blocks';

const theme = { primary: '#9d174d', background: '#ffffff', text: '#1f2937', fontStack: 'system' } as const;

function page(blocks: unknown[], settings: Record<string, unknown> = {}): unknown {
  return { settings: { title: 'A page', noindex: false, theme, ...settings }, blocks };
}

function issues(value: unknown): string[] {
  const result = pageContentSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const emailField: FormField = { name: 'email', label: 'Email', kind: 'email', required: true };

/** One valid block of every type. */
const EVERY_BLOCK: Block[] = [
  {
    type: 'hero',
    id: 'hero',
    headline: 'Hello',
    subheadline: 'Sub',
    image: { src: 'https://cdn.example.com/a.png', alt: 'A' },
    cta: { label: 'Go', target: { kind: 'next' } },
  },
  { type: 'rich_text', id: 'text', markdown: '## Title\n\nSome **bold** [link](https://example.com) and [mail](mailto:a@example.com).' },
  { type: 'image', id: 'img', src: '/assets/a.png', alt: '', width: 800, height: 600 },
  { type: 'features', id: 'features', items: [{ title: 'Fast', text: 'Very', icon: 'bolt' }] },
  { type: 'testimonials', id: 'quotes', items: [{ quote: 'Great', author: 'Ava', rating: 5, avatar: '/a.png' }] },
  { type: 'cta', id: 'cta', label: 'Buy', target: { kind: 'url', url: 'https://shop.example.com/cart' } },
  {
    type: 'lead_form',
    id: 'form',
    fields: [
      emailField,
      { name: 'name', label: 'Name', kind: 'name', required: false },
      { name: 'size', label: 'Team size', kind: 'select', required: true, options: ['1-10', '11+'] },
      { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
    ],
    submitLabel: 'Send',
    consent: { text: 'Email me', required: false },
    successTarget: { kind: 'page', slug: 'thanks' },
  },
  {
    type: 'quiz',
    id: 'quiz',
    title: 'Quiz',
    questions: [
      {
        id: 'q1',
        text: 'One?',
        multiple: false,
        answers: [
          { id: 'a', label: 'A', points: 1, next: 'q3' },
          { id: 'b', label: 'B', points: 2 },
        ],
      },
      {
        id: 'q2',
        text: 'Two?',
        multiple: true,
        answers: [
          { id: 'a', label: 'A', points: 1 },
          { id: 'b', label: 'B', points: 2 },
        ],
      },
      {
        id: 'q3',
        text: 'Three?',
        multiple: false,
        answers: [
          { id: 'a', label: 'A', points: 1, next: 'end' },
          { id: 'b', label: 'B', points: 2 },
        ],
      },
    ],
    outcomes: [
      { id: 'low', title: 'Low', description: 'Low', minScore: 0, maxScore: 3 },
      { id: 'high', title: 'High', description: 'High', minScore: 4, maxScore: 10 },
    ],
    askEmailBeforeOutcome: true,
    consent: { text: 'Email me', required: true },
  },
  {
    type: 'lead_magnet',
    id: 'ebook',
    title: 'Guide',
    description: 'A guide',
    assetName: 'Guide (PDF)',
    assetPath: '/assets/gated/guide.pdf',
    fields: [emailField, { name: 'first_name', label: 'First name', kind: 'name', required: false }],
    submitLabel: 'Get it',
  },
  {
    type: 'chat_capture',
    id: 'chat',
    botName: 'Mia',
    steps: [
      { id: 'concern', prompt: 'Concern?', kind: 'choice', options: ['Dry', 'Oily'] },
      { id: 'note', prompt: 'Anything else?', kind: 'text' },
    ],
    emailPrompt: 'Your email?',
    consent: { text: 'Email me', required: true },
    submitLabel: 'Send',
    doneMessage: 'Thanks',
  },
  {
    type: 'offer',
    id: 'offer',
    title: 'Set',
    priceMinor: 25_000,
    currency: 'USD',
    compareAtMinor: 30_000,
    bullets: ['Five products'],
    buyLabel: 'Buy',
    buyTarget: { kind: 'page', slug: 'thanks' },
  },
  { type: 'countdown', id: 'countdown', endsAt: Date.UTC(2030, 0, 1), label: 'Ends', expiredText: 'Ended' },
  { type: 'faq', id: 'faq', items: [{ question: 'Q?', answer: 'A.' }] },
  { type: 'video', id: 'yt', provider: 'youtube', videoId: 'dQw4w9WgXcQ', title: 'Video' },
  { type: 'video', id: 'vimeo', provider: 'vimeo', videoId: '76979871', title: 'Video' },
  { type: 'video', id: 'wistia', provider: 'wistia', videoId: 'abcdef1234', title: 'Video' },
];

/** EVERY_BLOCK with one block replaced by a variant. */
// Tests edit valid pages into invalid shapes on purpose, so blocks are untyped here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withBlock(id: string, change: (block: any) => unknown): unknown {
  return page(EVERY_BLOCK.map((block) => (block.id === id ? change(structuredClone(block)) : block)));
}

describe('pageContentSchema', () => {
  it('accepts a page with one valid block of every type', () => {
    expect(issues(page(EVERY_BLOCK))).toEqual([]);
    const parsed: PageContent = pageContentSchema.parse(page(EVERY_BLOCK));
    expect(parsed.blocks.map((block) => block.type)).toContain('chat_capture');
  });

  it('trims text and rejects empty or whitespace-only text', () => {
    const parsed = blockSchema.parse({ type: 'cta', id: 'c', label: '  Buy now  ', target: { kind: 'next' } });
    expect(parsed.type === 'cta' && parsed.label).toBe('Buy now');
    expect(issues(withBlock('cta', (b) => ({ ...b, label: '   ' })))).toEqual(['blocks.5.label: This cannot be empty.']);
  });

  it('rejects unknown block types and malformed ids', () => {
    expect(issues(page([{ type: 'html', id: 'x', html: '<script>alert(1)</script>' }]))).not.toEqual([]);
    expect(issues(page([{ type: 'cta', id: 'Bad Id', label: 'x', target: { kind: 'next' } }]))).toEqual([
      'blocks.0.id: Use 1–64 lower-case letters, digits, "-" or "_".',
    ]);
  });

  it('rejects duplicate block ids', () => {
    const duplicate = { type: 'faq', id: 'hero', items: [{ question: 'Q', answer: 'A' }] };
    expect(issues(page([...EVERY_BLOCK, duplicate]))).toEqual([`blocks.${EVERY_BLOCK.length}.id: Block ids must be unique.`]);
  });

  it('caps a page at 60 blocks', () => {
    const blocks = Array.from({ length: 61 }, (_, i) => ({ type: 'cta', id: `c${i}`, label: 'x', target: { kind: 'next' } }));
    expect(issues(page(blocks)).length).toBeGreaterThan(0);
    expect(issues(page(blocks.slice(0, 60)))).toEqual([]);
  });

  describe('URLs', () => {
    it.each([
      ['javascript:alert(1)'],
      ['JavaScript:alert(1)'],
      ['java\nscript:alert(1)'],
      ['data:text/html,<script>alert(1)</script>'],
      ['vbscript:msgbox(1)'],
      ['//evil.example.com/x'],
      ['/relative/path'],
      ['https://user:pass@example.com/'],
    ])('rejects %j as a CTA url', (url) => {
      expect(issues(withBlock('cta', (b) => ({ ...b, target: { kind: 'url', url } }))).length).toBe(1);
    });

    it.each([
      ['javascript:alert(1)'],
      ['http://insecure.example.com/a.png'],
      ['//evil.example.com/a.png'],
      ['/\\evil.example.com/a.png'],
      ['data:image/svg+xml,<svg onload=alert(1)>'],
      ['a.png'],
    ])('rejects %j as an image source', (src) => {
      expect(issues(withBlock('img', (b) => ({ ...b, src }))).length).toBe(1);
    });

    it('rejects javascript:, data: and protocol-relative links in rich text', () => {
      for (const href of ['javascript:alert(1)', 'data:text/html,x', '//evil.example.com', 'ftp://example.com/x']) {
        expect(issues(withBlock('text', (b) => ({ ...b, markdown: `See [this](${href}).` })))).toEqual([
          expect.stringMatching(/^blocks\.1\.markdown: Links must be http\(s\), mailto or a path on this site/),
        ]);
      }
    });

    it('accepts http(s), mailto and site paths in rich text', () => {
      const markdown = '[a](https://example.com/x?y=1) [b](http://example.com) [c](mailto:hi@example.com) [d](/p/x) [e](#faq)';
      expect(issues(withBlock('text', (b) => ({ ...b, markdown })))).toEqual([]);
    });

    it('requires an absolute https Open Graph image', () => {
      expect(issues(page([], { ogImage: 'https://cdn.example.com/og.png' }))).toEqual([]);
      expect(issues(page([], { ogImage: '/og.png' }))).toEqual(['settings.ogImage: Use a full https:// address.']);
    });

    it('accepts a site path or an https URL as a lead-magnet asset, nothing else', () => {
      expect(issues(withBlock('ebook', (b) => ({ ...b, assetPath: 'https://files.example.com/g.pdf' })))).toEqual([]);
      expect(issues(withBlock('ebook', (b) => ({ ...b, assetPath: 'file:///etc/passwd' }))).length).toBe(1);
      expect(issues(withBlock('ebook', (b) => ({ ...b, assetPath: '/assets/guide.pdf' }))).length).toBe(1); // public, not gated
      // A PDF of the media library, by its reference.
      expect(issues(withBlock('ebook', (b) => ({ ...b, assetPath: 'media:01ABCDEFGHJKMNPQRSTVWXYZ00' })))).toEqual([]);
      expect(issues(withBlock('ebook', (b) => ({ ...b, assetPath: 'media:../../leadflare.db' }))).length).toBe(1);
    });
  });

  describe('video', () => {
    it('rejects providers outside the allow-list', () => {
      expect(issues(withBlock('yt', (b) => ({ ...b, provider: 'dailymotion' }))).length).toBe(1);
    });

    it.each([
      ['youtube', 'short'],
      ['youtube', 'dQw4w9WgXcQ"><script>'],
      ['vimeo', 'abc123456'],
      ['wistia', 'ABCDEF1234'],
      ['wistia', '../../evil'],
    ])('rejects a %s id %j that does not match the provider', (provider, videoId) => {
      expect(issues(withBlock('yt', (b) => ({ ...b, provider, videoId })))).toEqual([
        `blocks.13.videoId: This is not a valid ${provider} video id.`,
      ]);
    });
  });

  describe('forms', () => {
    it('requires exactly one email field', () => {
      const noEmail = withBlock('form', (b) => ({ ...b, fields: b.fields.filter((f: { kind: string }) => f.kind !== 'email') }));
      expect(issues(noEmail)).toEqual(['blocks.6.fields: A form needs exactly one email field.']);
      const twoEmails = withBlock('form', (b) => ({ ...b, fields: [...b.fields, { ...emailField, name: 'email2' }] }));
      expect(issues(twoEmails)).toEqual(['blocks.6.fields: A form needs exactly one email field.']);
    });

    it('requires the email field to be required', () => {
      const optional = withBlock('form', (b) => ({ ...b, fields: [{ ...emailField, required: false }] }));
      expect(issues(optional)).toEqual(['blocks.6.fields.0.required: The email field must be required.']);
    });

    it('rejects duplicate and reserved field names', () => {
      const duplicate = withBlock('form', (b) => ({
        ...b,
        fields: [emailField, { name: 'email', label: 'X', kind: 'text', required: false }],
      }));
      expect(issues(duplicate)).toEqual(['blocks.6.fields.1.name: Field names must be unique.']);
      for (const name of ['website', 'consent', '_token', 'Email', '1st']) {
        const reserved = withBlock('form', (b) => ({ ...b, fields: [emailField, { name, label: 'X', kind: 'text', required: false }] }));
        expect(issues(reserved).length).toBe(1);
      }
    });

    it('needs options on selects and a UTM parameter on hidden UTM fields', () => {
      const select = withBlock('form', (b) => ({ ...b, fields: [emailField, { name: 's', label: 'S', kind: 'select', required: true }] }));
      expect(issues(select)).toEqual(['blocks.6.fields.1.options: A select field needs its options.']);
      const utm = withBlock('form', (b) => ({
        ...b,
        fields: [emailField, { name: 'u', label: 'U', kind: 'hidden_utm', required: false }],
      }));
      expect(issues(utm)).toEqual(['blocks.6.fields.1.utmParam: Choose which UTM parameter this field keeps.']);
    });

    it('allows only email and name fields on a lead-magnet gate', () => {
      const phone = withBlock('ebook', (b) => ({
        ...b,
        fields: [emailField, { name: 'phone', label: 'Phone', kind: 'phone', required: false }],
      }));
      expect(issues(phone)).toEqual(['blocks.8.fields.1.kind: Only email and name fields are allowed here.']);
    });

    it('checks chat steps: options for choices only, ids not clashing with the form', () => {
      const noOptions = withBlock('chat', (b) => ({ ...b, steps: [{ id: 'c', prompt: 'P', kind: 'choice' }] }));
      expect(issues(noOptions)).toEqual(['blocks.9.steps.0.options: A choice step needs options.']);
      const clash = withBlock('chat', (b) => ({ ...b, steps: [{ id: 'email', prompt: 'P', kind: 'text' }] }));
      expect(issues(clash)).toEqual(['blocks.9.steps.0.id: This id is reserved.']);
    });

    it('refuses names every object inherits, which a record of answers would look up as its prototype', () => {
      const field = withBlock('form', (b) => ({
        ...b,
        fields: [emailField, { name: 'constructor', label: 'X', kind: 'text', required: false }],
      }));
      expect(issues(field)).toEqual(['blocks.6.fields.1.name: This name is reserved.']);
      const step = withBlock('chat', (b) => ({ ...b, steps: [{ id: 'constructor', prompt: 'P', kind: 'text' }] }));
      expect(issues(step)).toEqual(['blocks.9.steps.0.id: This name is reserved.']);
    });
  });

  describe('quiz', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- edited into invalid shapes on purpose
    const quizWith = (change: (quiz: any) => void) =>
      withBlock('quiz', (b) => {
        change(b);
        return b;
      });

    it('lets answers jump only forward, to a known question or "end"', () => {
      expect(issues(quizWith((q) => (q.questions[2].answers[1].next = 'q1')))).toEqual([
        'blocks.7.questions.2.answers.1.next: An answer can only jump to a later question or to "end".',
      ]);
      expect(issues(quizWith((q) => (q.questions[0].answers[1].next = 'nowhere')))).toEqual([
        'blocks.7.questions.0.answers.1.next: An answer can only jump to a later question or to "end".',
      ]);
    });

    it('does not let multiple-choice questions branch', () => {
      expect(issues(quizWith((q) => (q.questions[1].answers[0].next = 'q3')))).toEqual([
        'blocks.7.questions.1.answers.0.next: Only single-choice questions can branch.',
      ]);
    });

    it('rejects duplicate ids and overlapping or inverted outcome ranges', () => {
      expect(issues(quizWith((q) => (q.questions[1].id = 'q1')))).toContain('blocks.7.questions.1.id: Question ids must be unique.');
      expect(issues(quizWith((q) => (q.questions[0].answers[1].id = 'a')))).toEqual([
        'blocks.7.questions.0.answers.1.id: Answer ids must be unique.',
      ]);
      expect(issues(quizWith((q) => (q.outcomes[1].minScore = 3)))).toEqual([
        'blocks.7.outcomes.1.minScore: Outcome score ranges must not overlap.',
      ]);
      expect(issues(quizWith((q) => (q.outcomes[0].maxScore = -1)))).toEqual([
        'blocks.7.outcomes.0.minScore: The minimum score is above the maximum.',
      ]);
    });

    it('requires integer points', () => {
      expect(issues(quizWith((q) => (q.questions[0].answers[0].points = 1.5))).length).toBe(1);
    });

    it('asks for consent only together with the email', () => {
      expect(issues(quizWith((q) => (q.askEmailBeforeOutcome = false)))).toEqual([
        'blocks.7.consent: Consent is only asked together with the email.',
      ]);
    });
  });

  describe('offer and countdown', () => {
    it('needs an ISO 4217 code and a compare-at price above the price', () => {
      expect(issues(withBlock('offer', (b) => ({ ...b, currency: 'usd' }))).length).toBe(1);
      expect(issues(withBlock('offer', (b) => ({ ...b, compareAtMinor: 25_000 })))).toEqual([
        'blocks.10.compareAtMinor: The compare-at price must be above the price.',
      ]);
      expect(issues(withBlock('offer', (b) => ({ ...b, priceMinor: 249.99 }))).length).toBe(1);
    });

    it('accepts only http(s) URLs or pages as the buy target', () => {
      expect(issues(withBlock('offer', (b) => ({ ...b, buyTarget: { kind: 'url', url: 'https://pay.example.com/set' } })))).toEqual([]);
      expect(issues(withBlock('offer', (b) => ({ ...b, buyTarget: { kind: 'url', url: 'javascript:void(0)' } }))).length).toBe(1);
    });

    it('needs the countdown end as integer epoch milliseconds', () => {
      expect(issues(withBlock('countdown', (b) => ({ ...b, endsAt: '2030-01-01' }))).length).toBe(1);
    });
  });

  describe('settings', () => {
    it.each([['red'], ['#fff'], ['#12345g'], ['#1234567'], ['rgb(0,0,0)']])('rejects the colour %j', (primary) => {
      expect(issues(page([], { theme: { ...theme, primary } }))).toEqual(['settings.theme.primary: Use a colour like #1f6feb.']);
    });

    it('accepts only the known font stacks and a language tag', () => {
      expect(issues(page([], { theme: { ...theme, fontStack: 'Comic Sans' } })).length).toBe(1);
      expect(issues(page([], { lang: 'pt-BR' }))).toEqual([]);
      expect(issues(page([], { lang: 'en"><script>' })).length).toBe(1);
    });
  });
});
