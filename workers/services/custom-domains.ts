/**
 * The custom-domain check on the funnel page: the DNS record the customer has to create (a CNAME
 * from their host name to the app's host), and whether DNS already leads there. Resolution goes
 * through the `DnsResolver` port, bounded by DNS_TIMEOUT_MS whatever the resolver does, so the
 * marketer gets an answer — possibly "DNS did not answer in time" — within two seconds.
 */
import type { DomainCheck } from '../contract/page-editor';
import { DNS_TIMEOUT_MS, type DnsResolver } from './ports';
import type { ServiceCtx } from './context';
import { getFunnel } from './funnels';

type Ctx = Pick<ServiceCtx, 'db' | 'clock' | 'dns'>;

/** CNAME chains longer than this are not followed (resolvers give up around here too). */
const MAX_HOPS = 8;

class DnsTimeout extends Error {}

const bare = (host: string) => host.toLowerCase().replace(/\.$/, '');

interface Observed {
  cname: string[];
  addresses: string[];
  /** The app host was reached through the CNAME chain, or the addresses match the app host's. */
  leadsHere: boolean;
}

async function observe(dns: DnsResolver, domain: string, target: string): Promise<Observed> {
  const chain: string[] = [];
  let name = domain;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const [next] = await dns.cname(name);
    if (!next || chain.includes(bare(next))) break;
    chain.push(bare(next));
    if (bare(next) === target) return { cname: chain, addresses: [], leadsHere: true };
    name = next;
  }
  // No CNAME to the app host: an apex domain may use an ALIAS / flattened CNAME, which answers
  // with the app host's own addresses.
  const [addresses, targetAddresses] = await Promise.all([dns.addresses(domain), dns.addresses(target)]);
  const leadsHere = addresses.length > 0 && addresses.every((a) => targetAddresses.includes(a));
  return { cname: chain, addresses, leadsHere };
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DnsTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Where the funnel's custom domain stands in DNS. `appHost` is the app's public host name (the
 * first of APP_HOSTS): the record to create is `CNAME <domain> → <appHost>`.
 */
export async function checkCustomDomain(
  ctx: Ctx,
  workspaceId: string,
  funnelId: string,
  appHost: string | undefined,
  timeoutMs = DNS_TIMEOUT_MS,
): Promise<DomainCheck> {
  const funnel = await getFunnel(ctx.db, workspaceId, funnelId);
  const domain = funnel.customDomain;
  const base = { domain, observed: { cname: [], addresses: [] }, checkedAt: ctx.clock() };
  if (!domain) {
    return {
      ...base,
      record: null,
      status: 'not_set',
      resolves: false,
      message: 'This funnel has no custom domain. Enter one (e.g. offers.example.com) to serve it on your own address.',
    };
  }
  if (!appHost) {
    return {
      ...base,
      record: null,
      status: 'no_app_host',
      resolves: false,
      message: 'The app’s public host name is not configured (APP_HOSTS), so there is no address to point the domain to yet.',
    };
  }
  const target = bare(appHost);
  const record = { type: 'CNAME' as const, name: domain, value: target };
  const result = (status: DomainCheck['status'], message: string, observed: DomainCheck['observed'] = base.observed): DomainCheck => ({
    ...base,
    observed,
    record,
    status,
    resolves: status === 'connected',
    message,
  });
  let observed: Observed;
  try {
    observed = await within(observe(ctx.dns, domain, target), timeoutMs);
  } catch (err) {
    if (err instanceof DnsTimeout || (err as { code?: string }).code === 'ETIMEOUT' || (err as Error).name === 'TimeoutError') {
      return result(
        'timeout',
        `DNS did not answer within ${timeoutMs / 1000} seconds. This is usually temporary: check again in a minute.`,
      );
    }
    return result('lookup_failed', `The DNS lookup of ${domain} failed (${(err as Error).message}). Check again in a minute.`);
  }
  const seen = { cname: observed.cname, addresses: observed.addresses };
  if (observed.leadsHere) return result('connected', `${domain} points to ${target}: the funnel is served there.`, seen);
  if (observed.cname.length) {
    return result('wrong_target', `${domain} points to ${observed.cname[0]}, not ${target}. Change its CNAME record to ${target}.`, seen);
  }
  if (observed.addresses.length) {
    return result(
      'wrong_target',
      `${domain} resolves to ${observed.addresses.slice(0, 3).join(', ')}, which is not this app. Replace its A/AAAA records with a CNAME record to ${target}.`,
      seen,
    );
  }
  return result(
    'pending',
    `No DNS record for ${domain} yet. Create a CNAME record from ${domain} to ${target} at your DNS provider; it can take from minutes to a few hours to be seen.`,
    seen,
  );
}
