/**
 * "Ebook lead magnet": a bookkeeping firm gives away a year-end checklist (a real PDF behind the
 * signed download link), then invites readers to book a free review of their books; a thank-you
 * page confirms the booking. Leads who read the checklist and book a review with enough volume
 * become deals in the "Demo or meeting" stage of a B2B pipeline.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

const THEME: Theme = { primary: '#0f766e', background: '#f8fafc', text: '#0f172a', fontStack: 'serif' };

const CONSENT = 'Yes, send me Ledgerline’s monthly bookkeeping tips. I can unsubscribe at any time.';

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const guide: PageContent = {
  settings: settings(
    'The year-end close checklist · Free PDF · Ledgerline',
    'The 27-step checklist small-business owners use to close the year and hand their accountant clean books. Free PDF.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Close the year without the January panic',
      subheadline:
        'The year-end close checklist: the 27 steps we walk our own clients through, so their accountant gets clean books on the first try. Free, printable, no fluff.',
    },
    {
      type: 'lead_magnet',
      id: 'checklist',
      title: 'Get the checklist',
      description:
        'Work through it in an afternoon or spread it over December. Every step says what to check and what “done” looks like, in the order that saves you from doing anything twice.\n\nThe download starts right here: no waiting for an email.',
      assetName: 'The year-end close checklist (PDF, 27 steps)',
      assetPath: '/assets/gated/year-end-close-checklist.pdf',
      cover: {
        src: '/assets/templates/year-end-close-checklist-cover.svg',
        alt: 'Cover of the year-end close checklist',
        width: 300,
        height: 400,
      },
      fields: [
        { name: 'name', label: 'First name', kind: 'name', required: false },
        { name: 'email', label: 'Email address', kind: 'email', required: true },
      ],
      submitLabel: 'Get the checklist',
      consent: { text: CONSENT, required: false },
    },
    {
      type: 'features',
      id: 'inside',
      title: 'What the checklist covers',
      items: [
        {
          icon: 'check',
          title: 'Reconcile every account',
          text: 'Bank, card and loan accounts matched to their statements, and the three mismatches that trip up most small businesses.',
        },
        {
          icon: 'chart',
          title: 'Spot the numbers that look wrong',
          text: 'A ten-minute review of your profit and loss that catches miscategorised expenses before your accountant does.',
        },
        {
          icon: 'calendar',
          title: 'Know what is due, and when',
          text: 'Payroll filings, contractor forms and estimated tax payments on one timeline, with room for your own deadlines.',
        },
        {
          icon: 'lock',
          title: 'Lock the year',
          text: 'How to close the period in your accounting software so nothing changes after you file.',
        },
      ],
    },
    {
      type: 'testimonials',
      id: 'readers',
      title: 'What owners say',
      items: [
        {
          quote:
            'We used to spend the first two weeks of January chasing receipts. This year we sent our accountant everything on the 3rd.',
          author: 'Priya Raman',
          role: 'Owner, Fernhill Florists',
          rating: 5,
        },
        {
          quote: 'The reconciliation section alone found a duplicated supplier payment of $1,240. Paid for my coffee for a year.',
          author: 'Marcus Webb',
          role: 'Co-founder, Webb & Daughters Joinery',
          rating: 5,
        },
      ],
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Questions, answered',
      items: [
        { question: 'Is it really free?', answer: 'Yes. Leave your email and the PDF is yours. No card, no trial, no catch.' },
        {
          question: 'Which accounting software does it cover?',
          answer:
            'Any of them. The steps are about your numbers, not about buttons, so they work in QuickBooks, Xero, FreeAgent or a spreadsheet.',
        },
        {
          question: 'Does it work outside the US?',
          answer:
            'The steps are the same everywhere. The deadlines page lists US dates and has a blank timeline to fill in for your country.',
        },
      ],
    },
    {
      type: 'cta',
      id: 'next',
      title: 'Rather have a bookkeeper check with you?',
      label: 'Book a free 20-minute review',
      target: { kind: 'next' },
      note: 'No sales pitch: a real review of your books, before the year closes.',
    },
  ],
};

const review: PageContent = {
  settings: settings(
    'Book a free books review · Ledgerline',
    'A free 20-minute review of your books with a Ledgerline bookkeeper, before the year closes.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Want a second pair of eyes on your books?',
      subheadline:
        'Book a free 20-minute review with one of our bookkeepers. We will look at your reconciliations and your profit and loss with you, and tell you honestly what needs fixing before the year closes.',
    },
    {
      type: 'rich_text',
      id: 'what-happens',
      markdown: [
        '## What happens on the call',
        '- **Share your screen** or send read-only access: whichever you prefer.',
        '- **We check the big three**: bank reconciliations, uncategorised transactions and receivables.',
        '- **You leave with a list**: what to fix, in what order, and what you can safely ignore.',
        '',
        'No sales pitch. If we can help more, we will say so once, at the end.',
      ].join('\n'),
    },
    {
      type: 'lead_form',
      id: 'book',
      title: 'Book your free review',
      description: 'We reply within one business day with three times to choose from.',
      fields: [
        { name: 'name', label: 'Your name', kind: 'name', required: true },
        { name: 'email', label: 'Work email', kind: 'email', required: true },
        { name: 'company', label: 'Business name', kind: 'company', required: true },
        {
          name: 'transactions',
          label: 'Transactions a month',
          kind: 'select',
          required: true,
          options: ['Under 100', '100–500', '500–2,000', 'More than 2,000'],
        },
        { name: 'phone', label: 'Phone', kind: 'phone', required: false },
        { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
      ],
      submitLabel: 'Book my free review',
      consent: { text: CONSENT, required: false },
    },
  ],
};

const thanks: PageContent = {
  settings: settings('Your review is booked · Ledgerline', 'Thank you: we will be in touch within one business day.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Your review is booked',
      subheadline: 'Thank you. A bookkeeper will email you within one business day with three times to choose from.',
    },
    {
      type: 'rich_text',
      id: 'prepare',
      markdown: [
        '## To get the most out of 20 minutes',
        '- Work through **steps 1 to 9** of the checklist, the reconciliations, if you can.',
        '- Note the **two or three questions** that keep you up at night.',
        '- Have your **last bank statement** of the year to hand.',
        '',
        'Questions before then? Write to [hello@ledgerline.example](mailto:hello@ledgerline.example).',
      ].join('\n'),
    },
  ],
};

export const EBOOK_LEAD_MAGNET: FunnelTemplate = {
  id: 'ebook-lead-magnet',
  name: 'Ebook lead magnet',
  goal: 'lead_magnet',
  description:
    'A bookkeeping firm gives away a year-end checklist as a PDF, then invites readers to book a free review of their books. Serious businesses become meetings in your B2B pipeline.',
  suggestedName: 'Year-end close checklist',
  suggestedSlug: 'year-end-checklist',
  theme: THEME,
  pages: [
    { slug: 'checklist', name: 'Checklist download', kind: 'lead_magnet', stage: 'awareness', content: guide },
    { slug: 'review', name: 'Book a free review', kind: 'custom', stage: 'interest', content: review },
    { slug: 'thanks', name: 'Review booked', kind: 'thank_you', stage: 'desire', content: thanks },
  ],
  scoring: {
    ...DEFAULT_SCORING,
    leadMagnet: 15,
    fields: [
      { field: 'transactions', equals: '100–500', points: 10 },
      { field: 'transactions', equals: '500–2,000', points: 20 },
      { field: 'transactions', equals: 'More than 2,000', points: 30 },
    ],
  },
  // The checklist (about 30 points with its page views) plus a booked review (10 more) and some volume.
  qualification: {
    name: 'Booked reviews with volume → Demo or meeting',
    conditions: [{ kind: 'lead_magnet_used' }, { kind: 'score_at_least', score: 50 }],
    pipeline: 'b2b',
    stage: 'Demo or meeting',
    value: { kind: 'fixed', amountMinor: 180_000 },
    currency: 'USD',
    nameTemplate: '{lead.company} - {campaign}',
  },
};
