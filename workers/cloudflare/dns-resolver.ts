/**
 * DNS for the custom-domain check on Workers, which have no DNS API: DNS over HTTPS, JSON format,
 * to Cloudflare's public resolver (https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/).
 */
import { DNS_TIMEOUT_MS, type DnsResolver } from '../services/ports';

const DOH_ENDPOINT = 'https://cloudflare-dns.com/dns-query';
/** Record type numbers (RFC 1035, RFC 3596). */
const TYPE = { A: 1, CNAME: 5, AAAA: 28 } as const;
/** Response codes: NOERROR, NXDOMAIN. Anything else (SERVFAIL, REFUSED…) is a failed lookup. */
const NOERROR = 0;
const NXDOMAIN = 3;

interface DohAnswer {
  Status: number;
  Answer?: Array<{ name: string; type: number; TTL: number; data: string }>;
}

export function dohDnsResolver(fetcher: typeof fetch = (input, init) => fetch(input, init), timeoutMs = DNS_TIMEOUT_MS): DnsResolver {
  async function query(name: string, type: keyof typeof TYPE): Promise<string[]> {
    const url = `${DOH_ENDPOINT}?name=${encodeURIComponent(name)}&type=${type}`;
    const res = await fetcher(url, { headers: { accept: 'application/dns-json' }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`DNS over HTTPS answered HTTP ${res.status}`);
    const body = (await res.json()) as DohAnswer;
    if (body.Status === NXDOMAIN) return [];
    if (body.Status !== NOERROR) throw new Error(`DNS lookup failed (response code ${body.Status})`);
    // An A query also returns the CNAME chain that led to the addresses: keep the asked-for type only.
    return (body.Answer ?? []).filter((a) => a.type === TYPE[type]).map((a) => a.data.toLowerCase().replace(/\.$/, ''));
  }
  return {
    cname: (name) => query(name, 'CNAME'),
    addresses: async (name) => {
      const [v4, v6] = await Promise.all([query(name, 'A'), query(name, 'AAAA')]);
      return [...v4, ...v6];
    },
  };
}
