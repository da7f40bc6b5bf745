/**
 * Headers of every route class from the built Worker in workerd, the app's hashed files included
 * (those come from the asset layer with dist/public/_headers, not from the Worker's code).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { seedDemo } from '../../db/seed';
import { answersOfEveryRouteClass, headerPromises, type RouteAnswer } from '../support/security-headers';
import { startWorker, type WorkerHarness } from '../support/worker';

let w: WorkerHarness;
let answers: RouteAnswer[];

beforeAll(async () => {
  w = await startWorker();
  await seedDemo(w.database, { clock: w.now });
  answers = await answersOfEveryRouteClass((path, init) => w.fetch(path, init), w.now);
});
afterAll(() => w?.close());

describe('security headers of the Worker bundle, route class by route class', () => {
  headerPromises(() => answers);
});
