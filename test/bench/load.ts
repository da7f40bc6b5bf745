/**
 * A small HTTP load generator run as its own process, so the server under test does not share an
 * event loop with it: keep-alive connections, fixed concurrency, fixed duration.
 * Usage: tsx test/bench/load.ts <url> <connections> <seconds>  → prints {"requests", "seconds", "rps", "errors"}.
 */
import { Agent, request } from 'node:http';

const [url, connArg = '32', secArg = '3'] = process.argv.slice(2);
if (!url) throw new Error('usage: load.ts <url> [connections] [seconds]');
const target = new URL(url);
const connections = Number(connArg);
const durationMs = Number(secArg) * 1000;
const agent = new Agent({ keepAlive: true, maxSockets: connections });

let requests = 0;
let errors = 0;
const started = performance.now();
const deadline = started + durationMs;

function one(): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) requests++;
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

async function worker() {
  while (performance.now() < deadline) await one();
}

await Promise.all(Array.from({ length: connections }, worker));
const seconds = (performance.now() - started) / 1000;
agent.destroy();
console.log(JSON.stringify({ requests, seconds, rps: requests / seconds, errors }));
