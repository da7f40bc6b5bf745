/** DNS for the custom-domain check on Node: the system's resolvers through node:dns/promises. */
import { Resolver } from 'node:dns/promises';
import { DNS_TIMEOUT_MS, type DnsResolver } from '../services/ports';

/** "No such name" and "no such record" are answers (an empty list), not failures. */
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'ENONAME', 'NXDOMAIN']);

function none(err: unknown): string[] {
  if (NO_RECORDS.has((err as { code?: string }).code ?? '')) return [];
  throw err;
}

/** Rejects after `ms` if `work` has not settled: c-ares retries can outlast its per-try timeout. */
function within<T>(work: Promise<T>, ms: number, cancel: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel();
      reject(Object.assign(new Error(`DNS lookup timed out after ${ms} ms`), { code: 'ETIMEOUT' }));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function nodeDnsResolver(timeoutMs = DNS_TIMEOUT_MS): DnsResolver {
  // A resolver per lookup, so cancelling one on timeout cancels nothing else.
  const resolver = () => new Resolver({ timeout: timeoutMs, tries: 1 });
  const lower = (names: string[]) => names.map((n) => n.toLowerCase().replace(/\.$/, ''));
  return {
    cname(name) {
      const r = resolver();
      return within(r.resolveCname(name).then(lower, none), timeoutMs, () => r.cancel());
    },
    addresses(name) {
      const r = resolver();
      const lookups = Promise.all([r.resolve4(name).catch(none), r.resolve6(name).catch(none)]).then(([v4, v6]) => [...v4, ...v6]);
      return within(lookups, timeoutMs, () => r.cancel());
    },
  };
}
