/**
 * "Webinar registration": a B2B software company runs a free live workshop. The registration
 * page counts down to the session and asks for role and team size; the confirmation page offers
 * a demo; registrants from larger sales teams in leading roles become deals.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

// Square buttons: the sober look of a business workshop.
const THEME: Theme = { primary: '#4338ca', background: '#ffffff', text: '#111827', fontStack: 'system', buttonShape: 'square' };

const NEWSLETTER_CONSENT = 'Also send me Pipewise’s monthly forecasting newsletter. I can unsubscribe at any time.';

const ROLES = ['Sales leader (VP, Director, Head of Sales)', 'Sales manager', 'Revenue operations', 'Founder or CEO', 'Something else'];
const TEAM_SIZES = ['1–5 reps', '6–20 reps', '21–50 reps', 'More than 50 reps'];

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const register: PageContent = {
  settings: settings(
    'Live workshop: forecasts your CFO will trust · Pipewise',
    'A free 45-minute live workshop for sales leaders: build a pipeline forecast from the data you already have, with our spreadsheet template.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Forecasts your CFO will actually trust',
      subheadline:
        'A free 45-minute live workshop for sales leaders: how to build a pipeline forecast from the data you already have, with the spreadsheet template we use with more than 300 sales teams.',
    },
    {
      type: 'countdown',
      id: 'starts',
      // A template's date is moved to the next same weekday and time when a funnel is created from it.
      endsAt: Date.UTC(2027, 0, 21, 17, 0),
      label: 'The live workshop starts',
      expiredText: 'This session has started. Register below and we will send you the recording.',
    },
    {
      type: 'features',
      id: 'learn',
      title: 'In 45 minutes you will learn',
      items: [
        {
          icon: 'target',
          title: 'The three numbers that predict a quarter',
          text: 'Coverage, conversion by stage and cycle length: what each tells you and where to find it in your CRM.',
        },
        {
          icon: 'chart',
          title: 'Weighted pipeline versus commit',
          text: 'Why the two disagree, and how to present both so finance stops discounting your number.',
        },
        {
          icon: 'calendar',
          title: 'A 20-minute weekly forecast ritual',
          text: 'The agenda, the questions and the one dashboard that keep the forecast honest without a Friday fire drill.',
        },
        {
          icon: 'users',
          title: 'Getting reps to update their deals',
          text: 'Small changes to stages and exit criteria that make an accurate pipeline the easy path.',
        },
      ],
    },
    {
      type: 'lead_form',
      id: 'register',
      title: 'Save your seat',
      description:
        'Live on Zoom, 45 minutes plus questions. Cannot make it? Register anyway and we will send the recording and the template.',
      fields: [
        { name: 'name', label: 'First name', kind: 'name', required: true },
        { name: 'email', label: 'Work email', kind: 'email', required: true },
        { name: 'company', label: 'Company', kind: 'company', required: true },
        { name: 'role', label: 'Your role', kind: 'select', required: true, options: ROLES },
        { name: 'team_size', label: 'Size of your sales team', kind: 'select', required: true, options: TEAM_SIZES },
        { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
        { name: 'campaign', label: 'Campaign', kind: 'hidden_utm', required: false, utmParam: 'utm_campaign' },
      ],
      submitLabel: 'Save my seat',
      consent: { text: NEWSLETTER_CONSENT, required: false },
      // The confirmation the thank-you page promises. The Zoom link is not in it: a template cannot
      // know the marketer's meeting, and a placeholder must never reach a registrant. Add yours here.
      followUpEmail: {
        subject: 'Your seat is saved: Forecasts your CFO will trust',
        body: [
          'Hi,',
          'Thank you for registering for our free live workshop “Forecasts your CFO will trust”: 45 minutes on Zoom, plus questions.',
          'To make the most of the hour:\n- Export last quarter’s closed deals from your CRM: we will use them in the live exercise.\n- Bring one forecast you got wrong. Everyone has one; we will look at why.\n- Invite your RevOps lead. Registration is per person, and seats are unlimited.',
          'See you there,\nMaya Chen, Pipewise',
        ].join('\n\n'),
      },
    },
    {
      type: 'testimonials',
      id: 'attendees',
      title: 'From the last session',
      items: [
        {
          quote: 'The weighted-versus-commit slide is now the first page of our board pack. Our CFO asked where it came from.',
          author: 'Elena García',
          role: 'VP Sales, Northwind Logistics',
          rating: 5,
        },
        {
          quote: 'Practical from minute one. We ran the 20-minute ritual the following Monday and have not missed one since.',
          author: 'James Whitfield',
          role: 'Head of Revenue Operations, Brightline',
          rating: 5,
        },
      ],
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Good to know',
      items: [
        {
          question: 'Is it really free?',
          answer: 'Yes. It is a workshop, not a demo in disguise: you leave with a template that works with any CRM.',
        },
        {
          question: 'Will there be a recording?',
          answer: 'Yes. Everyone who registers gets the recording and the slides the next morning.',
        },
        {
          question: 'Who runs it?',
          answer: 'Maya Chen, our head of customer success, who ran sales forecasting at two public SaaS companies.',
        },
      ],
    },
  ],
};

const confirmed: PageContent = {
  settings: settings('You are registered · Pipewise workshop', 'Your seat is saved. Your confirmation is on its way.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'You are in! Check your inbox',
      // The form's follow-up email sends the confirmation; no joining link or calendar invitation is
      // sent by Leadflare, so the page does not promise them.
      subheadline: 'Your confirmation, with how to prepare for the workshop, is on its way to your inbox.',
    },
    {
      type: 'rich_text',
      id: 'prepare',
      markdown: [
        '## Make the most of the hour',
        '- **Export last quarter’s closed deals** from your CRM: we will use them in the live exercise.',
        '- **Bring one forecast you got wrong.** Everyone has one; we will look at why.',
        '- **Invite your RevOps lead.** Registration is per person, and seats are unlimited.',
      ].join('\n'),
    },
    {
      type: 'cta',
      id: 'demo',
      title: 'Cannot wait until the workshop?',
      label: 'See Pipewise on your own pipeline',
      target: { kind: 'next' },
      note: 'A 20-minute demo with your CRM data, not a slide deck.',
    },
  ],
};

const demo: PageContent = {
  settings: settings('Book a demo · Pipewise', 'A 20-minute demo of Pipewise on your own pipeline data.'),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'See your own pipeline, forecast in 20 minutes',
      subheadline:
        'Connect your CRM read-only during the call and watch Pipewise build the forecast from the workshop, automatically, every Monday morning.',
    },
    {
      type: 'features',
      id: 'proof',
      items: [
        { icon: 'bolt', title: 'Live in a day', text: 'Salesforce and HubSpot connect in minutes; history imports overnight.' },
        { icon: 'shield', title: 'Read-only and SOC 2', text: 'We never write to your CRM, and your data stays in your region.' },
        { icon: 'trending', title: 'Within 5% by week six', text: 'The median forecast error of our customers after their first quarter.' },
      ],
    },
    {
      type: 'lead_form',
      id: 'book',
      title: 'Book your demo',
      fields: [
        { name: 'email', label: 'Work email', kind: 'email', required: true },
        { name: 'phone', label: 'Phone', kind: 'phone', required: false },
        {
          name: 'crm',
          label: 'Your CRM',
          kind: 'select',
          required: true,
          options: ['Salesforce', 'HubSpot', 'Pipedrive', 'Something else'],
        },
      ],
      submitLabel: 'Book my demo',
    },
  ],
};

export const WEBINAR_REGISTRATION: FunnelTemplate = {
  id: 'webinar-registration',
  name: 'Webinar registration',
  goal: 'webinar',
  description:
    'A software company’s free live workshop: a registration page that counts down to the session, a confirmation page that offers a demo, and a demo booking. Sales leaders of larger teams become deals.',
  suggestedName: 'Forecasting workshop',
  suggestedSlug: 'forecasting-workshop',
  theme: THEME,
  pages: [
    { slug: 'register', name: 'Registration', kind: 'landing', stage: 'awareness', content: register },
    { slug: 'confirmed', name: 'Confirmation', kind: 'thank_you', stage: 'evaluation', content: confirmed },
    { slug: 'demo', name: 'Book a demo', kind: 'custom', stage: 'desire', content: demo },
  ],
  scoring: {
    ...DEFAULT_SCORING,
    fields: [
      { field: 'role', equals: ROLES[0]!, points: 25 },
      { field: 'role', equals: 'Revenue operations', points: 20 },
      { field: 'role', equals: 'Founder or CEO', points: 20 },
      { field: 'team_size', equals: '21–50 reps', points: 15 },
      { field: 'team_size', equals: 'More than 50 reps', points: 25 },
    ],
  },
  // A registration (about 13 points with its page view) from a leading role in a team of 21 or more.
  qualification: {
    name: 'Sales leaders of larger teams → Lead qualification',
    conditions: [{ kind: 'score_at_least', score: 50 }],
    pipeline: 'b2b',
    stage: 'Lead qualification',
    value: { kind: 'fixed', amountMinor: 1_200_000 },
    currency: 'USD',
    nameTemplate: '{lead.company} - {campaign}',
  },
};
