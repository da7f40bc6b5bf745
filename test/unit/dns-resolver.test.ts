/**
 * The Workers DNS adapter (DNS over HTTPS, JSON API) against a fake fetch: what it asks, how it
 * reads answers, NXDOMAIN and empty answers as "no records", failures and its 2-second timeout.
 */
import { describe, expect, it } from 'vitest';
import { dohDnsResolver } from '../../workers/cloudflare/dns-resolver';

type Answer = { Status: number; Answer?: Array<{ name: string; type: number; TTL: number; data: string }> };

function fakeFetch(answers: Record<string, Answer | number>) {
  const asked: Array<{ url: string; accept: string | null; signal: AbortSignal | null | undefined }> = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    asked.push({ url, accept: new Headers(init?.headers).get('accept'), signal: init?.signal });
    const q = new URL(url).searchParams;
    const answer = answers[`${q.get('name')} ${q.get('type')}`] ?? { Status: 0 };
    if (typeof answer === 'number') return new Response('no', { status: answer });
    return Response.json(answer, { headers: { 'content-type': 'application/dns-json' } });
  }) as typeof fetch;
  return { fetcher, asked };
}

describe('dohDnsResolver', () => {
  it('asks cloudflare-dns.com for JSON and reads CNAME answers without the trailing dot', async () => {
    const { fetcher, asked } = fakeFetch({
      'offers.shop.example CNAME': {
        Status: 0,
        Answer: [{ name: 'offers.shop.example.', type: 5, TTL: 300, data: 'App.Leadflare.test.' }],
      },
    });
    const dns = dohDnsResolver(fetcher);
    expect(await dns.cname('offers.shop.example')).toEqual(['app.leadflare.test']);
    expect(asked[0]).toMatchObject({
      url: 'https://cloudflare-dns.com/dns-query?name=offers.shop.example&type=CNAME',
      accept: 'application/dns-json',
    });
    expect(asked[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('gives the A and AAAA addresses, without the CNAME chain an address query also returns', async () => {
    const { fetcher } = fakeFetch({
      'shop.example A': {
        Status: 0,
        Answer: [
          { name: 'shop.example.', type: 5, TTL: 300, data: 'app.leadflare.test.' },
          { name: 'app.leadflare.test.', type: 1, TTL: 300, data: '203.0.113.7' },
        ],
      },
      'shop.example AAAA': { Status: 0, Answer: [{ name: 'app.leadflare.test.', type: 28, TTL: 300, data: '2001:db8::7' }] },
    });
    expect(await dohDnsResolver(fetcher).addresses('shop.example')).toEqual(['203.0.113.7', '2001:db8::7']);
  });

  it('answers [] for a name that does not exist or has no such record', async () => {
    const { fetcher } = fakeFetch({ 'nowhere.example CNAME': { Status: 3 }, 'bare.example CNAME': { Status: 0 } });
    const dns = dohDnsResolver(fetcher);
    expect(await dns.cname('nowhere.example')).toEqual([]);
    expect(await dns.cname('bare.example')).toEqual([]);
  });

  it('rejects on a failing resolver (SERVFAIL, HTTP errors)', async () => {
    const { fetcher } = fakeFetch({ 'broken.example CNAME': { Status: 2 }, 'down.example CNAME': 503 });
    const dns = dohDnsResolver(fetcher);
    await expect(dns.cname('broken.example')).rejects.toThrow('response code 2');
    await expect(dns.cname('down.example')).rejects.toThrow('HTTP 503');
  });

  it('gives up when the answer takes longer than its timeout', async () => {
    // A fetch that never answers, except by honouring the abort signal as fetch does.
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      })) as typeof fetch;
    const started = Date.now();
    await expect(dohDnsResolver(hanging, 50).cname('slow.example')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
