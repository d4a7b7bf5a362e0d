// `lineage indexer` and `lineage history` on a dev node that played the demo story, on both back
// ends (embedded PostgreSQL in a directory, and a PostgreSQL server started for the test): the
// history agrees with the chain's own numbers (every ended era's fees, emission and held-back
// amounts with RewardsApi.eras, each era's fees with the escrow of the jobs indexed as settled in
// it, every job's payouts with its responsibility record); `lineage history` answers as a person
// types it; a stopped indexer resumes where it stopped; one killed inside a block's transaction,
// or at random moments, loses nothing and writes nothing twice; a node that pruned the states it
// needs is named, with what to run instead.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { devNodeFixture, npxLineage, scripts } from './helpers.js';

const cli = join(scripts, 'cli', 'lineage.js');
import { freePort, sleep, startDevNode, tempDir } from '../lib/node.js';
import { connect, eventData, signer, submitOk, until } from '../lib/api.js';
import { chainSs58, LIN } from '../lib/units.js';
import { playStory } from '../lib/story.js';
import { startPostgres } from '../lib/postgres.js';
import { openDatabase } from '../indexer/db.js';

let node;
let api;
// The node keeps every state: the indexer reads each block's events from genesis.
devNodeFixture(
  before,
  after,
  (n, a) => {
    node = n;
    api = a;
  },
  ['--state-pruning', 'archive-canonical'],
);

let server;
let report;
/** The last block of the story, once finalized. */
let storyEnd;
/** A treasury grant of 5 LIN to an account that has no other payout. */
const GRANT = 5n * LIN;
const grantee = () => signer('//Grantee', chainSs58(api));

const dirs = [];

before(async () => {
  server = await startPostgres();
});

after(() => {
  server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The database flags of each back end, for a fresh database. */
const BACKENDS = {
  embedded: async () => {
    const dir = tempDir('lineage-indexer-');
    dirs.push(dir);
    return { flags: ['--db', join(dir, 'db')], open: { dir: join(dir, 'db') } };
  },
  server: async () => {
    // A database of its own on the test's server for each fresh start.
    const name = `lineage_${Math.random().toString(36).slice(2, 10)}`;
    const admin = await openDatabase({ url: server.url });
    await admin.exec(`CREATE DATABASE ${name}`);
    await admin.close();
    const url = server.url.replace(/\/postgres$/, `/${name}`);
    return { flags: ['--database-url', url], open: { url } };
  },
};

/**
 * `lineage indexer …` as a child process (node running the CLI, so that a signal reaches the
 * indexer itself); `out()` is what it printed so far.
 */
function startIndexer(args, env = {}) {
  const child = spawn(process.execPath, [cli, 'indexer', '--ws', node.wsUrl, ...args], {
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out: () => out, exited, kill: (signal) => child.kill(signal) };
}

/** Waits until `indexer` printed a line matching `pattern`; returns the match. */
async function printed(indexer, pattern, seconds = 240) {
  return until(`the indexer to print ${pattern}`, seconds, () => indexer.out().match(pattern));
}

/** Every table's rows up to block `upTo`, as one comparable value. */
async function fingerprint(db, upTo) {
  const q = async (sql) => (await db.query(sql, [upTo]))[0];
  return {
    blocks: await q('SELECT count(*)::INT AS n, max(number) AS max FROM blocks WHERE number <= $1'),
    events: await q(
      'SELECT count(*)::INT AS n, sum(idx)::TEXT AS idx FROM events WHERE block <= $1',
    ),
    payouts: await q(
      'SELECT count(*)::INT AS n, sum(amount)::TEXT AS amount FROM payouts WHERE block <= $1',
    ),
    eras: await q(
      'SELECT count(*)::INT AS n, sum(minted)::TEXT AS minted FROM eras WHERE block <= $1',
    ),
    jobs: await q(
      'SELECT count(*)::INT AS n, count(ended)::INT AS ended FROM jobs WHERE submitted <= $1 AND (ended IS NULL OR ended <= $1)',
    ),
    slashes: await q('SELECT count(*)::INT AS n FROM slashes WHERE block <= $1'),
    withdrawals: await q('SELECT count(*)::INT AS n FROM withdrawals WHERE block <= $1'),
    versions: await q('SELECT count(*)::INT AS n FROM versions WHERE published <= $1'),
    contributions: await q('SELECT count(*)::INT AS n FROM contributions WHERE block <= $1'),
  };
}

/** The history in `db` agrees with the chain at the highest block it indexed. */
async function agreesWithChain(db) {
  const [{ max }] = await db.query('SELECT max(number) AS max, count(*)::INT AS n FROM blocks');
  const [{ n }] = await db.query('SELECT count(*)::INT AS n FROM blocks');
  assert.equal(n, max, 'every block from #1 indexed once');
  const hash = await api.rpc.chain.getBlockHash(max);
  const [row] = await db.query('SELECT hash FROM blocks WHERE number = $1', [max]);
  assert.equal(row.hash, hash.toHex(), 'the indexed block is the chain’s');
  const at = await api.at(hash);

  // Every ended era as RewardsApi.eras reports it, and its fees as the indexed settlements.
  const { items } = await at.call.rewardsApi.eras(null, 1000);
  const eras = await db.query(
    'SELECT e.*, e.fees_paid::TEXT AS fees_paid, coalesce((SELECT sum(escrow) FROM jobs WHERE settled AND ended_era = e.era), 0)::TEXT AS settled ' +
      'FROM eras e ORDER BY era',
  );
  assert.equal(eras.length, items.length, 'one row per ended era');
  assert.ok(
    items.some(([, s]) => !s.minted.isZero()),
    'an era minted for the story’s fees',
  );
  for (const [era, s] of items) {
    const e = eras.find((r) => r.era === era.toNumber());
    assert.ok(e, `era ${era} indexed`);
    assert.equal(e.fees_paid, s.fees.paid.toString(), `era ${era} fees`);
    assert.equal(e.minted, s.minted.toString(), `era ${era} minted`);
    assert.equal(e.treasury, s.treasury.toString(), `era ${era} to the treasury`);
    assert.equal(e.demand, s.demand.toString(), `era ${era} demand`);
    assert.equal(e.alpha_ppb, s.alpha.toNumber(), `era ${era} α`);
    const held =
      s.heldBack.data.toBigInt() + s.heldBack.models.toBigInt() + s.heldBack.compute.toBigInt();
    assert.equal(e.held_back, held.toString(), `era ${era} held back`);
    assert.equal(e.settled, e.fees_paid, `era ${era}: fees = escrow of the jobs settled in it`);
  }

  // Every job's payouts as its responsibility record lists them.
  const jobs = await db.query('SELECT job, ended, outcome FROM jobs ORDER BY job');
  assert.ok(jobs.length >= 2);
  for (const { job, ended, outcome } of jobs) {
    const record = (await at.query.compute.jobs(job)).unwrap();
    assert.equal(ended !== null, record.state.isEnded, `job ${job} ended`);
    if (!record.state.isEnded) continue;
    assert.equal(outcome, record.state.asEnded.toString(), `job ${job} outcome`);
    const paid = await db.query(
      'SELECT account, amount::TEXT AS amount FROM payouts WHERE job = $1 ORDER BY seq',
      [job],
    );
    assert.deepEqual(
      paid,
      record.payouts.map((p) => ({ account: p.account.toHex(), amount: p.amount.toString() })),
      `job ${job} payouts`,
    );
  }
  return max;
}

test('the demo story on an archive dev node', { timeout: 600_000 }, async () => {
  report = await playStory(api, () => {});
  // Then a treasury grant: approved by root (sudo on dev), paid by anyone with treasury.payout.
  const alice = signer('//Alice', chainSs58(api));
  const spent = await submitOk(
    api,
    api.tx.sudo.sudo(api.tx.treasury.spend(null, GRANT, grantee().address, null)),
    alice,
  );
  const { index } = eventData(spent, 'treasury', 'AssetSpendApproved');
  await submitOk(api, api.tx.treasury.payout(index), alice);
  const best = (await api.rpc.chain.getHeader()).number.toNumber();
  storyEnd = await until('the story’s last block to be finalized', 120, async () => {
    const head = await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead());
    return head.number.toNumber() >= best && head.number.toNumber();
  });
});

for (const backend of Object.keys(BACKENDS)) {
  test(
    `${backend}: the indexer follows the chain, agrees with it, answers lineage history and resumes after a stop`,
    { timeout: 600_000 },
    async () => {
      const db = await BACKENDS[backend]();
      const port = await freePort();
      const indexer = startIndexer([...db.flags, '--port', String(port)]);
      await printed(indexer, /History API at http:\/\/127\.0\.0\.1:\d+\//);
      const url = `http://127.0.0.1:${port}`;
      await until('the indexer to reach the story’s end', 240, async () => {
        const status = await (await fetch(`${url}/status`)).json();
        return status.indexed?.block >= storyEnd;
      });
      const ferdie = report.cast.ferdie.address;
      const history = (...args) => npxLineage(['history', ...args, '--indexer', url]);

      // What a person types, and what they read.
      const payouts = await history('payouts', ferdie);
      assert.equal(payouts.code, 0, payouts.stderr);
      assert.match(
        payouts.stdout,
        new RegExp(`^Payouts to ${ferdie}, indexed through block #[\\d,]+`),
      );
      assert.match(
        payouts.stdout,
        /^ {2}provider +1 +9 LIN +0 LIN$/m,
        'the honest job’s fee, less the protocol fee',
      );
      // A contributor sees the jobs that paid its dataset and what it claimed from it.
      const dave = await history('payouts', report.cast.dave.address);
      assert.match(
        dave.stdout,
        new RegExp(
          `^ +${report.ids.dataset} +1 +\\d+ +#[\\d,]+ +1 +[\\d.]+ LIN +[\\d.]+ LIN$`,
          'm',
        ),
        dave.stdout,
      );
      const granted = await history('payouts', grantee().address);
      assert.match(
        granted.stdout,
        /^ {2}treasury spend +1 +5 LIN +0 LIN$/m,
        'the grant, approved by root and paid by treasury.payout',
      );
      const eras = await history('eras');
      assert.equal(eras.code, 0, eras.stderr);
      assert.match(
        eras.stdout,
        /^ +\d+ +#[\d,]+ .* 13 LIN +9% .* Demand +1$/m,
        'the era of the settled job: its 13 LIN escrow, matched at 9%',
      );
      const provider = await history('provider', ferdie);
      assert.match(provider.stdout, /jobs by outcome: ChallengeUpheld 1, Settled 1/);
      assert.match(
        provider.stdout,
        /^ +#[\d,]+ .* \d+ +provider +15 LIN$/m,
        'the cheat’s collateral slashed',
      );
      const dataset = await history('dataset', String(report.ids.dataset), '--by', 'era');
      assert.match(
        dataset.stdout,
        /1 job payments, [\d.]+ LIN in all; 3 contributions accepted from 3 contributors/,
      );
      const withdrawn = await history('withdrawn');
      for (const version of [report.ids.base, report.ids.child])
        assert.match(
          withdrawn.stdout,
          new RegExp(
            `^ +${version} +\\d+ +#[\\d,]+ +${report.ids.dataset} +${report.ids.snapshot} +#`,
            'm',
          ),
        );
      // Mistakes read as plain sentences, before anything is asked.
      const bad = await history('payouts', 'nobody');
      assert.equal(bad.code, 2);
      assert.match(
        bad.stderr,
        /"nobody" is not an account: give an SS58 address or 0x \+ 64 hex digits/,
      );
      const none = await npxLineage(['history', 'eras', '--indexer', 'http://127.0.0.1:1']);
      assert.equal(none.code, 3);
      assert.match(
        none.stderr,
        /no indexer answers at http:\/\/127\.0\.0\.1:1 .*start one with `lineage indexer`/,
      );

      // A stop (Ctrl-C, SIGTERM) ends after a whole block; the next start resumes after it.
      indexer.kill('SIGTERM');
      assert.deepEqual(await indexer.exited, { code: 0, signal: null });
      const [, stopped] = await printed(indexer, /indexer stopped at block #(\d+)/, 10);
      const again = await npxLineage(['indexer', '--ws', node.wsUrl, ...db.flags, '--once']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`resuming after block #${stopped}\\n`));
      const open = await openDatabase(db.open);
      try {
        await agreesWithChain(open);
      } finally {
        await open.close();
      }
    },
  );

  test(
    `${backend}: an indexer killed inside a block's transaction, or at random, loses nothing and writes nothing twice`,
    { timeout: 600_000 },
    async () => {
      // The reference: one uninterrupted run.
      const whole = await BACKENDS[backend]();
      const once = await npxLineage(['indexer', '--ws', node.wsUrl, ...whole.flags, '--once']);
      assert.equal(once.code, 0, once.stderr);
      // Killed (kill -9) while inside the transaction of the block the honest job settled in.
      const ref = await openDatabase(whole.open);
      const [{ ended }] = await ref.query(
        'SELECT ended FROM jobs WHERE settled ORDER BY job LIMIT 1',
      );
      await ref.close();
      const crashed = await BACKENDS[backend]();
      const paused = startIndexer([...crashed.flags, '--once'], {
        LINEAGE_INDEXER_PAUSE_IN_BLOCK: String(ended),
      });
      await printed(paused, new RegExp(`paused inside the transaction of block #${ended}\\n`));
      paused.kill('SIGKILL');
      await paused.exited;
      let db = await openDatabase(crashed.open);
      const [{ max }] = await db.query('SELECT max(number) AS max FROM blocks');
      assert.equal(
        max,
        ended - 1,
        'the block being written is absent, every block before it whole',
      );
      assert.deepEqual(
        await db.query('SELECT count(*)::INT AS n FROM payouts WHERE block >= $1', [ended]),
        [{ n: 0 }],
      );
      await db.close();
      // Then killed at random moments, and finally left to finish.
      for (const ms of [300, 900, 1500, 2500]) {
        const run = startIndexer([...crashed.flags, '--once']);
        await sleep(ms);
        run.kill('SIGKILL');
        await run.exited;
      }
      const last = await npxLineage(['indexer', '--ws', node.wsUrl, ...crashed.flags, '--once']);
      assert.equal(last.code, 0, last.stderr);
      assert.match(last.stdout, /resuming after block #\d+/);
      db = await openDatabase(crashed.open);
      const reference = await openDatabase(whole.open);
      try {
        const upTo = await agreesWithChain(db);
        const [{ max: refMax }] = await reference.query('SELECT max(number) AS max FROM blocks');
        const common = Math.min(upTo, refMax);
        assert.deepEqual(await fingerprint(db, common), await fingerprint(reference, common));
      } finally {
        await db.close();
        await reference.close();
      }
    },
  );
}

test(
  'a node that no longer has old states: the indexer says which block and what to run instead',
  { timeout: 300_000 },
  async () => {
    const pruning = await startDevNode(['--state-pruning', '4']);
    try {
      const client = await connect(pruning.wsUrl);
      await until('ten finalized blocks', 180, async () => {
        const head = await client.rpc.chain.getHeader(await client.rpc.chain.getFinalizedHead());
        return head.number.toNumber() >= 10;
      });
      await client.disconnect();
      const dir = tempDir('lineage-indexer-');
      dirs.push(dir);
      const run = await npxLineage([
        'indexer',
        '--ws',
        pruning.wsUrl,
        '--db',
        join(dir, 'db'),
        '--once',
      ]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /^error: the node no longer has the state of block #1 .*run it with --state-pruning archive-canonical/,
      );
    } finally {
      await pruning.stop();
    }
  },
);
