import { serve } from '@hono/node-server';
import { request } from 'node:http';
const mode = process.argv[2];
const T0 = Date.now(); const lap = (s) => console.log(Date.now() - T0, s);
let release; const gate = new Promise((r) => (release = r));
const server = serve({ fetch: async () => { await gate; return new Response('ok'); }, port: 0, hostname: '127.0.0.1' }, async (info) => {
  const req = request({ host: '127.0.0.1', port: info.port, path: '/', method: 'GET' });
  req.on('response', (res) => { res.resume(); res.on('end', () => lap('answered ' + JSON.stringify(res.headers.connection))); });
  req.end();
  await new Promise((r) => setTimeout(r, 100));
  server.close(() => lap('closed'));
  server.closeIdleConnections();
  if (mode === 'ka') server.keepAliveTimeout = 1;
  let sweep; if (mode === 'sweep') sweep = setInterval(() => server.closeIdleConnections(), 10);
  lap('close called'); release();
});
