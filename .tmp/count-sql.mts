import { seedDemo, DEMO } from '../db/seed';
import { createApp } from '../workers/app';
import { nodeDeps } from '../workers/node/deps';
import { DEFAULT_CAPTURE_LIMITS, issueSubmissionToken } from '../workers/services/capture';
import { freshDatabase, TestClient } from '../test/support/app';
import { publishLeadFormFunnel } from '../test/support/fixtures';
import { formOf } from '../test/support/landing';

const database = await freshDatabase('count');
await seedDemo(database, { clock: Date.now });
const secret = 'bench-secret-0123456789';
const deps = nodeDeps(database, secret, { clientIp: (c) => c.req.header('x-forwarded-for') ?? '127.0.0.1' });
const app = createApp(deps);
const owner = new TestClient(app, 'http://localhost');
await owner.post('/api/auth/login', { email: DEMO.email, password: DEMO.password });
await publishLeadFormFunnel(owner, 'load');
const page = await owner.get('/p/load/join');
const form = formOf(await page.text(), 'signup');
const version = (JSON.parse(Buffer.from(form.token.split('.')[0]!, 'base64url').toString()) as { v: string }).v;
const counts = new Map<string, number>();
const wrap = (obj: any, name: string) => { for (const m of ['execute','batch']) { const orig = obj[m].bind(obj); obj[m] = (...a: any[]) => { const k = m==='batch' ? `BATCH(${a[0].length})` : (typeof a[0]==='string'?a[0]:a[0].sql).slice(0,110); counts.set(k,(counts.get(k)??0)+1); return orig(...a);} } };
// count through the raw driver: patch libsql Database.prepare
const libsql = await import('libsql');
const proto = (libsql.default ?? libsql).prototype;
const origPrepare = proto.prepare;
proto.prepare = function (sql: string) { const k = sql.replace(/\s+/g,' ').slice(0,120); counts.set(k,(counts.get(k)??0)+1); return origPrepare.call(this, sql); };
const N = 50;
const renderedAt = Date.now() - DEFAULT_CAPTURE_LIMITS.minFillMs - 1000;
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const token = await issueSubmissionToken(secret, version, renderedAt);
  const body = new URLSearchParams({ _block: 'signup', _token: token, website: '', email: `c-${i}@example.com`, name: `C ${i}`, consent: 'yes' });
  const res = await app.fetch(new Request('http://localhost/p/load/join', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.0.0.${i+1}`, 'sec-fetch-site': 'same-origin', origin: 'http://localhost' } }));
  if (res.status !== 303) console.log('status', res.status, (await res.text()).slice(0,200));
}
console.log('ms per capture (sequential)', ((performance.now()-t0)/N).toFixed(2));
let total=0; for (const [k,v] of [...counts].sort((a,b)=>b[1]-a[1])) { total+=v; console.log(String((v/N).toFixed(2)).padStart(6), k); }
console.log('prepares per capture', (total/N).toFixed(1));
process.exit(0);
