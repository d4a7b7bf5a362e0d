// The load harness's profiles that prepare rewards (claims, and a mixed day of every step) on a
// fresh dev node, small counts; bench.test.js has the others.

import { test, before, after } from 'node:test';
import { benchOnDevNode, checkBenchReport, devNodeFixture } from './helpers.js';

let node;
let api;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

const run = (profile, opts) => benchOnDevNode(node, api, profile, opts);

test('claims in datasets that earned, and a mixed day of every step', async () => {
  checkBenchReport(await run('rewards.claim', { count: 20 }), 20);
  checkBenchReport(await run('mixed', { count: 300 }), 300);
});
