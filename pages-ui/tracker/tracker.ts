/**
 * The visitor tracker, inlined at the end of every published landing page (≤ 1.5 KB gzip; built
 * by scripts/build-tracker.ts). It reports what the server cannot see — engagement, CTA clicks,
 * form starts, quiz progress, offer views — to `POST /e` with `navigator.sendBeacon` when the page
 * is hidden or left. Page views are recorded by the server, and the visitor is identified by the
 * server's cookie (or cookieless hash): the tracker never sends a page view or a visitor id.
 *
 * Markup it reads (written by the renderer, or injected at serve time on `<html>`):
 *   data-lf-cta="<block>"       link/button → `cta_click`, or `data-lf-event` (e.g. checkout_start)
 *   data-lf-form="<block>"      first focus or input inside → `form_start`, once per form
 *   data-lf-offer="<block>"     ≥ 50 % in view → `offer_view`, once per offer
 *   <html data-lf-cookieless>   store nothing on the device: no outbox, a lost beacon stays lost
 *   <html data-lf-privacy>      send nothing when Global Privacy Control or Do-Not-Track is on
 * Islands report their own steps with `document.dispatchEvent(new CustomEvent('lf:track',
 * { detail: { type, props } }))`.
 *
 * A batch the browser refuses (`sendBeacon` false or missing) goes to a bounded outbox in
 * localStorage and is sent first on the next page, with the same event ids, so the server stores
 * each event once.
 */

interface TrackedEvent {
  id: string;
  type: string;
  at: number;
  path: string;
  props?: Record<string, unknown>;
}

/** The only types `POST /e` accepts from the browser: anything else would fail its whole batch. */
const TYPES = /^(engaged|cta_click|form_start|quiz_(start|answer|complete)|offer_view|checkout_start)$/;
const OUTBOX_KEY = 'lf_outbox';
const OUTBOX_MAX = 200;
/** `POST /e` refuses a whole batch with an event more than a day old: older outbox events are dropped. */
const OUTBOX_MAX_AGE_MS = 23 * 60 * 60 * 1000;
const BATCH_MAX_EVENTS = 50;
const BATCH_MAX_BYTES = 16384;
/** `{"events":[` + `]}` */
const ENVELOPE_BYTES = 13;
const ENGAGED_VISIBLE_SECONDS = 15;

function start(): void {
  const doc = document;
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const root = doc.documentElement;
  if (root.hasAttribute('data-lf-privacy') && (nav.globalPrivacyControl === true || nav.doNotTrack === '1')) return;
  const keepOutbox = !root.hasAttribute('data-lf-cookieless');

  let queue: TrackedEvent[] = [];

  const readOutbox = (): TrackedEvent[] => {
    try {
      const stored = JSON.parse(localStorage.getItem(OUTBOX_KEY) || '[]');
      return Array.isArray(stored) ? stored : [];
    } catch {
      return [];
    }
  };

  const writeOutbox = (events: TrackedEvent[]): void => {
    try {
      if (events.length) localStorage.setItem(OUTBOX_KEY, JSON.stringify(events.slice(-OUTBOX_MAX)));
      else localStorage.removeItem(OUTBOX_KEY);
    } catch {
      // Storage full, disabled or blocked: the events are lost, the page is not.
    }
  };

  /**
   * 32 hex digits: 48 bits of millisecond time, a 16-bit count of this page's ids, 64 random bits
   * (crypto.randomUUID needs a secure context; getRandomValues does not). Time first, so the
   * server's events index grows at its end instead of being rewritten all over; the count keeps a
   * page's ids in the order its events happened, within one millisecond too.
   */
  let made = 0;
  const eventId = (): string =>
    Date.now().toString(16).padStart(12, '0') +
    ((made++ & 65535) | 65536).toString(16).slice(1) +
    Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => (byte | 256).toString(16).slice(1)).join('');

  const track = (type: string, props?: Record<string, unknown>): void => {
    if (TYPES.test(type)) queue.push({ id: eventId(), type, at: Date.now(), path: location.pathname, props });
  };

  /** Sends the queue in batches of ≤ 50 events and ≤ 16 KB; what the browser refuses goes to the outbox. */
  const flush = (): void => {
    const refused: TrackedEvent[] = [];
    let batch: TrackedEvent[] = [];
    let parts: string[] = [];
    let bytes = ENVELOPE_BYTES;
    const send = (): void => {
      if (batch.length && !nav.sendBeacon?.('/e', new Blob(['{"events":[' + parts.join(',') + ']}'], { type: 'application/json' }))) {
        refused.push(...batch);
      }
      batch = [];
      parts = [];
      bytes = ENVELOPE_BYTES;
    };
    for (const event of queue.splice(0)) {
      const json = JSON.stringify(event);
      const size = new Blob([json]).size + 1;
      if (size > BATCH_MAX_BYTES - ENVELOPE_BYTES) continue; // could never be sent
      if (batch.length === BATCH_MAX_EVENTS || bytes + size > BATCH_MAX_BYTES) send();
      batch.push(event);
      parts.push(json);
      bytes += size;
    }
    send();
    if (keepOutbox && refused.length) writeOutbox([...readOutbox(), ...refused]);
  };

  // Earlier pages' refused batches go first, under their original ids (what is refused again
  // goes back into the outbox).
  const stored = keepOutbox ? readOutbox() : [];
  if (stored.length) {
    writeOutbox([]);
    queue = stored.filter((event) => event?.at > Date.now() - OUTBOX_MAX_AGE_MS);
    flush();
  }

  // Engaged: ≥ 50 % of the page seen by scrolling, or ≥ 15 s visible — once per page view.
  let visibleSeconds = 0;
  let engaged = false;
  const engage = (): void => {
    if (engaged) return;
    engaged = true;
    clearInterval(timer);
    removeEventListener('scroll', onScroll);
    track('engaged');
  };
  const onScroll = (): void => {
    if ((scrollY + innerHeight) * 2 >= root.scrollHeight) engage();
  };
  const timer = setInterval(() => {
    if (doc.visibilityState === 'visible' && ++visibleSeconds >= ENGAGED_VISIBLE_SECONDS) engage();
  }, 1000);
  addEventListener('scroll', onScroll, { passive: true });

  /** The nearest element (from an event's target up) carrying a tracking attribute. */
  const marked = (event: Event, attribute: string): Element | null | undefined =>
    (event.target as Element | null)?.closest?.(`[${attribute}]`);

  doc.addEventListener(
    'click',
    (event) => {
      const cta = marked(event, 'data-lf-cta');
      if (cta) track(cta.getAttribute('data-lf-event') || 'cta_click', { block: cta.getAttribute('data-lf-cta') });
    },
    true,
  );

  const startedForms = new Set<Element>();
  const onFormActivity = (event: Event): void => {
    const form = marked(event, 'data-lf-form');
    if (form && !startedForms.has(form)) {
      startedForms.add(form);
      track('form_start', { block: form.getAttribute('data-lf-form') });
    }
  };
  doc.addEventListener('focusin', onFormActivity);
  doc.addEventListener('input', onFormActivity);

  doc.addEventListener('lf:track', (event) => {
    const detail = (event as CustomEvent<{ type: string; props?: Record<string, unknown> } | null>).detail;
    if (detail) track(detail.type, detail.props);
  });

  if (self.IntersectionObserver) {
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          // The first report comes for every offer, in view or not: only half-visible counts.
          if (entry.intersectionRatio >= 0.5) {
            observer.unobserve(entry.target);
            track('offer_view', { block: entry.target.getAttribute('data-lf-offer') });
          }
        }
      },
      { threshold: 0.5 },
    );
    doc.querySelectorAll('[data-lf-offer]').forEach((offer) => observer.observe(offer));
  }

  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') flush();
  });
  addEventListener('pagehide', flush);
}

try {
  start();
} catch {
  // Tracking must never break a page.
}
