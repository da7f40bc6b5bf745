/**
 * A local stand-in for the email provider: an HTTP server on 127.0.0.1 (port 0) that speaks the
 * Resend-compatible API `httpProviderMailer` sends to. It records every request and answers from
 * a script (then 200 `{id}`); `hold()` keeps the next answer back until released, to show that a
 * request returned before its mail was sent.
 *
 * @example
 * const catcher = await startMailCatcher();
 * const t = await createTestApp({ mailer: catcher.mailer() });
 * catcher.script.push({ status: 500 }, { status: 500 }); // then 200
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpProviderMailer } from '../../workers/services/mailers';
import type { Mailer } from '../../workers/services/ports';

export interface CaughtMail {
  path: string;
  headers: IncomingHttpHeaders;
  body: { from: string; to: string[]; subject: string; text: string; html: string; headers: Record<string, string> };
  /** What the catcher answered. */
  status: number;
}

export interface MailCatcher {
  url: string;
  received: CaughtMail[];
  /** Answers in order; 200 with a fresh `{id}` once empty. */
  script: Array<{ status: number; body?: string }>;
  /** Holds the next request unanswered until the returned function is called. */
  hold(): () => void;
  /** A Mailer that sends here (key `test-key`, sender `Leadflare <no-reply@leadflare.test>`). */
  mailer(): Mailer;
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const received: CaughtMail[] = [];
  const script: MailCatcher['script'] = [];
  let held: Promise<void> | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const gate = held;
      held = null;
      if (gate) await gate;
      const answer = script.shift() ?? { status: 200, body: JSON.stringify({ id: `caught-${received.length + 1}` }) };
      let body: CaughtMail['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CaughtMail['body'];
      } catch {
        body = { from: '', to: [], subject: '', text: '', html: '', headers: {} };
      }
      received.push({ path: req.url ?? '', headers: req.headers, body, status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body ?? JSON.stringify({ message: `status ${answer.status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    script,
    hold() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => release();
    },
    mailer: () => httpProviderMailer({ baseUrl: url, apiKey: 'test-key', from: 'Leadflare <no-reply@leadflare.test>' }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
