// What `lineage bench` can send. Each profile prepares the state its calls need (signed by the
// funder) and says how much each sender needs and how to build transaction i for a sender.

import { randomBytes } from 'node:crypto';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { eventData, until } from '../lib/api.js';
import { LIN, PERBILL } from '../lib/units.js';

/** A content reference unique to this run and `tag`. */
function content(salt, tag) {
  return { hash: blake2AsHex(`${salt}/${tag}`), uri: `ipfs://bench/${salt}/${tag}`, bytes: 1024 };
}

/** What each sender needs for `perTx` transactions costing `cost` each, fees included twice. */
async function funding(api, sample, funder, perTx, cost) {
  const { partialFee } = await sample.paymentInfo(funder);
  return BigInt(perTx) * (cost + 2n * partialFee.toBigInt()) + LIN;
}

const perTx = (count, keys) => Math.ceil(count / keys.length);

/** An open dataset (no review deposit) owned by the funder. */
async function openDataset({ api, ok }, salt) {
  const res = await ok(
    api.tx.datasets.createDataset(content(salt, 'dataset'), 'Cc0', {
      admission: 'Open',
      contributionDeposit: 0,
      rejectSlash: 0,
      minConsent: { training: false, commercial: false },
    }),
  );
  return eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
}

/** A usable model version trained on a snapshot of an open dataset, priced `price`. */
async function modelVersion(env, salt, price) {
  const { api, ok, funder } = env;
  const dataset = await openDataset(env, salt);
  const full = { training: true, commercial: true };
  await ok(api.tx.datasets.contribute(dataset, content(salt, 'seed'), 'Cc0', full));
  const snap = await ok(api.tx.datasets.snapshot(dataset));
  const version = eventData(snap, 'datasets', 'SnapshotTaken').version.toNumber();
  const model = eventData(
    await ok(api.tx.models.registerModel(content(salt, 'card'), 'Apache2')),
    'models',
    'ModelRegistered',
  ).model.toNumber();
  const published = await ok(
    api.tx.models.publishVersion(
      model,
      content(salt, 'weights'),
      [{ snapshot: { dataset, version }, weight: PERBILL }],
      null,
      PERBILL / 2,
      price,
    ),
    funder,
  );
  return eventData(published, 'models', 'VersionPublished').version.toNumber();
}

const CONSENT = { training: true, commercial: true };

/**
 * Rewards every sender can claim in `k` datasets (at most 16, a version's inputs): the senders
 * contribute an item to each of `k` open datasets, a model version is trained on a snapshot of
 * each, the funder pays a job on it that a provider (`provider`, a sender) answers, the job
 * settles and its era ends. Returns the datasets and the version.
 */
async function claimable(env, salt, k, provider) {
  const { api, ok, keys, load, log } = env;
  const created = await ok(
    api.tx.utility.batchAll(
      Array.from({ length: k }, (_, d) =>
        api.tx.datasets.createDataset(content(salt, `dataset-${d}`), 'Cc0', {
          admission: 'Open',
          contributionDeposit: 0,
          rejectSlash: 0,
          minConsent: { training: false, commercial: false },
        }),
      ),
    ),
  );
  const datasets = created.events
    .filter((e) => e.section === 'datasets' && e.method === 'DatasetCreated')
    .map((e) => e.data.dataset.toNumber());
  // Transaction i: sender i % senders contributes to dataset ⌊i / senders⌋.
  await load(keys.length * k, (i) =>
    api.tx.datasets.contribute(
      datasets[Math.floor(i / keys.length)],
      content(salt, `item-${i}`),
      'Cc0',
      CONSENT,
    ),
  );
  const snaps = await ok(api.tx.utility.batchAll(datasets.map((d) => api.tx.datasets.snapshot(d))));
  const snapshots = snaps.events
    .filter((e) => e.section === 'datasets' && e.method === 'SnapshotTaken')
    .map((e) => ({ dataset: e.data.dataset.toNumber(), version: e.data.version.toNumber() }));
  const model = eventData(
    await ok(api.tx.models.registerModel(content(salt, 'card'), 'Apache2')),
    'models',
    'ModelRegistered',
  ).model.toNumber();
  const share = Math.floor(PERBILL / k);
  const inputs = snapshots.map((snapshot, d) => ({
    snapshot,
    weight: d === 0 ? PERBILL - share * (k - 1) : share,
  }));
  const price = LIN;
  const version = eventData(
    await ok(
      api.tx.models.publishVersion(
        model,
        content(salt, 'weights'),
        inputs,
        null,
        PERBILL / 2,
        price,
      ),
    ),
    'models',
    'VersionPublished',
  ).version.toNumber();
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  const job = eventData(
    await ok(
      api.tx.compute.submitJob(
        'Inference',
        version,
        content(salt, 'paid-job'),
        10n * LIN,
        price,
        head + 100,
      ),
    ),
    'compute',
    'JobSubmitted',
  ).job.toNumber();
  await ok(api.tx.compute.acceptJob(job), provider);
  await ok(api.tx.compute.submitResult(job, content(salt, 'answer')), provider);
  log('preparing: a paid job waits for its challenge window and its era to end');
  await until(
    'the job to settle',
    120,
    async () => (await api.call.computeApi.job(job)).unwrap().state.isEnded,
  );
  const era = (await api.call.rewardsApi.era()).index.toNumber();
  await until('the era to end', 180, async () => {
    const last = await api.call.rewardsApi.lastEra();
    return last.isSome && last.unwrap()[0].toNumber() >= era;
  });
  return { datasets, version };
}

/**
 * Submits `count` jobs built by `submit(i)` (transaction i signed by sender i % senders) and
 * returns the ids of each sender's jobs, by its public key in hex, in the order submitted.
 */
async function openJobs(env, count, submit) {
  const { api, keys, load, log } = env;
  const first = (await api.query.compute.nextJobId()).toNumber();
  await load(count, submit);
  const next = (await api.query.compute.nextJobId()).toNumber();
  const ids = Array.from({ length: next - first }, (_, j) => first + j);
  const records = await api.query.compute.jobs.multi(ids);
  const open = new Map(keys.map((key) => [u8aToHex(key.publicKey), []]));
  records.forEach((j, x) => j.isSome && open.get(j.unwrap().requester.toHex())?.push(ids[x]));
  log(`preparing: ${ids.length} open jobs for the providers`);
  return open;
}

/** Registers `keys` (default: every sender) as providers of every kind with `bond`, in bulk. */
async function providers(env, bond, keys = env.keys) {
  const { api, load } = env;
  const kinds = { training: true, fineTune: true, inference: true, evaluation: true };
  const registered = await api.query.compute.providers.multi(keys.map((k) => k.address));
  const missing = keys.filter((_, i) => registered[i].isNone);
  if (missing.length)
    await load(
      missing.length,
      (i) =>
        api.tx.compute.registerProvider(
          bond,
          `https://bench.example/${i}`,
          kinds,
          missing[i].address,
          'bench',
        ),
      missing,
    );
}

export const PROFILES = {
  /** `balances.transfer_keep_alive` of 1 mLIN to the next sender. */
  transfer: {
    summary: 'balances.transfer_keep_alive of 1 mLIN to another sender',
    async prepare({ api, funder, keys, count }) {
      const amount = LIN / 1000n;
      const build = (i) =>
        api.tx.balances.transferKeepAlive(keys[(i + 1) % keys.length].address, amount);
      const sample = api.tx.balances.transferKeepAlive(funder.address, amount);
      return { build, perSender: await funding(api, sample, funder, perTx(count, keys), amount) };
    },
  },

  /** `datasets.contribute` of one new item each to an open dataset. */
  'datasets.contribute': {
    summary: 'datasets.contribute: one new item each, to an open dataset (accepted at once)',
    async prepare(env) {
      const { api, funder, keys, count } = env;
      const salt = randomBytes(8).toString('hex');
      const dataset = await openDataset(env, salt);
      const build = (i) => api.tx.datasets.contribute(dataset, content(salt, i), 'Cc0', CONSENT);
      // The record deposit is held for as long as the item is in the dataset.
      const perSender = await funding(api, build(-1), funder, perTx(count, keys), LIN / 10n);
      return { build, perSender };
    },
  },

  /** `datasets.contribute_batch` of `items` items each to an open dataset. */
  'datasets.contribute-batch': {
    summary: 'datasets.contribute_batch: a record of --items items (Merkle root) each',
    async prepare(env) {
      const { api, funder, keys, count, items = 10_000 } = env;
      const salt = randomBytes(8).toString('hex');
      const dataset = await openDataset(env, salt);
      const build = (i) => {
        const ref = content(salt, i);
        return api.tx.datasets.contributeBatch(
          dataset,
          ref.hash,
          items,
          BigInt(items) * 1024n,
          ref.uri,
          'Cc0',
          CONSENT,
        );
      };
      const perSender = await funding(api, build(-1), funder, perTx(count, keys), LIN / 10n);
      return { build, perSender, itemsPerTx: items };
    },
  },

  /** `compute.submit_job`: an inference job each on one model version, 1 mLIN fee. */
  'compute.submit-job': {
    summary: 'compute.submit_job: an inference job each on one model version (escrow held)',
    async prepare(env) {
      const { api, funder, keys, count } = env;
      const salt = randomBytes(8).toString('hex');
      const price = LIN / 1000n;
      const fee = LIN / 1000n;
      const modelVersionId = await modelVersion(env, salt, price);
      const head = (await api.rpc.chain.getHeader()).number.toNumber();
      // Far enough for the run, within `MaxDeadline`; the jobs expire unanswered afterwards.
      const deadline = head + 2_000;
      const build = (i) =>
        api.tx.compute.submitJob(
          'Inference',
          modelVersionId,
          content(salt, i),
          fee,
          price,
          deadline,
        );
      const perSender = await funding(api, build(-1), funder, perTx(count, keys), LIN / 2n);
      return { build, perSender };
    },
  },

  /**
   * Whole inference jobs: `count / 2` jobs are submitted before the run (1 mLIN each on one model
   * version, by every sender in turn); in the run, sender s accepts and answers the jobs of
   * sender s + 1, and the chain settles each once its challenge window ends, paying the provider,
   * the model and the dataset. A chain of settled jobs for the indexer's figures.
   */
  'compute.job': {
    summary: 'compute: jobs submitted before the run, accepted and answered in it, then settled',
    async prepare(env) {
      const { api, funder, keys, count } = env;
      const n = keys.length;
      // Each sender accepts and answers `jobs` jobs: two transactions a job.
      const jobs = Math.ceil(count / (2 * n));
      const salt = randomBytes(8).toString('hex');
      const fee = LIN / 1000n;
      const price = LIN / 1000n;
      // Every sender is a provider: its bond covers 1 LIN of collateral for each job it holds.
      await env.fund(150n * LIN + BigInt(jobs) * 2n * LIN);
      await providers(env, 100n * LIN + BigInt(jobs) * LIN);
      const version = await modelVersion(env, salt, price);
      const head = (await api.rpc.chain.getHeader()).number.toNumber();
      const deadline = head + 2_000;
      const open = await openJobs(env, jobs * n, (i) =>
        api.tx.compute.submitJob('Inference', version, content(salt, i), fee, price, deadline),
      );
      // Transaction i: sender i % n, round ⌊i / n⌋; even rounds accept a job, odd ones answer it.
      const build = (i) => {
        const s = i % n;
        const round = Math.floor(i / n);
        const id = open.get(u8aToHex(keys[(s + 1) % n].publicKey))[Math.floor(round / 2)];
        if (id === undefined)
          throw new Error(`compute.job: no job for sender ${s} in round ${round}`);
        return round % 2 === 0
          ? api.tx.compute.acceptJob(id)
          : api.tx.compute.submitResult(id, content(salt, `answer-${id}`));
      };
      const perSender = await funding(api, build(1), funder, 2 * jobs, 0n);
      return { build, perSender };
    },
  },

  /**
   * `rewards.claim`: each sender claims its rewards in one dataset per transaction, from
   * `count / senders` datasets (at most 16) it contributed to and that earned in an ended era.
   */
  'rewards.claim': {
    summary: 'rewards.claim: each sender claims in count/senders (≤ 16) datasets that earned',
    async prepare(env) {
      const { api, funder, keys, count } = env;
      const k = perTx(count, keys);
      if (k > 16) throw new Error('rewards.claim: count may be at most 16 × senders');
      const salt = randomBytes(8).toString('hex');
      await env.fund(LIN + 2n * LIN * BigInt(k));
      await env.fund(400n * LIN, [keys[0]]);
      await providers(env, 200n * LIN, [keys[0]]);
      const { datasets } = await claimable(env, salt, k, keys[0]);
      const build = (i) => api.tx.rewards.claim(datasets[Math.floor(i / keys.length)], 1);
      return { build, perSender: await funding(api, build(0), funder, k, 0n) };
    },
  },

  /**
   * A busy day, in rounds of ten transactions per sender: three transfers, three contributions,
   * a job submitted, a job (submitted before the run by another sender) accepted and its result
   * submitted, and a claim in a dataset that earned (a transfer once the sender has claimed in
   * all of them).
   */
  mixed: {
    summary: 'transfers, contributions, jobs submitted, accepted and answered, and claims',
    async prepare(env) {
      const { api, funder, keys, count } = env;
      const n = keys.length;
      const rounds = Math.ceil(count / (10 * n));
      const k = Math.min(16, rounds);
      const salt = randomBytes(8).toString('hex');
      // Every sender is a provider: collateral is at least 1 LIN a job.
      await env.fund(150n * LIN + BigInt(rounds) * 5n * LIN);
      await providers(env, 100n * LIN + BigInt(rounds) * 2n * LIN);
      const { datasets, version } = await claimable(env, salt, k, keys[0]);
      const fee = LIN / 1000n;
      const price = LIN;
      const head = (await api.rpc.chain.getHeader()).number.toNumber();
      const deadline = head + 2_000;
      const job = (tag) =>
        api.tx.compute.submitJob('Inference', version, content(salt, tag), fee, price, deadline);
      // The jobs to accept in the run: sender s answers the `rounds` jobs of sender s + 1.
      const open = await openJobs(env, rounds * n, (i) => job(`open-${i}`));
      const dataset = datasets[0];
      const build = (i) => {
        const s = i % n;
        const round = Math.floor(i / n);
        const cycle = Math.floor(round / 10);
        const step = round % 10;
        const toAnswer = open.get(u8aToHex(keys[(s + 1) % n].publicKey))[cycle];
        if (step === 3 || step === 4 || step === 5)
          return api.tx.datasets.contribute(dataset, content(salt, `mixed-${i}`), 'Cc0', CONSENT);
        if (step === 6) return job(`mixed-${i}`);
        if (step === 7 && toAnswer !== undefined) return api.tx.compute.acceptJob(toAnswer);
        if (step === 8 && toAnswer !== undefined)
          return api.tx.compute.submitResult(toAnswer, content(salt, `answer-${i}`));
        if (step === 9 && cycle < k) return api.tx.rewards.claim(datasets[cycle], 1);
        return api.tx.balances.transferKeepAlive(keys[(s + 1) % n].address, LIN / 1000n);
      };
      const perSender = await funding(api, job('sample'), funder, rounds * 10, price);
      return { build, perSender };
    },
  },
};

/** The profiles' names and one-line summaries. */
export function profileList() {
  return Object.entries(PROFILES).map(([name, p]) => `  ${name.padEnd(28)}${p.summary}`);
}
