import { describe, expect, it } from 'vitest';
import { blockSchema, type CaptureBlock, type FormField } from '../../workers/domain/blocks';
import { captureFormOf, formValuesFromBody, isValidEmail, isValidPhone, validateFormValues } from '../../workers/domain/form-submission';

const fields: FormField[] = [
  { name: 'email', label: 'Email', kind: 'email', required: true },
  { name: 'full_name', label: 'Name', kind: 'name', required: true },
  { name: 'phone', label: 'Phone', kind: 'phone', required: false },
  { name: 'company', label: 'Company', kind: 'company', required: false },
  { name: 'size', label: 'Team size', kind: 'select', required: false, options: ['1-10', '11-50'] },
  { name: 'message', label: 'Message', kind: 'textarea', required: false },
  { name: 'role', label: 'Role', kind: 'text', required: false },
  { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
];
const consent = { text: 'Yes, email me.', required: true };

describe('validateFormValues', () => {
  it('returns normalised values: the email trimmed and lower-cased, lead columns apart from other fields', () => {
    const result = validateFormValues(fields, consent, {
      email: '  Ava.Smith@Example.COM ',
      full_name: '  Ava   Smith ',
      phone: '+1 (555) 010-0199',
      company: 'Demo Shop',
      size: '11-50',
      message: 'Line one\r\nLine two  ',
      role: '',
      source: 'newsletter',
      consent: 'yes',
      _token: 'ignored',
      website: '',
    });
    expect(result).toEqual({
      ok: true,
      values: {
        email: 'ava.smith@example.com',
        name: 'Ava Smith',
        phone: '+1 (555) 010-0199',
        company: 'Demo Shop',
        fields: { size: '11-50', message: 'Line one\nLine two', source: 'newsletter' },
      },
      consentGiven: true,
    });
  });

  it('keeps a name like <script>alert(1)</script> as text (escaping is the renderer’s job)', () => {
    const result = validateFormValues(fields, undefined, { email: 'a@example.com', full_name: '<script>alert(1)</script>' });
    expect(result.ok && result.values.name).toBe('<script>alert(1)</script>');
  });

  it('reports each problem next to its field, in plain words', () => {
    const result = validateFormValues(fields, consent, { email: 'not-an-email', full_name: '   ', phone: 'call me', size: 'huge' });
    expect(result).toEqual({
      ok: false,
      errors: {
        email: 'Enter a valid email address.',
        full_name: 'This field is required.',
        phone: 'Enter a valid phone number, like +1 555 010 0199.',
        size: 'Choose one of the options.',
        consent: 'Tick this box to continue.',
      },
    });
  });

  it('limits lengths per kind', () => {
    const result = validateFormValues(fields, undefined, { email: 'a@example.com', full_name: 'x'.repeat(121), message: 'y'.repeat(5001) });
    expect(result).toEqual({ ok: false, errors: { full_name: 'Use at most 120 characters.', message: 'Use at most 5000 characters.' } });
  });

  it('cuts an over-long hidden UTM value instead of failing the visitor', () => {
    const result = validateFormValues(fields, undefined, { email: 'a@example.com', full_name: 'Ava', source: 's'.repeat(500) });
    expect(result.ok && result.values.fields.source).toHaveLength(200);
  });

  it('drops control characters and flattens line breaks outside textareas', () => {
    const result = validateFormValues(fields, undefined, { email: 'a@example.com', full_name: 'Ava\u0000\nSmith\u0007' });
    expect(result.ok && result.values.name).toBe('Ava Smith');
  });

  it('treats optional consent as given only when ticked', () => {
    const optional = { text: 'Email me.', required: false };
    const base = { email: 'a@example.com', full_name: 'Ava' };
    expect(validateFormValues(fields, optional, base)).toMatchObject({ ok: true, consentGiven: false });
    expect(validateFormValues(fields, optional, { ...base, consent: 'on' })).toMatchObject({ ok: true, consentGiven: true });
    expect(validateFormValues(fields, undefined, { ...base, consent: 'on' })).toMatchObject({ ok: true, consentGiven: false });
  });

  it('refuses a field list without an email field', () => {
    expect(() => validateFormValues([fields[1]!], undefined, {})).toThrow(/email field/);
  });
});

describe('email and phone checks', () => {
  it.each(['a@example.com', 'first.last+tag@sub.example.co.uk', 'x@xn--bcher-kva.example', "o'brien@example.ie"])('accepts %s', (email) => {
    expect(isValidEmail(email)).toBe(true);
  });

  it.each([
    '',
    'a',
    'a@',
    '@example.com',
    'a@example',
    'a b@example.com',
    'a@@example.com',
    '.a@example.com',
    'a..b@example.com',
    'a@-example.com',
    'a@example.c0m',
    `${'x'.repeat(65)}@example.com`,
  ])('rejects %j', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  it('accepts phone numbers with usual separators, 6 to 15 digits', () => {
    expect(isValidPhone('+44 20 7946 0958')).toBe(true);
    expect(isValidPhone('(555) 010-0199')).toBe(true);
    expect(isValidPhone('12345')).toBe(false);
    expect(isValidPhone('+1234567890123456')).toBe(false);
    expect(isValidPhone('555-CALL-NOW')).toBe(false);
  });
});

describe('captureFormOf', () => {
  const parse = (block: unknown) => blockSchema.parse(block) as CaptureBlock;

  it('gives a quiz that asks for the email an email field and its consent; none otherwise', () => {
    const quiz = {
      type: 'quiz',
      id: 'q',
      title: 'Q',
      questions: [
        {
          id: 'a',
          text: 'A?',
          multiple: false,
          answers: [
            { id: 'x', label: 'X', points: 1 },
            { id: 'y', label: 'Y', points: 2 },
          ],
        },
      ],
      outcomes: [{ id: 'o', title: 'O', description: 'O', minScore: 0, maxScore: 2 }],
      askEmailBeforeOutcome: true,
      consent: { text: 'Email me.', required: false },
    };
    expect(captureFormOf(parse(quiz))).toEqual({
      fields: [{ name: 'email', label: 'Email address', kind: 'email', required: true }],
      consent: { text: 'Email me.', required: false },
    });
    expect(captureFormOf(parse({ ...quiz, askEmailBeforeOutcome: false, consent: undefined }))).toBeNull();
  });

  it('turns chat steps into optional fields named after the step, then the email', () => {
    const chat = parse({
      type: 'chat_capture',
      id: 'chat',
      botName: 'Mia',
      steps: [
        { id: 'concern', prompt: 'Concern?', kind: 'choice', options: ['Dry', 'Oily'] },
        { id: 'note', prompt: 'Note?', kind: 'text' },
      ],
      emailPrompt: 'Email?',
      consent: { text: 'Email me.', required: true },
      submitLabel: 'Send',
      doneMessage: 'Thanks',
    });
    const form = captureFormOf(chat)!;
    expect(form.fields.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['concern', 'select', false],
      ['note', 'text', false],
      ['email', 'email', true],
    ]);
    expect(validateFormValues(form.fields, form.consent, { concern: 'Sticky', email: 'a@example.com', consent: 'yes' })).toEqual({
      ok: false,
      errors: { concern: 'Choose one of the options.' },
    });
    expect(validateFormValues(form.fields, form.consent, { concern: 'Dry', email: 'a@example.com', consent: 'yes' })).toEqual({
      ok: true,
      values: { email: 'a@example.com', fields: { concern: 'Dry' } },
      consentGiven: true,
    });
  });
});

describe('formValuesFromBody', () => {
  it('joins repeated fields with commas and ignores files', () => {
    const file = new File(['x'], 'x.txt');
    expect(formValuesFromBody({ q_products: ['cleanser', 'spf'], email: 'a@example.com', upload: file, mixed: ['a', file] })).toEqual({
      q_products: 'cleanser,spf',
      email: 'a@example.com',
      mixed: 'a',
    });
  });
});
