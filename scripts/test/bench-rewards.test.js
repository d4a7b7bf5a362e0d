// The load harness's profiles that prepare rewards (claims, and a mixed day of every step) on a
// fresh dev node, small counts; bench.test.js has the others.

import { test, before, after } from 'node:test';
import { benchFixture, checkBenchReport } from './helpers.js';

const { run } = benchFixture(before, after);

test('claims in datasets that earned, and a mixed day of every step', async () => {
  checkBenchReport(await run('rewards.claim', { count: 20 }), 20);
  checkBenchReport(await run('mixed', { count: 300 }), 300);
});
