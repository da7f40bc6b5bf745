/**
 * "Waitlist / coming soon": a software start-up before launch. A dark coming-soon page counts
 * down to the private beta and takes sign-ups with team size; the thank-you page invites people
 * to jump the queue by telling more about their team. Larger teams become prospects in B2B.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

// Pill buttons: the soft, app-like look of a consumer product launch.
const THEME: Theme = { primary: '#a78bfa', background: '#13111c', text: '#f4f3fa', fontStack: 'system', buttonShape: 'pill' };

const CONSENT = 'Email me my invite and occasional product news from Quillnote. I can unsubscribe at any time.';

const TEAM_SIZES = ['Just me', '2–10 people', '11–50 people', '51–200 people', 'More than 200 people'];

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const waitlist: PageContent = {
  settings: settings(
    'Quillnote · Meeting notes that write the follow-up',
    'Quillnote listens to your calls, writes the notes and drafts the follow-up email. Join the waitlist for the private beta.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Meeting notes that write the follow-up for you',
      subheadline:
        'Quillnote listens to your calls, writes clean notes in your words and drafts the follow-up email before you have closed the tab. The private beta opens soon.',
      image: {
        src: '/assets/templates/quillnote-app.svg',
        alt: 'The Quillnote app showing a call’s notes and a drafted follow-up email',
        width: 600,
        height: 420,
      },
    },
    {
      type: 'countdown',
      id: 'beta',
      // A template's date is moved to the next same weekday and time when a funnel is created from it.
      endsAt: Date.UTC(2027, 1, 2, 16, 0),
      label: 'The private beta opens',
      expiredText: 'The private beta is open. Join the waitlist and we will send your invite.',
    },
    {
      type: 'lead_form',
      id: 'join',
      title: 'Join the waitlist',
      description: 'We let new teams in every week, in the order they joined.',
      fields: [
        { name: 'email', label: 'Work email', kind: 'email', required: true, placeholder: 'you@company.com' },
        { name: 'team_size', label: 'How big is your team?', kind: 'select', required: true, options: TEAM_SIZES },
        { name: 'source', label: 'Source', kind: 'hidden_utm', required: false, utmParam: 'utm_source' },
      ],
      submitLabel: 'Join the waitlist',
      consent: { text: CONSENT, required: true },
    },
    {
      type: 'features',
      id: 'features',
      title: 'Why teams are waiting',
      items: [
        {
          icon: 'chat',
          title: 'Notes in your words',
          text: 'Decisions, owners and dates, written the way your team talks, not as a transcript dump.',
        },
        { icon: 'mail', title: 'Follow-ups, drafted', text: 'A ready-to-send recap for every external call. Edit a line, press send.' },
        {
          icon: 'lock',
          title: 'Private by default',
          text: 'Recordings are deleted after 24 hours. Your notes are never used to train models.',
        },
        { icon: 'video', title: 'Works where you meet', text: 'Zoom, Google Meet and Microsoft Teams, with no bot joining the call.' },
      ],
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Questions',
      items: [
        {
          question: 'What will it cost?',
          answer: 'The beta is free. After launch, plans start at $12 per person a month, and beta teams keep 50% off for a year.',
        },
        {
          question: 'When do I get in?',
          answer: 'We invite a few hundred teams each week, in the order they joined. Telling us about your team moves you up.',
        },
        {
          question: 'Does a bot join my meetings?',
          answer: 'No. Quillnote records on your computer, so the people you meet see nothing unusual.',
        },
      ],
    },
  ],
};

const thanks: PageContent = {
  settings: settings('You are on the list · Quillnote', 'Your spot on the Quillnote waitlist is saved.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'You are on the list',
      subheadline: 'We will email your invite as soon as your spot opens. Want in sooner?',
    },
    {
      type: 'cta',
      id: 'priority',
      title: 'Skip the queue',
      label: 'Tell us about your team',
      target: { kind: 'next' },
      note: 'Two minutes. Teams who tell us how they meet get invited first.',
    },
  ],
};

const priority: PageContent = {
  settings: settings('Get priority access · Quillnote', 'Tell us about your team and get invited to the Quillnote beta sooner.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Get invited sooner',
      subheadline: 'We are onboarding teams whose meetings Quillnote helps most first. Two minutes, four questions.',
    },
    {
      type: 'lead_form',
      id: 'about',
      title: 'About your team',
      fields: [
        { name: 'email', label: 'Work email', kind: 'email', required: true },
        { name: 'company', label: 'Company', kind: 'company', required: true },
        {
          name: 'meetings',
          label: 'External calls a week, across the team',
          kind: 'select',
          required: true,
          options: ['Fewer than 10', '10–50', '50–200', 'More than 200'],
        },
        { name: 'use_case', label: 'What would you use Quillnote for first?', kind: 'textarea', required: false },
      ],
      submitLabel: 'Move me up the list',
    },
  ],
};

export const WAITLIST: FunnelTemplate = {
  id: 'waitlist',
  name: 'Waitlist / coming soon',
  goal: 'waitlist',
  description:
    'A start-up before launch: a dark coming-soon page that counts down to the beta and takes sign-ups, a thank-you page and a priority form to jump the queue. Larger teams become prospects.',
  suggestedName: 'Quillnote waitlist',
  suggestedSlug: 'quillnote-waitlist',
  theme: THEME,
  pages: [
    { slug: 'waitlist', name: 'Coming soon', kind: 'landing', stage: 'awareness', content: waitlist },
    { slug: 'thanks', name: 'On the list', kind: 'thank_you', stage: 'evaluation', content: thanks },
    { slug: 'priority', name: 'Priority access', kind: 'custom', stage: 'desire', content: priority },
  ],
  scoring: {
    ...DEFAULT_SCORING,
    fields: [
      { field: 'team_size', equals: '11–50 people', points: 15 },
      { field: 'team_size', equals: '51–200 people', points: 30 },
      { field: 'team_size', equals: 'More than 200 people', points: 40 },
      { field: 'meetings', equals: '50–200', points: 15 },
      { field: 'meetings', equals: 'More than 200', points: 25 },
    ],
  },
  // A sign-up (about 13 points with its page view) from a team of 51 or more.
  qualification: {
    name: 'Larger teams on the waitlist → Prospecting',
    conditions: [{ kind: 'score_at_least', score: 40 }],
    pipeline: 'b2b',
    stage: 'Prospecting',
    value: { kind: 'fixed', amountMinor: 360_000 },
    currency: 'USD',
    nameTemplate: '{campaign} - {lead.email}',
  },
};
