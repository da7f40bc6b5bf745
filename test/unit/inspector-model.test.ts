/**
 * The inspector's pure pieces: the block schema (as JSON Schema) → the field model, the values new
 * items start with, the live validation messages, the WCAG contrast check of the theme, and the
 * rich-text toolbar's edits.
 */
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { blockSchema, pageContentSchema, type Block } from '../../workers/domain/blocks';
import { parseRichText } from '../../workers/domain/rich-text';
import {
  buildFieldModel,
  fieldPatterns,
  humanise,
  type ArrayField,
  type FieldNode,
  type JsonSchema,
} from '../../pages-ui/app/views/editor/inspector/field-model';
import { FIELD_HINTS } from '../../pages-ui/app/views/editor/inspector/ui-hints';
import { initialValue, newItem, setIn, getIn, moveItem, fieldNameFrom, uniqueId } from '../../pages-ui/app/views/editor/inspector/values';
import { blockIssues, mergeIssues, serverIssues, settingsIssues } from '../../pages-ui/app/views/editor/inspector/validation';
import { contrastRatio, buttonTextColour, themeContrast, relativeLuminance } from '../../pages-ui/app/views/editor/inspector/contrast';
import {
  applyLink,
  linkAt,
  toggleBulletList,
  toggleHeading,
  toggleInline,
} from '../../pages-ui/app/views/editor/inspector/markdown-format';
import { blockJsonSchema, settingsJsonSchema } from '../../pages-ui/app/views/editor/inspector/schema';

/** zod's own JSON Schema of a block type, without the document's titles: the model's bare input. */
const jsonSchemaOf = (type: Block['type']): JsonSchema => {
  const option = blockSchema.options.find((o) => o.shape.type.value === type)!;
  return z.toJSONSchema(option, { unrepresentable: 'any' }) as JsonSchema;
};

/** The form the inspector draws: the block schema document (titles, help, widgets) and the hints. */
const model = (type: Block['type']) => buildFieldModel(blockJsonSchema(type), type, FIELD_HINTS);

const find = (fields: FieldNode[], pattern: string): FieldNode => {
  const stack = [...fields];
  while (stack.length) {
    const node = stack.shift()!;
    if (node.pattern === pattern) return node;
    if (node.kind === 'object') stack.push(...node.fields);
    if (node.kind === 'array') stack.push(node.item);
    if (node.kind === 'variant') node.variants.forEach((v) => stack.push(...v.fields));
  }
  throw new Error(`no field ${pattern}`);
};

describe('schema → field model', () => {
  it('gives every block type a field for each property but its type, with limits from the schema', () => {
    for (const option of blockSchema.options) {
      const type = option.shape.type.value;
      const fields = buildFieldModel(jsonSchemaOf(type), type, FIELD_HINTS);
      const keys = fields.map((f) => f.key);
      const hidden = Object.keys(FIELD_HINTS).filter((k) => k.startsWith(`${type}.`) && FIELD_HINTS[k]!.hidden);
      const expected = Object.keys(option.shape).filter((k) => k !== 'type' && !hidden.includes(`${type}.${k}`));
      expect(keys.sort(), type).toEqual(expected.sort());
      expect(
        fields.every((f) => f.kind !== 'unsupported'),
        type,
      ).toBe(true);
    }
  });

  it('reads strings, enums, numbers, booleans, objects, arrays and unions as their controls', () => {
    const hero = model('hero');
    expect(find(hero, 'headline')).toMatchObject({ kind: 'string', required: true, minLength: 1, maxLength: 160, multiline: false });
    expect(find(hero, 'subheadline')).toMatchObject({ kind: 'string', required: false, maxLength: 400, multiline: true });
    expect(find(hero, 'image')).toMatchObject({ kind: 'object', widget: 'image', required: false });
    const target = find(hero, 'cta.target');
    expect(target).toMatchObject({ kind: 'variant', discriminator: 'kind', label: 'Leads to' });
    expect(target.kind === 'variant' && target.variants.map((v) => [v.value, v.label, v.fields.map((f) => f.key)])).toEqual([
      ['page', 'A page of this funnel', ['slug']],
      ['next', 'The next page', []],
      ['url', 'A web address', ['url']],
    ]);
    // The block id is there, under Advanced.
    expect(hero.at(-1)).toMatchObject({ key: 'id', advanced: true });

    const quiz = model('quiz');
    const questions = find(quiz, 'questions') as ArrayField;
    expect(questions).toMatchObject({ kind: 'array', minItems: 1, maxItems: 20, itemLabel: 'question' });
    expect(find(quiz, 'questions.*.multiple')).toMatchObject({ kind: 'boolean' });
    expect(find(quiz, 'questions.*.answers.*.points')).toMatchObject({ kind: 'number', integer: true, minimum: -1000, maximum: 1000 });
    // `next` is a question id or "end": free text with "end" offered.
    expect(find(quiz, 'questions.*.answers.*.next')).toMatchObject({ kind: 'string', suggestions: ['end'], required: false });

    const form = model('lead_form');
    const kind = find(form, 'fields.*.kind');
    expect(kind.kind === 'enum' && kind.options.map((o) => o.value)).toEqual([
      'email',
      'name',
      'phone',
      'company',
      'text',
      'textarea',
      'select',
      'hidden_utm',
    ]);
    expect(find(form, 'fields.*.options')).toMatchObject({ kind: 'array', minItems: 1, maxItems: 30 });
    expect(find(form, 'successTarget')).toMatchObject({ kind: 'variant', required: false, display: 'radio' });

    expect(find(model('video'), 'provider')).toMatchObject({ kind: 'enum', display: 'segmented' });
    expect(find(model('offer'), 'priceMinor')).toMatchObject({ kind: 'number', widget: 'money', label: 'Price' });
    expect(find(model('rich_text'), 'markdown')).toMatchObject({
      widget: 'rich-text',
      multiline: true,
      maxLength: 20_000,
    });
  });

  it('labels from the schema title and description first, humanised property names otherwise', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        askEmailBeforeOutcome: { type: 'boolean' },
        utm_source: { type: 'string', title: 'Source', description: 'Where the visitor came from' },
      },
      required: ['askEmailBeforeOutcome'],
    };
    const [ask, source] = buildFieldModel(schema, 'x');
    expect(ask).toMatchObject({ label: 'Ask email before outcome', required: true });
    expect(source).toMatchObject({ label: 'Source', description: 'Where the visitor came from', required: false });
    expect(humanise('submitLabel')).toBe('Submit label');
    expect(humanise('hidden_utm')).toBe('Hidden utm');
  });

  it('finds colours by their pattern and theme fields through the settings schema', () => {
    const settings = settingsJsonSchema();
    const theme = buildFieldModel(settings.properties!.theme!, 'theme', FIELD_HINTS);
    expect(theme.map((f) => [f.key, f.kind, f.widget])).toEqual([
      ['primary', 'string', 'colour'],
      ['background', 'string', 'colour'],
      ['text', 'string', 'colour'],
      ['fontStack', 'enum', undefined],
      ['buttonShape', 'enum', undefined],
      ['buttonFill', 'enum', undefined],
      ['logo', 'object', 'image'],
    ]);
    expect(fieldPatterns(buildFieldModel(settings, 'settings', FIELD_HINTS))).toContain('theme.logo.alt');
  });

  it('shows an optional choice with a default as that choice, without a "None" that would not say what visitors get', () => {
    const theme = buildFieldModel(settingsJsonSchema().properties!.theme!, 'theme', FIELD_HINTS);
    expect(find(theme, 'buttonShape')).toMatchObject({
      kind: 'enum',
      required: false,
      defaultValue: 'rounded',
      display: 'segmented',
      label: 'Button corners',
      options: [
        { value: 'rounded', label: 'Rounded' },
        { value: 'pill', label: 'Pill' },
        { value: 'square', label: 'Square' },
      ],
    });
    expect(find(theme, 'buttonFill')).toMatchObject({ defaultValue: 'filled', display: 'segmented', label: 'Button style' });
    // An optional choice without a default keeps its "not set".
    expect(find(model('cta'), 'appearance')).not.toHaveProperty('defaultValue');
  });

  it('labels and help come from the schema document; the inspector’s own words only where its control differs', () => {
    const hero = model('hero');
    expect(find(hero, 'headline')).toMatchObject({ label: 'Headline', description: 'The page’s main heading (h1 on the first hero).' });
    // The document's `x-widget` picks the control: rich text, colours, money, dates, files, images.
    expect(find(model('rich_text'), 'markdown')).toMatchObject({ widget: 'rich-text', label: 'Text' });
    expect(find(model('countdown'), 'endsAt')).toMatchObject({
      widget: 'datetime',
      description: 'In your time zone; visitors see the time left.',
    });
    expect(find(model('lead_magnet'), 'assetPath')).toMatchObject({ widget: 'file', label: 'File' });
    expect(find(model('testimonials'), 'items.*.avatar')).toMatchObject({ widget: 'image-src', label: 'Photo' });
    expect(find(model('image'), 'src')).toMatchObject({ widget: 'image' });
    // The price is typed as 49.00, so the document's "in cents" help does not apply.
    expect(find(model('offer'), 'priceMinor')).not.toHaveProperty('description');
    const settings = settingsJsonSchema();
    const theme = buildFieldModel(settings.properties!.theme!, 'theme', FIELD_HINTS);
    expect(theme.map((f) => [f.key, f.label, f.widget])).toEqual([
      ['primary', 'Primary colour', 'colour'],
      ['background', 'Background colour', 'colour'],
      ['text', 'Text colour', 'colour'],
      ['fontStack', 'Font', undefined],
      ['buttonShape', 'Button corners', undefined],
      ['buttonFill', 'Button style', undefined],
      ['logo', 'Logo', 'image'],
    ]);
  });
});

describe('values', () => {
  it('sets and reads by path without touching the original, removing emptied optional keys', () => {
    const block = { id: 'h', type: 'hero', headline: 'Hi', cta: { label: 'Go', target: { kind: 'next' } } };
    const next = setIn(block, ['cta', 'target'], { kind: 'url', url: 'https://example.com' });
    expect(getIn(next, ['cta', 'target', 'url'])).toBe('https://example.com');
    expect(block.cta.target).toEqual({ kind: 'next' });
    expect(setIn(block, ['cta'], undefined)).not.toHaveProperty('cta');
    expect(setIn({ items: ['a', 'b'] }, ['items', 1], 'c')).toEqual({ items: ['a', 'c'] });
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('makes new items that pass the block schema: a quiz question with two answers and unique ids', () => {
    const fields = buildFieldModel(jsonSchemaOf('quiz'), 'quiz', FIELD_HINTS);
    const questions = find(fields, 'questions') as ArrayField;
    const first = newItem(questions, []) as { id: string; answers: Array<{ id: string }> };
    const second = newItem(questions, [first]) as { id: string };
    expect(first.id).toBe('q1');
    expect(second.id).toBe('q2');
    expect(first.answers.map((a) => a.id)).toEqual(['a1', 'a2']);
    const quiz = {
      type: 'quiz',
      id: 'quiz',
      title: 'Quiz',
      questions: [first, second],
      outcomes: [initialValue((find(fields, 'outcomes') as ArrayField).item)],
      askEmailBeforeOutcome: false,
    };
    expect(blockIssues(quiz)).toEqual({});
  });

  it('fills every block type’s required fields with valid starting values', () => {
    for (const option of blockSchema.options) {
      const type = option.shape.type.value;
      const fields = buildFieldModel(jsonSchemaOf(type), type, FIELD_HINTS);
      for (const field of fields) {
        if (field.kind !== 'array') continue;
        const items = initialValue(field) as unknown[];
        expect(items.length, `${type}.${field.key}`).toBe(field.minItems);
      }
      const faq = find(buildFieldModel(jsonSchemaOf('faq'), 'faq', FIELD_HINTS), 'items') as ArrayField;
      expect(blockIssues({ type: 'faq', id: 'faq', items: [newItem(faq, [])] })).toEqual({});
    }
  });

  it('derives form field names from labels and ids from a prefix, never taken ones', () => {
    expect(fieldNameFrom('Your company name!', [])).toBe('your_company_name');
    expect(fieldNameFrom('Company', ['company'])).toBe('company_2');
    expect(fieldNameFrom('1st choice', [])).toBe('st_choice');
    expect(fieldNameFrom('Consent', [])).toBe('field');
    expect(fieldNameFrom('Ünïcödé', [])).toBe('unicode');
    expect(uniqueId('q', ['q1', 'q3'])).toBe('q2');
  });
});

describe('live validation', () => {
  it('keys messages by path within the block, with the schema’s own words first', () => {
    const issues = blockIssues({
      type: 'hero',
      id: 'hero',
      headline: '   ',
      cta: { label: 'x'.repeat(61), target: { kind: 'url', url: 'javascript:alert(1)' } },
    });
    expect(issues).toEqual({
      headline: 'This cannot be empty.',
      'cta.label': 'Use at most 60 characters.',
      'cta.target.url': 'Use a full http:// or https:// address.',
    });
    expect(
      blockIssues({
        type: 'offer',
        id: 'o',
        title: 'x',
        priceMinor: 1.5,
        currency: 'usd',
        bullets: [],
        buyLabel: 'Buy',
        buyTarget: { kind: 'next' },
      }),
    ).toEqual({
      priceMinor: 'Use a whole number.',
      currency: 'Use a three-letter ISO 4217 code such as USD.',
    });
  });

  it('reports the quiz’s cross-field rules where they belong', () => {
    const issues = blockIssues({
      type: 'quiz',
      id: 'quiz',
      title: 'Quiz',
      askEmailBeforeOutcome: false,
      consent: { text: 'I agree', required: true },
      questions: [
        {
          id: 'q1',
          text: 'One',
          multiple: false,
          answers: [
            { id: 'a1', label: 'A', points: 1 },
            { id: 'a2', label: 'B', points: 2 },
          ],
        },
        {
          id: 'q2',
          text: 'Two',
          multiple: false,
          answers: [
            { id: 'a1', label: 'A', points: 1, next: 'q1' },
            { id: 'a2', label: 'B', points: 2 },
          ],
        },
      ],
      outcomes: [
        { id: 'o1', title: 'Low', description: 'Low', minScore: 0, maxScore: 3 },
        { id: 'o2', title: 'High', description: 'High', minScore: 3, maxScore: 9 },
      ],
    });
    expect(issues).toEqual({
      'questions.1.answers.0.next': 'An answer can only jump to a later question or to "end".',
      'outcomes.1.minScore': 'Outcome score ranges must not overlap.',
      consent: 'Consent is only asked together with the email.',
    });
  });

  it('takes the server’s messages for this block or the settings and lets the live check win', () => {
    const errors = {
      'blocks.3.headline': 'Too long',
      'blocks.30.headline': 'Other block',
      'settings.title': 'Empty',
      'blocks.3': 'Bad block',
    };
    expect(serverIssues(errors, 'blocks.3')).toEqual({ headline: 'Too long', '': 'Bad block' });
    expect(serverIssues(errors, 'settings')).toEqual({ title: 'Empty' });
    expect(mergeIssues({ headline: 'Live' }, { headline: 'Server', other: 'S' })).toEqual({ headline: 'Live', other: 'S' });
    expect(
      settingsIssues({
        title: '',
        noindex: false,
        theme: { primary: 'blue', background: '#ffffff', text: '#000000', fontStack: 'system' },
      }),
    ).toEqual({
      title: 'This cannot be empty.',
      'theme.primary': 'Use a colour like #1f6feb.',
    });
    expect(pageContentSchema.shape.settings).toBeDefined();
  });
});

describe('contrast', () => {
  it('computes WCAG ratios: black on white 21, equal colours 1, the known grey pair', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    // #767676 on white is the classic lightest AA grey (4.54:1); #777777 just fails (4.48:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(relativeLuminance('#FFFFFF')).toBe(1);
  });

  it('warns on text/background and button label/brand colour pairs below 4.5:1, as the page will show them', () => {
    expect(themeContrast({ primary: '#4338ca', background: '#ffffff', text: '#1c1f26' }).every((c) => c.passes)).toBe(true);
    const light = themeContrast({ primary: '#4338ca', background: '#ffffff', text: '#aaaaaa' });
    expect(light[0]).toMatchObject({ pair: 'Text on the background', passes: false, ratio: 2.32 });
    // Mid-grey brand colours are the ones where neither white nor near-black labels reach 4.5:1.
    expect(buttonTextColour('#777777')).toBe('#ffffff');
    const mid = themeContrast({ primary: '#777777', background: '#ffffff', text: '#000000' });
    expect(mid[1]).toMatchObject({ pair: 'Button label on the brand colour', foreground: '#ffffff', passes: false });
    expect(buttonTextColour('#facc15')).toBe('#111111');
    // 4.496 is not 4.5: ratios are floored before the comparison.
    expect(themeContrast({ primary: '#000000', background: '#ffffff', text: '#777777' })[0]!.passes).toBe(false);
    // A colour still being typed is skipped, not an error.
    expect(themeContrast({ primary: '#12', background: '#ffffff', text: '#000000' })).toHaveLength(1);
  });

  it('leaves out the brand-colour label pair for outline buttons, whose label is not on the brand colour', () => {
    const outline = themeContrast({ primary: '#777777', background: '#ffffff', text: '#000000', buttonFill: 'outline' });
    expect(outline.map((c) => c.pair)).toEqual(['Text on the background']);
  });
});

describe('rich-text toolbar edits', () => {
  const at = (text: string, start: number, end = start) => ({ text, start, end });

  it('bolds and unbolds the selection, the word under the cursor, or a placeholder', () => {
    const bold = toggleInline(at('make this bold', 5, 9), '**');
    expect(bold).toEqual({ text: 'make **this** bold', start: 7, end: 11 });
    expect(toggleInline(bold, '**')).toEqual(at('make this bold', 5, 9));
    expect(toggleInline(at('make this bold', 7), '**').text).toBe('make **this** bold');
    expect(toggleInline(at('x ', 2), '**')).toEqual({ text: 'x **bold text**', start: 4, end: 13 });
    // Spaces stay outside, or the parser would not close the emphasis.
    expect(toggleInline(at('a word here', 1, 7), '*').text).toBe('a *word* here');
    // Italic inside bold, and telling them apart.
    const both = toggleInline(at('**x**', 2, 3), '*');
    expect(both.text).toBe('***x***');
    expect(toggleInline(both, '*').text).toBe('**x**');
    expect(toggleInline(at('**x**', 0, 5), '**').text).toBe('x');
    const tree = parseRichText(toggleInline(at('make this bold', 5, 9), '**').text);
    expect(tree[0]).toEqual({
      kind: 'paragraph',
      children: [
        { kind: 'text', text: 'make ' },
        { kind: 'strong', children: [{ kind: 'text', text: 'this' }] },
        { kind: 'text', text: ' bold' },
      ],
    });
  });

  it('toggles headings and bullets on every selected line', () => {
    const text = 'one\ntwo\n\nthree';
    expect(toggleHeading(at(text, 0, 7), 2).text).toBe('## one\n## two\n\nthree');
    expect(toggleHeading(at('## one', 2), 2).text).toBe('one');
    expect(toggleHeading(at('## one', 2), 3).text).toBe('### one');
    expect(toggleBulletList(at(text, 0, text.length)).text).toBe('- one\n- two\n\n- three');
    expect(toggleBulletList(at('- one\n- two', 0, 11)).text).toBe('one\ntwo');
    expect(toggleBulletList(at('## Title', 0)).text).toBe('- Title');
    expect(parseRichText(toggleBulletList(at(text, 0, 7)).text)[0]).toMatchObject({ kind: 'list' });
  });

  it('makes, edits and removes links', () => {
    const linked = applyLink(at('see the docs now', 8, 12), '', 'https://example.com/docs');
    expect(linked.text).toBe('see the [docs](https://example.com/docs) now');
    expect(linkAt(linked.text, 10, 10)).toEqual({ start: 8, end: 40, text: 'docs', href: 'https://example.com/docs' });
    expect(applyLink({ ...linked, start: 10, end: 10 }, 'the docs', 'https://example.org').text).toBe(
      'see the [the docs](https://example.org) now',
    );
    expect(applyLink({ ...linked, start: 10, end: 10 }, 'docs', '').text).toBe('see the docs now');
    expect(applyLink(at('', 0), 'a [b]', '/pricing').text).toBe('[a \\[b\\]](/pricing)');
    expect(parseRichText('[a \\[b\\]](/pricing)')[0]).toMatchObject({
      children: [{ kind: 'link', href: '/pricing', children: [{ text: 'a [b]' }] }],
    });
  });
});
