/**
 * `npm run dev`: the local server with reload on change (tsx watch) and the team's app rebuilt on
 * change (esbuild watch). The server reads the app's manifest again after every rebuild, so a
 * change to pages-ui/app needs a browser reload, not a server restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

const tsx = (args: string[]) => [process.execPath, ['--import', 'tsx', ...args]] as const;

// One build first, so the server never starts without an app to serve.
const first = spawnSync(...tsx(['scripts/build-app.ts']), { stdio: 'inherit' });
if (first.status !== 0) process.exit(first.status ?? 1);

const children: ChildProcess[] = [
  spawn(...tsx(['scripts/build-app.ts', '--watch']), { stdio: 'inherit' }),
  spawn(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), 'watch', 'workers/node.ts'], { stdio: 'inherit' }),
];
let running = children.length;
for (const child of children)
  child.on('exit', (code) => {
    // Either one ending ends the session: a dev server without its app builder (or the reverse) misleads.
    for (const other of children) if (other !== child && other.exitCode === null) other.kill('SIGTERM');
    if (--running === 0) process.exit(code ?? 0);
  });
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => children.forEach((c) => c.exitCode === null && c.kill(signal)));
