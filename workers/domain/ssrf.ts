/**
 * Which webhook targets we refuse to call (server-side request forgery). A webhook URL is typed in
 * by a workspace owner and fetched by our servers, so it must never reach our own network: private,
 * loopback, link-local (cloud metadata at 169.254.169.254 included), shared CGNAT, multicast and
 * reserved addresses, in any spelling an URL parser or resolver accepts (decimal `2130706433`, hex
 * `0x7f000001`, octal `0177.0.0.1`, short `127.1`, IPv4-mapped IPv6 `::ffff:127.0.0.1`), and names
 * that only mean something inside a network (`localhost`, `*.internal`, `*.local`, single labels).
 *
 * Pure: the runtime-specific part (resolving a name and checking every address) is in
 * services/webhook-endpoints.ts, which calls `addressBlockReason` for each resolved address, on save and
 * again right before every send.
 */

import { hiddenUrlMeaning } from './safe-urls';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * A host written as an IPv4 address in any form `inet_aton` and the WHATWG URL parser accept:
 * 1–4 dot-separated parts, each decimal, `0x` hex or `0`-prefixed octal, the last part filling the
 * remaining bytes (`127.1` = 127.0.0.1, `2130706433` = 127.0.0.1). Null when it is not one.
 */
export function parseIPv4(text: string): number | null {
  let host = text;
  if (host.endsWith('.')) host = host.slice(0, -1);
  const parts = host.split('.');
  if (parts.length === 0 || parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = parseInt(part.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isSafeInteger(value)) return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  let address = 0;
  for (let i = 0; i < values.length; i++) address += values[i]! * 256 ** (3 - i);
  return address + last;
}

/** An IPv6 address (without brackets or zone) as its eight 16-bit groups; null when it is not one. */
export function parseIPv6(text: string): number[] | null {
  if (!text.includes(':') || text.includes('%')) return null;
  let rest = text;
  let tail: number[] = [];
  // A trailing dotted IPv4 part (`::ffff:127.0.0.1`) stands for the last two groups.
  const lastColon = rest.lastIndexOf(':');
  const lastPart = rest.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(lastPart)) return null;
    const octets = lastPart.split('.').map(Number);
    if (octets.some((o) => o > 255)) return null;
    tail = [octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!];
    rest = rest.slice(0, lastColon + 1);
    if (!rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const halves = rest.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? [...groups(halves[1]!), ...tail] : [];
  if (halves.length === 1) left.push(...tail);
  if ([...left, ...right].some(Number.isNaN)) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

interface Range {
  base: number;
  bits: number;
  reason: string;
}

const ipv4 = (dotted: string, bits: number, reason: string): Range => ({ base: parseIPv4(dotted)!, bits, reason });

// Longest prefixes first where ranges nest (the metadata address inside link-local).
const BLOCKED_IPV4: Range[] = [
  ipv4('169.254.169.254', 32, 'the cloud metadata address'),
  ipv4('0.0.0.0', 8, 'an unspecified ("this network") address'),
  ipv4('10.0.0.0', 8, 'a private network address'),
  ipv4('100.64.0.0', 10, 'a shared (carrier-grade NAT) address'),
  ipv4('127.0.0.0', 8, 'a loopback address'),
  ipv4('169.254.0.0', 16, 'a link-local address'),
  ipv4('172.16.0.0', 12, 'a private network address'),
  ipv4('192.0.0.0', 24, 'a reserved (IETF protocol) address'),
  ipv4('192.0.2.0', 24, 'a documentation address'),
  ipv4('192.88.99.0', 24, 'a reserved (6to4 relay) address'),
  ipv4('192.168.0.0', 16, 'a private network address'),
  ipv4('198.18.0.0', 15, 'a reserved (benchmarking) address'),
  ipv4('198.51.100.0', 24, 'a documentation address'),
  ipv4('203.0.113.0', 24, 'a documentation address'),
  ipv4('224.0.0.0', 4, 'a multicast address'),
  ipv4('240.0.0.0', 4, 'a reserved address'),
];

function inRange(address: number, range: Range): boolean {
  const size = 2 ** (32 - range.bits);
  return Math.floor(address / size) === Math.floor(range.base / size);
}

function ipv4BlockReason(address: number): string | null {
  return BLOCKED_IPV4.find((range) => inRange(address, range))?.reason ?? null;
}

const embeddedIPv4 = (groups: number[], at: number) => groups[at]! * 65536 + groups[at + 1]!;

function ipv6BlockReason(g: number[]): string | null {
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'an unspecified address';
  if (zeroUpTo(7) && g[7] === 1) return 'a loopback address';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address: judge that one.
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4BlockReason(embeddedIPv4(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4BlockReason(embeddedIPv4(g, 6));
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'a private network (unique local) address';
  if ((first & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((first & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((first & 0xff00) === 0xff00) return 'a multicast address';
  // Everything public is global unicast, 2000::/3; the rest is reserved, IPv4-compatible, etc.
  if ((first & 0xe000) !== 0x2000) return 'a reserved address';
  if (first === 0x2001 && g[1]! < 0x200) return 'a reserved (IETF protocol, Teredo) address';
  if (first === 0x2001 && g[1] === 0xdb8) return 'a documentation address';
  if (first === 0x3fff && g[1]! < 0x1000) return 'a documentation address';
  // 6to4 (2002:aabb:ccdd::) routes to the IPv4 address in groups 1–2.
  if (first === 0x2002) return ipv4BlockReason(embeddedIPv4(g, 1));
  return null;
}

/**
 * Why a literal IP address (v4 in any accepted spelling, or v6, brackets allowed) must not be
 * called, or null when it is a public internet address. A string that is no IP address at all is
 * refused too (`'not an IP address'`), so resolvers returning junk fail closed.
 */
export function addressBlockReason(address: string): string | null {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseIPv4(text);
  if (v4 !== null) return ipv4BlockReason(v4);
  const v6 = parseIPv6(text);
  if (v6) return ipv6BlockReason(v6);
  return 'not an IP address';
}

/** True when the host is written as an IP address (any IPv4 spelling, or bracketed / bare IPv6). */
export function isIpLiteral(host: string): boolean {
  const text = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return parseIPv4(text) !== null || parseIPv6(text) !== null;
}

const INTERNAL_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home.arpa', 'localdomain', 'corp', 'private'];

/**
 * Why a URL's host must not be called without looking it up, or null when it may be (a public-
 * looking name still has to resolve to public addresses only — that check needs DNS).
 */
export function hostBlockReason(rawHost: string): string | null {
  let host = rawHost.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1); // `localhost.` is `localhost`
  if (!host) return 'an empty host';
  if (isIpLiteral(host)) return addressBlockReason(host);
  if (!/^[a-z0-9_.-]+$/.test(host) || host.split('.').some((label) => label === '')) return 'not a valid host name';
  const labels = host.split('.');
  const last = labels.at(-1)!;
  if (INTERNAL_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return 'an internal-only host name';
  if (labels.length === 1) return 'a single-label name that only resolves inside a local network';
  if (/^\d+$/.test(last)) return 'not a valid host name'; // a numeric top-level label is an IPv4 spelling we did not accept
  return null;
}

export type UrlCheck = { ok: true; url: URL; hostname: string } | { ok: false; message: string };

/**
 * The rules a webhook URL must pass before anything is resolved: absolute https, no credentials,
 * a host that is not internal by name or literal address. `hostname` is the bare host to resolve
 * (IPv6 brackets removed).
 */
export function checkWebhookUrl(raw: string): UrlCheck {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, message: `Use a URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters.` };
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(raw)) return { ok: false, message: 'The URL contains spaces, control characters or backslashes.' };
  const hidden = hiddenUrlMeaning(raw);
  if (hidden) return { ok: false, message: `This URL is not a plain address: ${hidden} once decoded.` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'Enter a full URL such as https://hooks.example.com/leadflare.' };
  }
  if (url.protocol !== 'https:') return { ok: false, message: 'Webhook URLs must use https://.' };
  if (url.username || url.password)
    return { ok: false, message: 'Remove the user name and password from the URL; verify deliveries with the signing secret instead.' };
  const reason = hostBlockReason(url.hostname);
  if (reason) return { ok: false, message: `${url.hostname} is ${reason}; webhooks can only be sent to public internet hosts.` };
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { ok: true, url, hostname };
}
