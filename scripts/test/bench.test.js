// The load harness on a fresh dev node: the profiles that need no rewards prepared, and the CLI.
// Every transaction is included, each block's figures are read, and its end reason is known.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { repoRoot } from '../lib/node.js';
import { until } from '../lib/api.js';
import { benchFixture, checkBenchReport } from './helpers.js';

const { run, node, api } = benchFixture(before, after);

test('transfers, contributions, batches and jobs go through the harness', async () => {
  checkBenchReport(await run('transfer', { count: 400 }), 400);
  checkBenchReport(await run('datasets.contribute', { count: 200 }), 200);
  const batches = await run('datasets.contribute-batch', { count: 50, items: 100_000 });
  checkBenchReport(batches, 50);
  assert.equal(batches.peakItemsPerBlock, batches.peakPerBlock * 100_000);
  checkBenchReport(await run('compute.submit-job', { count: 200 }), 200);
});

test('whole jobs: accepted and answered in the run, then every one settled by the chain', async () => {
  const first = (await api().query.compute.nextJobId()).toNumber();
  checkBenchReport(await run('compute.job', { count: 200 }), 200);
  const ids = Array.from(
    { length: (await api().query.compute.nextJobId()).toNumber() - first },
    (_, j) => first + j,
  );
  // 200 transactions of 10 senders: 10 jobs each accepted and answered, one sender's by the next.
  assert.equal(ids.length, 100);
  const jobs = await until('every job to settle', 120, async () => {
    const all = await Promise.all(
      ids.map(async (id) => (await api().call.computeApi.job(id)).unwrap()),
    );
    return all.every((j) => j.state.isEnded) && all;
  });
  for (const [i, job] of jobs.entries()) {
    const id = ids[i];
    assert.equal(job.state.asEnded.type, 'Settled', `job ${id}`);
    assert.ok(
      job.payouts.some((p) => p.payee.isProvider && p.amount.toBigInt() > 0n),
      `job ${id}: the provider paid`,
    );
  }
});

test('`lineage bench` prints the report as JSON and refuses a bad option', async () => {
  const cli = (...args) =>
    promisify(execFile)(process.execPath, [
      join(repoRoot, 'scripts/cli/lineage.js'),
      'bench',
      ...args,
      '--ws',
      node().wsUrl,
    ]);
  const { stdout } = await cli(
    'transfer',
    '--count',
    '60',
    '--senders',
    '6',
    '--prometheus',
    `http://127.0.0.1:${node().prometheusPort}/metrics`,
    '--json',
  );
  const report = JSON.parse(stdout);
  assert.equal(report.included, 60);
  assert.equal(report.profile, 'transfer');
  await assert.rejects(cli('transfer', '--count', '0'), (e) => e.code === 2);
  await assert.rejects(cli('nothing'), (e) => e.code === 2);
});
