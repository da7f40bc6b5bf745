/**
 * Demo leads: the seeded visitors who finished the skin quiz or took the ebook give their email,
 * posted to the published demo pages as their browsers would, at the time of their journey. So
 * capture, the visitor link and attribution, lead scoring, the qualification rule and one run of
 * the B2C automations (purchases won, abandoned checkouts) make the demo's leads and deals through
 * the real engine, and the dashboard's funnel-to-pipeline handoff has numbers on a fresh install.
 */
import { and, eq } from 'drizzle-orm';
import { funnelPages } from './schema';
import type { Database } from './types';
import { createApp } from '../workers/app';
import { randomToken } from '../workers/domain/crypto';
import { nodeDeps } from '../workers/node/deps';
import { DEFAULT_CAPTURE_LIMITS, issueSubmissionToken } from '../workers/services/capture';
import { runScheduledWork } from '../workers/services/scheduler';

/** A seeded visitor who reached evaluation: when, through which form, and a number to vary the answers by. */
export interface DemoEvaluator {
  visitorId: string;
  at: number;
  form: 'quiz' | 'ebook';
  n: number;
}

const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Mia',
  'Noah',
  'Emma',
  'Lucas',
  'Olivia',
  'Ethan',
  'Sofia',
  'Leo',
  'Chloe',
  'Mateo',
  'Zoe',
  'Kai',
  'Nora',
  'Ivy',
];
const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Chen',
  'Patel',
  'Kowalski',
  'Dubois',
  'Rossi',
  'Nguyen',
  'Okafor',
  'Silva',
  'Novak',
  'Larsen',
  'Haddad',
];

/** The three answer paths of the demo quiz, one per outcome (pages-ui/landing/demo-funnel.ts). */
const QUIZ_PATHS: Array<Record<string, string | string[]>> = [
  { q_midday: 'shiny', q_pores: 'everywhere', q_breakouts: 'often', q_shine: 'daily', q_products: ['cleanser'] }, // oily
  { q_midday: 'comfortable', q_pores: 'nose', q_breakouts: 'sometimes', q_shine: 'sometimes', q_products: ['none'] }, // balanced
  { q_midday: 'tight', q_pores: 'barely', q_breakouts: 'rarely', q_products: ['moisturiser', 'sunscreen'] }, // dry
];

const FORMS = { quiz: { slug: 'quiz', block: 'skin-quiz' }, ebook: { slug: 'guide', block: 'ebook' } } as const;

export async function captureDemoLeads(
  database: Database,
  funnelId: string,
  funnelSlug: string,
  evaluators: DemoEvaluator[],
  now: number,
): Promise<number> {
  const versions = new Map<string, string>();
  for (const { slug } of Object.values(FORMS)) {
    const [page] = await database.db
      .select({ version: funnelPages.publishedVersionId })
      .from(funnelPages)
      .where(and(eq(funnelPages.funnelId, funnelId), eq(funnelPages.slug, slug)));
    if (!page?.version) throw new Error(`The demo page "${slug}" is not published`);
    versions.set(slug, page.version);
  }

  let clock = now;
  let ip = '';
  const pending: Array<Promise<unknown>> = [];
  // The tokens this app signs are posted right back here: a secret of its own is enough.
  const deps = nodeDeps(database, randomToken(), {
    clock: () => clock,
    clientIp: () => ip,
    waitUntil: (work) => void pending.push(work),
  });
  const app = createApp(deps);

  let captured = 0;
  for (const e of evaluators) {
    const form = FORMS[e.form];
    const name = `${FIRST_NAMES[e.n % FIRST_NAMES.length]} ${LAST_NAMES[(e.n * 7) % LAST_NAMES.length]}`;
    // 16 × 13 names in step are unique for 208 leads; past that a number keeps emails apart (a
    // repeated email would update its lead instead of adding one).
    const email = `${name.toLowerCase().replace(' ', '.')}${e.n >= 208 ? e.n : ''}@example.com`;
    const answers = e.form === 'quiz' ? QUIZ_PATHS[e.n % QUIZ_PATHS.length]! : { name: name.split(' ')[0]! };
    clock = e.at - 2 * DEFAULT_CAPTURE_LIMITS.minFillMs;
    const token = await issueSubmissionToken(deps.secret, versions.get(form.slug)!, clock);
    clock = e.at;
    ip = `203.0.113.${e.n % 250}`; // a documentation range: one address per visitor
    const body = new URLSearchParams({ _block: form.block, _token: token, website: '', email, consent: 'yes' });
    for (const [field, value] of Object.entries(answers)) for (const v of [value].flat()) body.append(field, v);
    const res = await app.request(`/p/${funnelSlug}/${form.slug}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `lf_vid=${e.visitorId}`,
        'user-agent': 'Mozilla/5.0 (Leadflare demo)',
      },
      body,
    });
    if (res.status !== 303) throw new Error(`Demo capture for ${e.visitorId} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    captured++;
  }
  // Each capture committed its own event and qualified its lead before answering; whatever is still
  // buffered or running in the background finishes, then the automations run as the scheduler runs them.
  clock = now;
  await deps.events.flush();
  await Promise.all(pending.splice(0));
  const report = await runScheduledWork(deps, (work) => void pending.push(work));
  await Promise.all(pending);
  if (report.errors.length) throw new Error(`Demo automations failed: ${report.errors.join('; ')}`);
  return captured;
}
