/**
 * The tracker's budget and build, and its delivery rules run against a stand-in browser (a vm
 * context with fake document, storage, beacon and timers) — the corners that are slow or awkward
 * to reach in Chromium: a missing sendBeacon, a full or throwing localStorage, the outbox bound.
 * test/e2e/tracker.test.ts covers the same script in a real browser.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRACKER_JS, TRACKER_JS_SHA256 } from '../../pages-ui/tracker/generated';

const BUDGET_GZIP_BYTES = 1536;
const OUTBOX_KEY = 'lf_outbox';

describe('the tracker bundle', () => {
  it('fits 1.5 KB gzip, publishes its CSP hash and cannot end its <script> element', () => {
    const size = gzipSync(TRACKER_JS, { level: 9 }).length;
    console.info(`tracker: ${TRACKER_JS.length} bytes, ${size} bytes gzip`);
    expect(size).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(createHash('sha256').update(TRACKER_JS).digest('base64')).toBe(TRACKER_JS_SHA256);
    expect(TRACKER_JS).not.toMatch(/<\/script|<!--/i);
  });

  it('is up to date with its source', () => {
    expect(() => execFileSync('npx', ['tsx', 'scripts/build-tracker.ts', '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);
});

interface SentEvent {
  id: string;
  type: string;
  at: number;
  path: string;
  props?: Record<string, unknown>;
}

type Listener = (event: { type: string; target?: unknown; detail?: unknown }) => void;

class Listeners {
  private byType = new Map<string, Listener[]>();
  addEventListener = (type: string, listener: Listener) => {
    this.byType.set(type, [...(this.byType.get(type) ?? []), listener]);
  };
  removeEventListener = (type: string, listener: Listener) => {
    this.byType.set(
      type,
      (this.byType.get(type) ?? []).filter((l) => l !== listener),
    );
  };
  fire(type: string, extra: { target?: unknown; detail?: unknown } = {}) {
    for (const listener of this.byType.get(type) ?? []) listener({ type, ...extra });
  }
}

/** Blob as far as the tracker uses it: its UTF-8 size and, for the test, its text. */
class FakeBlob {
  readonly size: number;
  constructor(
    readonly parts: string[],
    readonly options?: { type?: string },
  ) {
    this.size = Buffer.byteLength(parts.join(''));
  }
}

interface Options {
  /** Attributes on <html>. */
  html?: string[];
  navigator?: Record<string, unknown>;
  /** What sendBeacon answers; `'missing'` leaves it out. */
  beacon?: boolean | 'missing';
  /** Initial localStorage contents; `'throws'` makes every call throw. */
  storage?: Record<string, string> | 'throws';
}

/** Loads the built tracker into a fresh stand-in page. */
function loadTracker(options: Options = {}) {
  const beacons: Array<{ url: string; type: string | undefined; bytes: number; events: SentEvent[] }> = [];
  const storageCalls: string[] = [];
  const store = new Map(Object.entries(options.storage === 'throws' ? {} : (options.storage ?? {})));
  const storage = Object.fromEntries(
    (['getItem', 'setItem', 'removeItem'] as const).map((name) => [
      name,
      (key: string, value?: string) => {
        storageCalls.push(name);
        if (options.storage === 'throws') throw new Error('SecurityError: storage is disabled');
        if (name === 'getItem') return store.get(key) ?? null;
        if (name === 'setItem') store.set(key, value!);
        else store.delete(key);
        return undefined;
      },
    ]),
  );
  const doc = new Listeners();
  const win = new Listeners();
  let intervals: Array<() => void> = [];
  const attributes = new Set(options.html ?? []);
  const document = Object.assign(doc, {
    visibilityState: 'visible',
    documentElement: { hasAttribute: (name: string) => attributes.has(name), scrollHeight: 4000 },
    querySelectorAll: () => [],
  });
  const navigator: Record<string, unknown> = { ...options.navigator };
  if (options.beacon !== 'missing') {
    navigator.sendBeacon = (url: string, blob: FakeBlob) => {
      beacons.push({ url, type: blob.options?.type, bytes: blob.size, events: JSON.parse(blob.parts.join('')).events });
      return options.beacon ?? true;
    };
  }
  const context: Record<string, unknown> = {
    document,
    navigator,
    location: { pathname: '/p/demo/offer' },
    localStorage: storage,
    crypto: globalThis.crypto,
    Blob: FakeBlob,
    setInterval: (callback: () => void) => (intervals.push(callback), intervals.length),
    clearInterval: () => void (intervals = []),
    addEventListener: win.addEventListener,
    removeEventListener: win.removeEventListener,
    scrollY: 0,
    innerHeight: 800,
  };
  context.self = context;
  runInNewContext(TRACKER_JS, context);
  return {
    beacons,
    storageCalls,
    store,
    sent: () => beacons.flatMap((beacon) => beacon.events),
    outbox: (): SentEvent[] | undefined => (store.has(OUTBOX_KEY) ? JSON.parse(store.get(OUTBOX_KEY)!) : undefined),
    track: (type: string, props?: Record<string, unknown>) => doc.fire('lf:track', { detail: { type, props } }),
    seconds: (n: number) => {
      for (let i = 0; i < n; i++) for (const tick of intervals) tick();
    },
    setVisibility(state: 'visible' | 'hidden') {
      document.visibilityState = state;
      doc.fire('visibilitychange');
    },
    leave: () => win.fire('pagehide'),
    scrollTo(y: number) {
      context.scrollY = y;
      win.fire('scroll');
    },
  };
}

const HOUR = 60 * 60 * 1000;
const AN_HOUR_AGO = Date.now() - HOUR;
/** A stored outbox event, `n` ms after an hour ago (or at the given time). */
const event = (n: number, at = AN_HOUR_AGO + n): SentEvent => ({
  id: `stored-event-${String(n).padStart(6, '0')}`,
  type: 'engaged',
  at,
  path: '/p/demo',
});

describe('the tracker in a stand-in page', () => {
  it('sends the queue as one JSON beacon to /e on pagehide, and nothing when there is nothing to send', () => {
    const page = loadTracker();
    page.leave();
    expect(page.beacons).toEqual([]);
    page.track('quiz_start', { block: 'q' });
    page.leave();
    expect(page.beacons).toEqual([
      {
        url: '/e',
        type: 'application/json',
        bytes: expect.any(Number),
        events: [expect.objectContaining({ type: 'quiz_start', props: { block: 'q' } })],
      },
    ]);
    page.leave();
    expect(page.beacons).toHaveLength(1);
  });

  it("makes 32-hex-digit ids — millisecond time, a count of the page's ids, random bits — that sort in the order they were made", () => {
    const before = Date.now();
    const page = loadTracker();
    for (let i = 0; i < 200; i++) page.track('quiz_answer');
    page.leave();
    const after = Date.now();
    const ids = page.sent().map((e) => e.id);
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(200);
    // Later calls sort after earlier ones, even within one millisecond…
    expect([...ids].sort()).toEqual(ids);
    // …because the first 12 digits are the time and the next 4 count the page's ids…
    const times = ids.map((id) => parseInt(id.slice(0, 12), 16));
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times.at(-1)).toBeLessThanOrEqual(after);
    expect(ids.map((id) => parseInt(id.slice(12, 16), 16))).toEqual(ids.map((_, i) => i));
    // …and the last 16 are random.
    expect(new Set(ids.map((id) => id.slice(16))).size).toBe(200);
    // A page loaded later sorts after this one.
    const later = Date.now() + 1;
    while (Date.now() < later);
    const next = loadTracker();
    next.track('quiz_answer');
    next.leave();
    expect(next.sent()[0]!.id > ids.at(-1)!).toBe(true);
  });

  it('is engaged by scrolling to half the page, or by 15 visible seconds — once', () => {
    const scrolled = loadTracker();
    scrolled.scrollTo(1000); // (1000 + 800) of 4000: not yet half
    scrolled.leave();
    expect(scrolled.sent()).toEqual([]);
    scrolled.scrollTo(1200);
    scrolled.scrollTo(3200);
    scrolled.seconds(60);
    scrolled.leave();
    expect(scrolled.sent().map((e) => e.type)).toEqual(['engaged']);

    const read = loadTracker();
    read.seconds(14);
    read.setVisibility('hidden');
    read.seconds(100);
    read.setVisibility('visible');
    expect(read.sent()).toEqual([]);
    read.seconds(1);
    read.scrollTo(3200);
    read.leave();
    expect(read.sent().map((e) => e.type)).toEqual(['engaged']);
  });

  it('puts a refused batch in the outbox and sends it first, with the same ids, on the next page', () => {
    const first = loadTracker({ beacon: false });
    first.track('cta_click', { block: 'hero' });
    first.leave();
    const outbox = first.outbox()!;
    expect(outbox.map((e) => e.type)).toEqual(['cta_click']);

    const next = loadTracker({ storage: Object.fromEntries(first.store) });
    expect(next.beacons).toHaveLength(1);
    expect(next.sent()).toEqual(outbox);
    expect(next.outbox()).toBeUndefined();
  });

  it('keeps the outbox when sendBeacon is missing, and bounds it to the newest 200 events', () => {
    const page = loadTracker({ beacon: 'missing', storage: { [OUTBOX_KEY]: JSON.stringify([...Array(190).keys()].map((n) => event(n))) } });
    for (let n = 0; n < 30; n++) page.track('quiz_answer', { n });
    page.leave();
    const outbox = page.outbox()!;
    expect(outbox).toHaveLength(200);
    expect(outbox[0]).toEqual(event(20)); // the 20 oldest were dropped
    expect(outbox.slice(-30).map((e) => e.props?.n)).toEqual([...Array(30).keys()]);
  });

  it('drops outbox events more than 23 hours old (the server would refuse their whole batch), and clears them', () => {
    const stale = event(1, Date.now() - 24 * HOUR);
    const page = loadTracker({ storage: { [OUTBOX_KEY]: JSON.stringify([stale, event(2), null, 7]) } });
    expect(page.sent()).toEqual([event(2)]);
    expect(page.outbox()).toBeUndefined();
    const onlyStale = loadTracker({ storage: { [OUTBOX_KEY]: JSON.stringify([stale]) } });
    expect(onlyStale.beacons).toEqual([]);
    expect(onlyStale.outbox()).toBeUndefined();
  });

  it('survives storage that throws or holds garbage: events still go out, nothing breaks', () => {
    const blocked = loadTracker({ storage: 'throws' });
    blocked.track('form_start', { block: 'f' });
    blocked.leave();
    expect(blocked.sent().map((e) => e.type)).toEqual(['form_start']);
    const refused = loadTracker({ storage: 'throws', beacon: false });
    refused.track('form_start', { block: 'f' });
    expect(() => refused.leave()).not.toThrow();

    for (const garbage of ['{not json', '{"events":[]}', '42']) {
      const page = loadTracker({ storage: { [OUTBOX_KEY]: garbage } });
      expect(page.beacons).toEqual([]);
      page.track('offer_view');
      page.leave();
      expect(page.sent().map((e) => e.type)).toEqual(['offer_view']);
    }
  });

  it('splits batches at 50 events and at 16 KB, and drops an event that could never fit', () => {
    const page = loadTracker();
    page.track('quiz_answer', { text: 'x'.repeat(17_000) });
    for (let n = 0; n < 101; n++) page.track('quiz_answer', { n });
    page.leave();
    expect(page.beacons.map((b) => b.events.length)).toEqual([50, 50, 1]);
    expect(page.sent().map((e) => e.props?.n)).toEqual([...Array(101).keys()]);

    const big = loadTracker();
    for (let n = 0; n < 40; n++) big.track('quiz_answer', { n, text: '€'.repeat(400) }); // 1.2 KB of UTF-8 each
    big.leave();
    expect(big.beacons.length).toBeGreaterThan(2);
    for (const beacon of big.beacons) expect(beacon.bytes).toBeLessThanOrEqual(16_384);
    expect(big.sent()).toHaveLength(40);
  });

  it('in cookieless mode never touches storage: an old outbox is not sent, a refused beacon is lost', () => {
    const page = loadTracker({ html: ['data-lf-cookieless'], beacon: false, storage: { [OUTBOX_KEY]: JSON.stringify([event(1)]) } });
    page.track('cta_click', { block: 'hero' });
    page.leave();
    expect(page.storageCalls).toEqual([]);
    expect(page.beacons.map((b) => b.events.map((e) => e.type))).toEqual([['cta_click']]);
    expect(page.outbox()).toEqual([event(1)]);
  });

  it('sends nothing when <html data-lf-privacy> is set and the visitor sends GPC or DNT', () => {
    for (const navigator of [{ globalPrivacyControl: true }, { doNotTrack: '1' }]) {
      const page = loadTracker({ html: ['data-lf-privacy'], navigator, storage: { [OUTBOX_KEY]: JSON.stringify([event(1)]) } });
      page.track('cta_click');
      page.seconds(60);
      page.leave();
      expect(page.beacons).toEqual([]);
      expect(page.storageCalls).toEqual([]);
      // Without the page's say-so, the signal alone changes nothing.
      const unasked = loadTracker({ navigator });
      unasked.track('cta_click');
      unasked.leave();
      expect(unasked.beacons).toHaveLength(1);
    }
    const noSignal = loadTracker({ html: ['data-lf-privacy'], navigator: { doNotTrack: '0', globalPrivacyControl: false } });
    noSignal.track('cta_click');
    noSignal.leave();
    expect(noSignal.beacons).toHaveLength(1);
  });
});
