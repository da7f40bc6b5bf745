import type { MiddlewareHandler } from 'hono';

/**
 * Browser features no Leadflare page uses — not the app, not a landing page, not an account page.
 * Denied for the page and every frame in it, so a hostile embed or a compromised third-party
 * script cannot ask a visitor for their camera or location under our name. Only features Chromium
 * recognises are listed (an unknown one is a console warning on every page); `fullscreen` and
 * `autoplay` stay allowed for the video block's embedded players.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'interest-cohort=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

/**
 * Baseline security headers on every response. Set through `c.header()` before the handler runs,
 * so they are written with the response in one go; Hono's `secureHeaders()` edits the finished
 * response instead, which on Node costs about a quarter of a published page's throughput.
 * Routes that need more (a page's Content-Security-Policy) add their own. The files Cloudflare's
 * asset layer serves without the Worker get the same list from dist/public/_headers
 * (scripts/build-app.ts).
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'SAMEORIGIN'],
  ['referrer-policy', 'strict-origin-when-cross-origin'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['permissions-policy', PERMISSIONS_POLICY],
];

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  for (const [name, value] of SECURITY_HEADERS) c.header(name, value);
  await next();
};
