/**
 * A local stand-in for Cloudflare's Turnstile siteverify endpoint (node:http on loopback), so
 * tests never reach Cloudflare. It behaves like the real one: form-encoded `secret`, `response`
 * and `remoteip`; a wrong secret → `invalid-input-secret`; a token it never issued →
 * `invalid-input-response`; a token verified before → `timeout-or-duplicate`. Two switches for
 * tests: `lenient` accepts any token any number of times (to prove our own replay refusal), and
 * `hang` never answers (to prove the timeout).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export const STAND_IN_SECRET = '1x0000000000000000000000000000000AA';
export const STAND_IN_SITE_KEY = '1x00000000000000000000AA';

export interface VerifyCall {
  secret: string;
  response: string;
  remoteip: string;
}

export interface StandInVerifier {
  url: string;
  calls: VerifyCall[];
  lenient: boolean;
  hang: boolean;
  /** A token as the widget would hand one to a visitor who passed the challenge. */
  issue(): string;
  /** Marks a token as verified already, as if another post had used it first. */
  consume(token: string): void;
  close(): Promise<void>;
}

export async function startStandInVerifier(secret = STAND_IN_SECRET): Promise<StandInVerifier> {
  const issued = new Set<string>();
  const used = new Set<string>();
  const hanging = new Set<ServerResponse>();
  const state = { lenient: false, hang: false };
  const calls: VerifyCall[] = [];

  const answer = (res: ServerResponse, body: object) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, code: string) => answer(res, { success: false, 'error-codes': [code], messages: [] });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      const call = { secret: form.get('secret') ?? '', response: form.get('response') ?? '', remoteip: form.get('remoteip') ?? '' };
      calls.push(call);
      if (req.method !== 'POST' || req.url !== '/siteverify') return fail(res, 'bad-request');
      if (state.hang) return void hanging.add(res);
      if (call.secret !== secret) return fail(res, 'invalid-input-secret');
      if (state.lenient)
        return answer(res, { success: true, challenge_ts: new Date().toISOString(), hostname: 'localhost', 'error-codes': [] });
      if (!call.response) return fail(res, 'missing-input-response');
      if (used.has(call.response)) return fail(res, 'timeout-or-duplicate');
      if (!issued.has(call.response)) return fail(res, 'invalid-input-response');
      used.add(call.response);
      answer(res, {
        success: true,
        challenge_ts: new Date().toISOString(),
        hostname: 'localhost',
        'error-codes': [],
        action: '',
        cdata: '',
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/siteverify`,
    calls,
    get lenient() {
      return state.lenient;
    },
    set lenient(v) {
      state.lenient = v;
    },
    get hang() {
      return state.hang;
    },
    set hang(v) {
      state.hang = v;
    },
    issue() {
      const token = `XXXX.DUMMY.TOKEN.${randomBytes(24).toString('base64url')}`;
      issued.add(token);
      return token;
    },
    consume(token) {
      used.add(token);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
