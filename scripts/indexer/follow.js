// `lineage indexer`: follows a node's finalized blocks and writes Lineage's history into the
// database (db.js), one transaction per block. Finalized blocks never change, so there is no
// reorg to undo; a restart resumes after the highest block written, and since a block's rows
// and the block itself commit together, a process killed at any point (kill -9 included) leaves
// every block either whole or absent: nothing is lost, nothing written twice.
//
// Blocks are read ahead, several at a time (hash, events, timestamp, and the records an event
// needs, all at that block), and written in order. Reading a block's events needs its state: a
// node prunes the state of old blocks (256 by default), so indexing a chain from genesis needs
// a node that keeps it (`--state-pruning archive-canonical`, as scripts/devnet.sh runs).

import { u8aToHex } from '@polkadot/util';
import { eventRecord } from '../cli/output.js';
import { sleep } from '../lib/node.js';

/** The pallets whose events the `events` table keeps. */
const SECTIONS = new Set(['datasets', 'models', 'compute', 'rewards', 'lineageParams', 'treasury']);

/** The most parameters one statement is given (PostgreSQL allows 65,535). */
const MAX_PARAMS = 10_000;

/** Blocks read ahead of the one being written. */
const READ_AHEAD = 16;

/** The payee of a job's payout, as the `payouts.kind` column names it. */
const PAYEE_KIND = {
  Requester: 'refund',
  Provider: 'provider',
  ModelOwner: 'model owner',
  Dataset: 'dataset',
  Challenger: 'challenger',
  Treasury: 'treasury',
};

/** The events that end a job (its record then holds every payout). */
const JOB_ENDS = new Set(['JobSettled', 'JobRefunded', 'JobCancelled', 'JobAborted']);

const hex = (account) => u8aToHex(account);
const text = (codec) => codec.toString();

/** An event's fields by name, as codecs. */
function fields(event) {
  return Object.fromEntries(event.meta.fields.map((f, i) => [f.name.toString(), event.data[i]]));
}

/** A block whose state the node no longer has. */
class PrunedState extends Error {}

/** A readable error for a block whose state the node no longer has. */
function pruned(n, e) {
  const message = String(e?.message ?? e);
  if (/State already discarded|UnknownBlock|not found|pruned/i.test(message))
    return new PrunedState(
      `the node no longer has the state of block #${n} (${message.split('\n')[0]}): the ` +
        'history from genesis needs a node that keeps old states; run it with ' +
        '--state-pruning archive-canonical (scripts/devnet.sh does), or point --ws at an archive node',
    );
  return e;
}

/**
 * Reads block `n`: its hash, timestamp, runtime version, the events of interest, and the records
 * they need (a job's record when it ends, a version's when it is published), all at that block.
 */
async function readBlock(api, n) {
  let hash, at, records, timestamp;
  try {
    hash = await api.rpc.chain.getBlockHash(n);
    at = await api.at(hash);
    [records, timestamp] = await Promise.all([at.query.system.events(), at.query.timestamp.now()]);
  } catch (e) {
    throw pruned(n, e);
  }
  const events = [];
  const jobs = new Map();
  const versions = new Map();
  records.forEach(({ event }, idx) => {
    const section = event.section;
    if (!SECTIONS.has(section)) return;
    const data = fields(event);
    const json = JSON.stringify(eventRecord(event).data);
    events.push({ idx, section, method: event.method, data, json });
    if (section === 'compute' && JOB_ENDS.has(event.method))
      jobs.set(data.job.toNumber(), at.query.compute.jobs(data.job));
    if (section === 'models' && event.method === 'VersionPublished')
      versions.set(data.version.toNumber(), at.query.models.versions(data.version));
  });
  const settle = async (map) =>
    new Map(await Promise.all([...map].map(async ([k, p]) => [k, await p])));
  return {
    number: n,
    hash: hash.toHex(),
    at: new Date(timestamp.toNumber()),
    specVersion: at.runtimeVersion.specVersion.toNumber(),
    total: records.length,
    events,
    jobs: await settle(jobs),
    versions: await settle(versions),
  };
}

/**
 * The rows of one block (`b`, as `readBlock` read it), the era running through `ctx.era`
 * (updated by a `NewEra` in the block). Returns a list of [sql, params].
 */
function rowsOf(b, ctx) {
  // Statements that must run in order (a job's row before its updates), and rows that only
  // add to a table, written together at the end of the block, many to a statement.
  const rows = [];
  const put = (sql, params) => rows.push([sql, params]);
  const appended = new Map();
  const append = (table, columns, values) => {
    const key = `${table} (${columns.join(', ')})`;
    if (!appended.has(key)) appended.set(key, []);
    appended.get(key).push(values);
  };
  const payout = (idx, seq, account, kind, amount, extra = {}) =>
    append(
      'payouts',
      ['block', 'idx', 'seq', 'era', 'account', 'kind', 'amount', 'emission', 'job', 'dataset'],
      [
        b.number,
        idx,
        seq,
        ctx.era,
        account,
        kind,
        amount,
        extra.emission ?? '0',
        extra.job ?? null,
        extra.dataset ?? null,
      ],
    );
  const ended = new Set();
  // The era transition of this block, and what the treasury got of an era's unshared revenue
  // before its summary row.
  const transitions = new Set();
  const unshared = new Map();
  for (const { idx, section, method, data: d, json } of b.events) {
    append(
      'events',
      ['block', 'idx', 'section', 'method', 'data'],
      [b.number, idx, section, method, json],
    );
    const key = `${section}.${method}`;
    switch (key) {
      case 'rewards.NewEra': {
        // The row of the era that ended (as RewardsApi.eras keys it): its fees, and what was
        // minted for them at this, the next era's first block.
        ctx.era = d.era.toNumber();
        const ended = ctx.era - 1;
        put(
          'INSERT INTO eras (era, block, fees_paid, alpha_ppb, demand, schedule, minted, treasury, held_back, bound, unshared_paid) ' +
            'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
          [
            ended,
            b.number,
            text(d.fees_paid),
            d.alpha.toNumber(),
            text(d.demand),
            text(d.schedule),
            text(d.minted),
            text(d.treasury),
            text(d.held_back),
            d.bound.isSome ? text(d.bound.unwrap()) : null,
            (unshared.get(ended) ?? 0n).toString(),
          ],
        );
        transitions.add(ended);
        if (!d.treasury.isZero())
          payout(idx, 0, ctx.treasury, 'treasury emission', text(d.treasury), {
            emission: text(d.treasury),
          });
        break;
      }
      case 'rewards.UnsharedPaid': {
        const ended = d.era.toNumber();
        if (transitions.has(ended))
          put('UPDATE eras SET unshared_paid = unshared_paid + $2 WHERE era = $1', [
            ended,
            text(d.amount),
          ]);
        else unshared.set(ended, (unshared.get(ended) ?? 0n) + d.amount.toBigInt());
        payout(idx, 0, ctx.treasury, 'unshared revenue', text(d.amount));
        break;
      }
      case 'rewards.Claimed':
        payout(idx, 0, hex(d.who), 'contributor', text(d.amount), {
          emission: text(d.emission),
          dataset: d.dataset.toNumber(),
        });
        break;
      case 'rewards.AccountClaimed':
        payout(idx, 0, hex(d.who), 'emission', text(d.amount), { emission: text(d.amount) });
        break;
      case 'treasury.Awarded':
        payout(idx, 0, hex(d.account), 'treasury spend', text(d.award));
        break;
      case 'treasury.AssetSpendApproved':
        put(
          'INSERT INTO treasury_spends (spend, block, beneficiary, amount) VALUES ($1, $2, $3, $4)',
          [d.index.toNumber(), b.number, hex(d.beneficiary), text(d.amount)],
        );
        break;
      case 'treasury.Paid':
        // The payout named by its index only: who and how much come from the approval.
        put('UPDATE treasury_spends SET paid = $2 WHERE spend = $1', [
          d.index.toNumber(),
          b.number,
        ]);
        put(
          'INSERT INTO payouts (block, idx, seq, era, account, kind, amount) ' +
            "SELECT $2, $3, 0, $4, beneficiary, 'treasury spend', amount FROM treasury_spends WHERE spend = $1",
          [d.index.toNumber(), b.number, idx, ctx.era],
        );
        break;
      case 'datasets.ContributionAccepted':
        append(
          'contributions',
          ['dataset', 'contribution', 'contributor', 'points', 'block'],
          [
            d.dataset.toNumber(),
            d.contribution.toNumber(),
            hex(d.contributor),
            text(d.points),
            b.number,
          ],
        );
        break;
      case 'datasets.ConsentWithdrawn': {
        const range = d.tainted.isSome ? d.tainted.unwrap() : null;
        append(
          'withdrawals',
          [
            'block',
            'idx',
            'dataset',
            'contribution',
            'contributor',
            'points_removed',
            'tainted_from',
            'tainted_through',
          ],
          [
            b.number,
            idx,
            d.dataset.toNumber(),
            d.contribution.toNumber(),
            hex(d.contributor),
            text(d.points_removed),
            range ? range.from.toNumber() : null,
            range ? range.through.toNumber() : null,
          ],
        );
        break;
      }
      case 'models.VersionPublished': {
        const version = d.version.toNumber();
        const record = b.versions.get(version);
        const v = record?.isSome ? record.unwrap() : null;
        put(
          'INSERT INTO versions (version, model, number, publisher, parent, price, published) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            version,
            d.model.toNumber(),
            d.number.toNumber(),
            v ? hex(v.publisher) : '',
            d.parent.isSome ? d.parent.unwrap().toNumber() : null,
            text(d.price),
            b.number,
          ],
        );
        for (const e of v?.attribution ?? [])
          put(
            'INSERT INTO version_snapshots (version, dataset, snapshot, share_ppb) VALUES ($1, $2, $3, $4)',
            [
              version,
              e.snapshot.dataset.toNumber(),
              e.snapshot.version.toNumber(),
              e.share.toNumber(),
            ],
          );
        break;
      }
      case 'models.VersionRevoked':
        put('UPDATE versions SET revoked = $2 WHERE version = $1', [
          d.version.toNumber(),
          b.number,
        ]);
        break;
      case 'compute.JobSubmitted':
        put(
          'INSERT INTO jobs (job, requester, kind, model_version, escrow, deadline, submitted) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [
            d.job.toNumber(),
            hex(d.requester),
            text(d.kind),
            d.model_version.toNumber(),
            text(d.escrow),
            d.deadline.toNumber(),
            b.number,
          ],
        );
        break;
      case 'compute.JobAccepted':
        put('UPDATE jobs SET provider = $2, collateral = $3, accepted = $4 WHERE job = $1', [
          d.job.toNumber(),
          hex(d.provider),
          text(d.collateral),
          b.number,
        ]);
        break;
      case 'compute.ResultSubmitted':
        put('UPDATE jobs SET result = $2 WHERE job = $1', [d.job.toNumber(), b.number]);
        break;
      case 'compute.Challenged':
        put('UPDATE jobs SET challenger = $2, challenged = $3 WHERE job = $1', [
          d.job.toNumber(),
          hex(d.challenger),
          b.number,
        ]);
        break;
      case 'compute.Resolved':
        put('UPDATE jobs SET verdict = $2, arbiter = $3 WHERE job = $1', [
          d.job.toNumber(),
          text(d.verdict),
          text(d.by),
        ]);
        break;
      case 'compute.ProviderSlashed':
      case 'compute.ChallengerSlashed': {
        const provider = method === 'ProviderSlashed';
        append(
          'slashes',
          ['block', 'idx', 'job', 'account', 'role', 'amount'],
          [
            b.number,
            idx,
            d.job.toNumber(),
            hex(provider ? d.provider : d.challenger),
            provider ? 'provider' : 'challenger',
            text(d.amount),
          ],
        );
        break;
      }
      default:
        break;
    }
    if (section === 'compute' && JOB_ENDS.has(method)) {
      const job = d.job.toNumber();
      if (method === 'JobSettled') {
        put(
          'UPDATE jobs SET settled = TRUE, provider_paid = $2, owner = $3, owner_paid = $4, data_paid = $5, treasury_paid = $6 WHERE job = $1',
          [
            job,
            text(d.provider_paid),
            d.owner.isSome ? hex(d.owner.unwrap()) : null,
            text(d.owner_paid),
            text(d.data_paid),
            text(d.treasury_paid),
          ],
        );
        for (const [dataset, amount] of d.datasets)
          put(
            'INSERT INTO job_datasets (job, dataset, amount, block) VALUES ($1, $2, $3, $4) ' +
              'ON CONFLICT (job, dataset) DO UPDATE SET amount = job_datasets.amount + EXCLUDED.amount',
            [job, dataset.toNumber(), text(amount), b.number],
          );
      }
      if (method === 'JobRefunded' || method === 'JobCancelled' || method === 'JobAborted')
        put('UPDATE jobs SET refunded = $2 WHERE job = $1', [job, text(d.refunded)]);
      if (ended.has(job)) continue;
      ended.add(job);
      const record = b.jobs.get(job);
      const r = record?.isSome ? record.unwrap() : null;
      const outcome = r?.state.isEnded ? text(r.state.asEnded) : method.replace(/^Job/, '');
      put('UPDATE jobs SET ended = $2, ended_era = $3, outcome = $4 WHERE job = $1', [
        job,
        b.number,
        ctx.era,
        outcome,
      ]);
      (r?.payouts ?? []).forEach((p, seq) =>
        payout(idx, seq, hex(p.account), PAYEE_KIND[p.payee.type], text(p.amount), {
          job,
          dataset: p.payee.isDataset ? p.payee.asDataset.dataset.toNumber() : null,
        }),
      );
    }
  }
  // Each table's added rows in statements of at most MAX_PARAMS parameters.
  for (const [key, values] of appended) {
    const width = values[0].length;
    const per = Math.floor(MAX_PARAMS / width);
    for (let at = 0; at < values.length; at += per) {
      const chunk = values.slice(at, at + per);
      const tuples = chunk.map(
        (_, r) =>
          `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
      );
      rows.push([`INSERT INTO ${key} VALUES ${tuples.join(', ')}`, chunk.flat()]);
    }
  }
  return rows;
}

/**
 * Indexes `api`'s finalized chain into `db` until `signal` aborts (or, with `once`, until the
 * finalized head of the start is written). `log(line)` reports progress; `onBlock(n)` is called
 * after each block commits. `pauseInBlock` (a block number) stops inside that block's
 * transaction and waits, to let a test kill the process there.
 */
export async function indexChain(
  api,
  db,
  { log = () => {}, once = false, signal, pauseInBlock } = {},
) {
  const genesis = api.genesisHash.toHex();
  const [chain] = await db.query('SELECT genesis, name FROM chain');
  const name = (await api.rpc.system.chain()).toString();
  if (chain && chain.genesis !== genesis)
    throw new Error(
      `the database holds the history of ${chain.name} (genesis ${chain.genesis}), not of this ` +
        `node's chain (${name}, genesis ${genesis}): use another database`,
    );
  if (!chain)
    await db.query(
      'INSERT INTO chain (id, genesis, name, ss58, decimals, symbol) VALUES (1, $1, $2, $3, $4, $5)',
      [
        genesis,
        name,
        api.registry.chainSS58 ?? 42,
        api.registry.chainDecimals[0],
        api.registry.chainTokens[0],
      ],
    );
  const [last] = await db.query('SELECT number, era FROM blocks ORDER BY number DESC LIMIT 1');
  const ctx = { era: last?.era ?? 0, treasury: api.consts.compute.treasury.toHex() };
  let next = (last?.number ?? 0) + 1;
  log(last ? `resuming after block #${last.number}` : 'indexing from block #1');

  let finalized = (
    await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
  ).number.toNumber();
  let wake = () => {};
  const unsubscribe = await api.rpc.chain.subscribeFinalizedHeads((header) => {
    finalized = Math.max(finalized, header.number.toNumber());
    wake();
  });
  const stop = new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
  const target = once ? finalized : Infinity;
  const started = Date.now();
  let written = 0;
  let reported = Date.now();
  // Whether blocks were waiting to be written: progress is reported while catching up.
  let behind = true;
  try {
    const ahead = new Map();
    while (!signal?.aborted && next <= target) {
      if (next > finalized) {
        if (behind) log(`caught up: at finalized block #${finalized}`);
        behind = false;
        await Promise.race([new Promise((resolve) => (wake = resolve)), stop]);
        continue;
      }
      for (let n = next; n <= Math.min(finalized, next + READ_AHEAD - 1); n++)
        if (!ahead.has(n)) ahead.set(n, readBlock(api, n));
      // Settle every pending read, so that none rejects unobserved when one fails.
      for (const p of ahead.values()) p.catch(() => {});
      let block;
      try {
        block = await ahead.get(next);
      } catch (e) {
        // A node that stopped answering (the client reconnects by itself) is asked again; a
        // state it no longer has ends the run.
        if (e instanceof PrunedState) throw e;
        log(`reading block #${next} failed (${String(e.message).split('\n')[0]}); again in 5 s`);
        ahead.clear();
        await Promise.race([sleep(5000), stop]);
        continue;
      }
      ahead.delete(next);
      const era = ctx.era;
      const rows = rowsOf(block, ctx);
      try {
        await db.transaction(async (tx) => {
          await tx.query(
            'INSERT INTO blocks (number, hash, at, era, spec_version, events) VALUES ($1, $2, $3, $4, $5, $6)',
            [block.number, block.hash, block.at, ctx.era, block.specVersion, block.total],
          );
          for (const [sql, params] of rows) await tx.query(sql, params);
          if (pauseInBlock === block.number) {
            log(`paused inside the transaction of block #${block.number}`);
            await new Promise(() => {});
          }
        });
      } catch (e) {
        ctx.era = era;
        throw new Error(`writing block #${block.number}: ${e.message}`);
      }
      written++;
      next++;
      if (next <= finalized) behind = true;
      if (behind && Date.now() - reported >= 5000) {
        reported = Date.now();
        const rate = written / ((Date.now() - started) / 1000);
        log(`indexed block #${block.number} of #${finalized} (${rate.toFixed(1)} blocks/s)`);
      }
    }
  } finally {
    unsubscribe();
  }
  const seconds = (Date.now() - started) / 1000;
  return { written, seconds, last: next - 1 };
}
