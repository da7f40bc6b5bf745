/**
 * Headers of every route class from the real app: the Permissions-Policy on every answer, a strict
 * Content-Security-Policy on every HTML document (the Worker bundle's answers are checked by
 * test/worker/security-headers.test.ts with the same promises).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { seedDemo } from '../../db/seed';
import { createTestApp, type TestApp } from '../support/app';
import { answersOfEveryRouteClass, headerPromises, type RouteAnswer } from '../support/security-headers';

let t: TestApp;
let answers: RouteAnswer[];

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database, { clock: t.clock.now });
  answers = await answersOfEveryRouteClass((path, init) => Promise.resolve(t.app.request(`http://localhost${path}`, init)), t.clock.now);
});
afterAll(() => t.close());

describe('security headers of the app, route class by route class', () => {
  headerPromises(() => answers);
});
