// The agents that make the compute market run: a provider that takes open jobs it can serve,
// does the work and delivers the output, and a verifier that re-executes a sample of results and
// challenges the wrong ones. Both follow the chain's best block and keep no state of their own:
// what to do next is read from the chain (`ComputeApi.jobs` by party) at every block, so an agent
// restarted at any moment resumes its jobs and never accepts, submits or challenges twice.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToBigInt, u8aToHex, stringToU8a } from '@polkadot/util';
import { dryRun, submit } from './api.js';
import { get, put, hashBytes, DEFAULT_BASE_URL, DEFAULT_STORE } from './content.js';
import {
  infer,
  evaluate,
  parseModel,
  serializeInference,
  serializeEvaluation,
  serializeModel,
} from './workload.js';
import { parseTrainingInput, trainOnSnapshot, trainingFault } from './training.js';

/** A number from the account and the job id: the same for both on every machine. */
const draw = (who, id) =>
  u8aToBigInt(blake2AsU8a(stringToU8a(`${who}/${id}`), 64), { isLe: false });
const byDraw = (who, a, b) => {
  const [x, y] = [draw(who, a), draw(who, b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The kinds whose results anyone can recompute with the reference workload. */
export const DETERMINISTIC = ['Training', 'Inference', 'Evaluation'];
const PAGE = 100;

/** The reference runner: one job's output bytes from its input and model artifact bytes. */
/**
 * Whether the chain re-executes a prompt of `text` (`readable` in pallets/reference): ASCII,
 * Latin-1, Latin Extended-A, the modern Greek letters, basic Cyrillic, dashes, quotation marks
 * and the ellipsis, the characters whose normalization, case and class it reads as
 * JavaScript does.
 */
export function chainReadable(text) {
  for (const c of text) {
    const code = c.codePointAt(0);
    const ok =
      code <= 0x17f ||
      code === 0x386 ||
      (code >= 0x388 && code <= 0x38a) ||
      code === 0x38c ||
      (code >= 0x38e && code <= 0x3a1) ||
      (code >= 0x3a3 && code <= 0x3ce) ||
      (code >= 0x400 && code <= 0x45f) ||
      (code >= 0x2010 && code <= 0x2015) ||
      (code >= 0x2018 && code <= 0x201f) ||
      code === 0x2026;
    if (!ok || (code >= 0x80 && code < 0xa0)) return false;
  }
  return true;
}

/**
 * Whether every total of `artifact`'s counts (each context's, and the unigrams' with the
 * vocabulary) stays within 2^53 − 1, where JavaScript adds exactly and the chain evaluates.
 */
export function exactCounts(artifact) {
  let model;
  try {
    model = parseModel(artifact);
  } catch {
    return false;
  }
  for (const [context, next] of model.counts) {
    let total = context === '' ? BigInt(next.size) + 1n : 0n;
    for (const count of next.values()) total += BigInt(count);
    if (total > BigInt(Number.MAX_SAFE_INTEGER)) return false;
  }
  return true;
}

export function referenceOutput(kind, input, artifact) {
  const model = parseModel(artifact);
  const text = Buffer.from(input).toString('utf8');
  if (kind === 'Inference')
    return serializeInference({ model: hashBytes(artifact), ...infer(model, text) });
  if (kind === 'Evaluation')
    return serializeEvaluation({ model: hashBytes(artifact), ...evaluate(model, text) });
  throw new Error(`the reference runner does not run ${kind} jobs`);
}

/**
 * Runs a command runner: `command` with `{input}`, `{model}` and `{output}` replaced by file
 * paths (and `{kind}` by the job's kind); resolves to the output bytes, or fails when the command
 * fails, writes nothing, or outlasts `timeoutMs`.
 */
async function commandOutput(command, kind, input, artifact, timeoutMs) {
  const dir = await mkdtemp(join(tmpdir(), 'lineage-job-'));
  try {
    const paths = {
      input: join(dir, 'input'),
      model: join(dir, 'model'),
      output: join(dir, 'output'),
    };
    await writeFile(paths.input, input);
    await writeFile(paths.model, artifact);
    const line = command.replace(/\{(input|model|output|kind)\}/g, (_, k) =>
      k === 'kind' ? kind : paths[k],
    );
    await new Promise((resolve, reject) => {
      // Its own process group: a runner that outlasts its time is stopped with all it started.
      const child = spawn('/bin/sh', ['-c', line], {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        process.kill(-child.pid, 'SIGKILL');
        reject(new Error(`the runner took more than ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `the runner failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').at(-1) ?? ''}`,
            ),
          );
      });
    });
    return await readFile(paths.output).catch(() => {
      throw new Error('the runner wrote no output');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Shared by both agents: the chain, the signer, the store and a log line per event. */
class Agent {
  constructor(api, pair, options) {
    this.api = api;
    this.pair = pair;
    this.me = pair.address;
    this.options = {
      store: DEFAULT_STORE,
      baseUrl: DEFAULT_BASE_URL,
      runner: null,
      timeoutMs: 60_000,
      log: (line) => console.log(line),
      ...options,
    };
    this.log = this.options.log;
    this.busy = false;
    this.again = false;
    this.stopped = false;
    this.metrics = {};
    this.done = new Set();
  }

  count(name, by = 1) {
    this.metrics[name] = (this.metrics[name] ?? 0) + by;
  }

  /** Follows the best block until `stop()`; one tick at a time, a missed block runs one more. */
  async run() {
    await this.prepare?.();
    this.unsubscribe = await this.api.rpc.chain.subscribeNewHeads((header) => {
      this.block = header.number.toNumber();
      this.wake();
    });
  }

  wake() {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    (async () => {
      do {
        this.again = false;
        try {
          await this.tick();
        } catch (e) {
          this.count('errors');
          this.log(`block #${this.block}: ${e.message.split('\n')[0]} (will try again)`);
        }
      } while (this.again && !this.stopped);
      this.busy = false;
      this.idle?.();
    })();
  }

  async stop() {
    this.stopped = true;
    this.unsubscribe?.();
    while (this.busy) await new Promise((r) => setTimeout(r, 50));
  }

  /** Submits `tx` after a dry run; `{ ok, error }`, and a failed dry run costs nothing. */
  async send(tx) {
    return (await this.sendAll([tx]))[0];
  }

  /**
   * Dry-runs each of `txs`, then submits the ones that would succeed at once, with consecutive
   * nonces, and waits until all are in blocks: one block for a whole batch instead of one each.
   */
  async sendAll(txs) {
    const refusals = await Promise.all(txs.map((tx) => dryRun(this.api, tx, this.pair)));
    let nonce = (await this.api.rpc.system.accountNextIndex(this.me)).toNumber();
    return Promise.all(
      txs.map((tx, i) =>
        refusals[i]
          ? { ok: false, error: refusals[i], free: true }
          : submit(this.api, tx, this.pair, { nonce: nonce++ }).catch((e) => ({
              ok: false,
              error: { name: 'invalid', docs: e.message },
            })),
      ),
    );
  }

  async jobs(filter) {
    const out = [];
    let before = null;
    for (;;) {
      const page = await this.api.call.computeApi.jobs(filter, before, PAGE);
      out.push(...page.items.map(([id, job]) => [id.toNumber(), job]));
      if (page.next.isNone) return out;
      before = page.next.unwrap();
    }
  }

  /** A content reference's bytes, checked against its hash and size. */
  async fetch(ref) {
    const got = await get(ref.uri.toUtf8(), ref.hash_.toHex(), {
      bytes: ref.bytes.toNumber(),
      timeoutMs: this.options.timeoutMs,
    });
    if (got.kind !== 'file') throw new Error(`${ref.uri.toUtf8()} is a directory, not one file`);
    return got.data;
  }

  /**
   * The bytes `job` runs on: its model version's artifact and its input, both checked (a
   * training job trains afresh on the snapshot its input names: no artifact).
   */
  async inputs(job) {
    if (job.kind.type === 'Training') return { artifact: null, input: await this.fetch(job.input) };
    const version = await this.api.call.modelsApi.version(job.modelVersion);
    if (version.isNone) throw new Error(`model version ${job.modelVersion} is not on record`);
    return {
      artifact: await this.fetch(version.unwrap().artifact),
      input: await this.fetch(job.input),
    };
  }

  /** The output of `job` as this agent computes it. */
  async compute(job, inputs) {
    const kind = job.kind.type;
    const { artifact, input } = inputs ?? (await this.inputs(job));
    if (this.options.runner)
      return commandOutput(
        this.options.runner,
        kind,
        input,
        artifact ?? '',
        this.options.timeoutMs,
      );
    if (kind !== 'Training') return referenceOutput(kind, input, artifact);
    // The snapshot's contributions, each fetched and checked against the chain's record.
    const { dataset, snapshot, order } = parseTrainingInput(input);
    const model = await trainOnSnapshot(this.api, dataset, snapshot, {
      order,
      timeoutMs: this.options.timeoutMs,
    });
    return serializeModel(model);
  }

  /**
   * The call that has the chain rule on challenged `job` itself (`{ tx, what }`), or why it
   * cannot (`{ why }`): `check_result` for the reference workload's inference or evaluation of
   * a readable text, whose model, input and output (fetched from the provider's URI) fit
   * `MaxCheckBytes`; `check_training` with the fault found in a model a training job delivered.
   */
  async proofTx(id, job, inputs) {
    const { artifact, input } = inputs ?? (await this.inputs(job));
    const max = this.api.consts.compute.maxCheckBytes.toNumber();
    const kind = job.kind.type;
    if (kind === 'Training') return this.trainingProofTx(id, job, input, max);
    if (kind !== 'Inference' && kind !== 'Evaluation')
      return { why: `the chain does not re-execute ${kind} jobs` };
    const what = kind === 'Inference' ? 'the prompt' : 'the held-out text';
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let readable;
    try {
      readable = chainReadable(text.decode(input));
    } catch {
      readable = false;
    }
    if (!readable) return { why: `${what} has characters the chain does not read` };
    if (kind === 'Evaluation' && !exactCounts(artifact))
      return { why: "the model's counts add up past 2^53, which the chain does not evaluate" };
    let output;
    try {
      output = await this.fetch(job.result.unwrap());
    } catch (e) {
      return { why: `the provider's output is not available (${e.message.split('\n')[0]})` };
    }
    if (artifact.length + input.length + output.length > max)
      return { why: `model, prompt and output exceed the chain's ${max} bytes` };
    // As hex: @polkadot/api reads a Uint8Array given for `Bytes` as already length-prefixed.
    const [m, i, o] = [artifact, input, output].map((bytes) => u8aToHex(bytes));
    return { tx: this.api.tx.compute.checkResult(id, m, i, o), what: 're-executed it' };
  }

  /** `check_training` with the fault found in the model training job `job` delivered. */
  async trainingProofTx(id, job, input, max) {
    let output;
    try {
      output = await this.fetch(job.result.unwrap());
    } catch (e) {
      return { why: `the provider's output is not available (${e.message.split('\n')[0]})` };
    }
    let found;
    try {
      found = await trainingFault(this.api, input, output, { timeoutMs: this.options.timeoutMs });
    } catch (e) {
      return { why: `the model was not checked (${e.message.split('\n')[0]})` };
    }
    if (!found) return { why: 'the model has no fault the chain can be shown' };
    if (found.text !== undefined && !chainReadable(found.text))
      return { why: `the model: ${found.what}, in characters the chain does not read` };
    if (input.length + output.length + found.bytes > max)
      return {
        why: `the model: ${found.what}, but input, model and item exceed the chain's ${max} bytes`,
      };
    return {
      tx: this.api.tx.compute.checkTraining(id, u8aToHex(input), u8aToHex(output), found.fault),
      what: `checked the model (${found.what})`,
    };
  }

  /** Stores `bytes` and returns the ContentRef the chain records for them. */
  async store(bytes) {
    const dir = await mkdtemp(join(tmpdir(), 'lineage-out-'));
    try {
      const file = join(dir, 'output');
      await writeFile(file, bytes);
      return await put(file, { store: this.options.store, baseUrl: this.options.baseUrl });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The provider agent: registers if it is not a provider yet; at every block delivers the jobs it
 * accepted (after a restart too), then takes the open jobs it can serve: a kind it offers, a fee
 * of at least `minFee`, at least `margin` blocks before the deadline. A job it cannot do honestly
 * (input or model unreachable or not what its hash says, runner failure, timeout) gets no
 * result: it ends by its deadline, and the log says why.
 */
export class ProviderAgent extends Agent {
  constructor(api, pair, options) {
    super(api, pair, {
      kinds: DETERMINISTIC,
      minFee: 0n,
      margin: 2,
      bond: null,
      maxJobs: 16,
      only: () => true,
      ...options,
    });
    this.failed = new Map();
  }

  async prepare() {
    const record = await this.api.call.computeApi.provider(this.me);
    if (record.isSome) return;
    if (!this.options.bond)
      throw new Error(`${this.me} is not a provider: register it, or give --bond`);
    const kinds = Object.fromEntries(
      ['training', 'fineTune', 'inference', 'evaluation'].map((k) => [
        k,
        this.options.kinds.some((kind) => kind.toLowerCase() === k.toLowerCase()),
      ]),
    );
    const res = await this.send(
      this.api.tx.compute.registerProvider(
        this.options.bond,
        this.options.baseUrl,
        kinds,
        this.me,
        this.options.region ?? 'local',
      ),
    );
    if (!res.ok) throw new Error(`registering failed: ${res.error.name}: ${res.error.docs}`);
    this.log(`registered as a provider with a bond of ${this.options.bond} plancks`);
  }

  async tick() {
    const now = this.block;
    const mine = await this.jobs({ Provider: this.me });
    await this.deliver(
      mine.filter(([id, job]) => job.state.isAccepted && !this.failed.has(id)),
      now,
    );
    await this.publish(mine.filter(([, job]) => job.state.isChallenged));
    this.account(mine);
    if (this.stopped) return;
    // The open jobs it can serve, at most `maxJobs` a block, in an order of its own (drawn from
    // its address and the job id) so that providers watching the same jobs mostly take
    // different ones.
    const open = (await this.jobs({ Open: null }))
      .sort(([a], [b]) => byDraw(this.me, a, b))
      .filter(
        ([id, job]) =>
          this.options.kinds.includes(job.kind.type) &&
          job.fee.toBigInt() >= BigInt(this.options.minFee) &&
          job.deadline.toNumber() - now >= this.options.margin &&
          !this.failed.has(id) &&
          this.options.only(id),
      )
      .slice(0, this.options.maxJobs);
    if (!open.length) return;
    const results = await this.sendAll(open.map(([id]) => this.api.tx.compute.acceptJob(id)));
    const accepted = [];
    for (const [i, res] of results.entries()) {
      const [id, job] = open[i];
      // Taken by another provider first, or no free bond left: nothing paid.
      if (!res.ok) {
        this.log(`job ${id}: not accepted (${res.error.name})`);
        continue;
      }
      this.count('accepted');
      this.log(`job ${id}: accepted (${job.kind.type}, fee ${job.fee.toString()} plancks)`);
      accepted.push([id, (await this.api.call.computeApi.job(id)).unwrap()]);
    }
    await this.deliver(accepted, this.block);
  }

  /** Runs each of `jobs` and submits the results together; a job it cannot do gets none. */
  async deliver(jobs, now) {
    const ready = [];
    for (const [id, job] of jobs) {
      if (job.deadline.toNumber() < now || this.stopped) continue;
      const started = Date.now();
      try {
        const output = await this.compute(job);
        this.count('workload_ms', Date.now() - started);
        ready.push([id, await this.store(output), started]);
      } catch (e) {
        // A store that did not answer may answer at the next block: the job is tried again
        // while it leaves the margin, and given up only then.
        const reason = e.message.split('\n')[0];
        if (e.transient && job.deadline.toNumber() - now > this.options.margin) {
          this.count('retried');
          this.log(`job ${id}: ${reason}; trying again at the next block`);
          continue;
        }
        this.failed.set(id, e.message);
        this.count('failed');
        this.log(
          `job ${id}: no result submitted: ${e.message.split('\n')[0]}; it ends by its deadline`,
        );
      }
    }
    if (!ready.length) return;
    const results = await this.sendAll(
      ready.map(([id, ref]) =>
        this.api.tx.compute.submitResult(id, { hash: ref.hash, uri: ref.uri, bytes: ref.bytes }),
      ),
    );
    for (const [i, res] of results.entries()) {
      const [id, ref, started] = ready[i];
      if (!res.ok) {
        this.log(`job ${id}: the result was refused (${res.error.name})`);
        continue;
      }
      this.count('delivered');
      this.log(`job ${id}: result ${ref.hash} delivered (${Date.now() - started} ms)`);
    }
  }

  /**
   * Publishes on chain the output of each of its `challenged` jobs the chain awaits it for
   * (`publish_output`, free): a challenged output nobody published ends the job against the
   * provider when the arbiter does not rule. The bytes come back from the agent's own store,
   * checked against the result; a store that does not answer is tried again at the next block.
   */
  async publish(challenged) {
    if (!challenged.length) return;
    const awaited = await this.api.query.compute.unpublishedOutputs.multi(
      challenged.map(([id]) => id),
    );
    const txs = [];
    for (const [i, [id, job]] of challenged.entries()) {
      if (awaited[i].isNone) continue;
      try {
        const output = await this.fetch(job.result.unwrap());
        // As hex: @polkadot/api reads a Uint8Array given for `Bytes` as already length-prefixed.
        txs.push([id, this.api.tx.compute.publishOutput(id, u8aToHex(output))]);
      } catch (e) {
        this.log(
          `job ${id}: challenged, its output not published yet: ${e.message.split('\n')[0]}`,
        );
      }
    }
    const results = await this.sendAll(txs.map(([, tx]) => tx));
    for (const [i, res] of results.entries()) {
      const id = txs[i][0];
      if (res.ok) this.count('published');
      this.log(
        res.ok
          ? `job ${id}: challenged; output published on chain`
          : `job ${id}: publishing the output was refused (${res.error.name})`,
      );
    }
  }

  /**
   * Counts how each of its jobs ended (paid or slashed) and how many blocks each step took,
   * once per job; the jobs that had ended before the agent started are not counted. Prints a
   * status line when anything ended.
   */
  account(mine) {
    const first = this.ended === undefined;
    this.ended ??= new Set();
    let changed = false;
    for (const [id, job] of mine) {
      if (!job.state.isEnded || this.ended.has(id)) continue;
      this.ended.add(id);
      if (first) continue;
      changed = true;
      const outcome = job.state.asEnded.type;
      if (['Settled', 'Lapsed'].includes(outcome)) this.count('paid');
      else if (['ChallengeUpheld', 'TimedOut'].includes(outcome)) this.count('slashed');
      else this.count('other_endings');
      const steps = job.steps;
      const at = (o) => (o.isSome ? o.unwrap().toNumber() : null);
      const submitted = steps.submitted.toNumber();
      for (const [name, block] of [
        ['accepted', at(steps.accepted)],
        ['result', at(steps.result)],
        ['ended', at(steps.ended)],
      ]) {
        if (block !== null) this.count(`blocks_to_${name}`, block - submitted);
      }
      this.count('ended');
      this.log(`job ${id}: ended ${outcome}`);
    }
    if (changed) this.log(`status: ${this.status()}`);
  }

  status() {
    const m = (k) => this.metrics[k] ?? 0;
    const ended = m('ended');
    const mean = (k) => (ended ? (m(k) / ended).toFixed(1) : '—');
    return (
      `accepted ${m('accepted')}, delivered ${m('delivered')}, paid ${m('paid')}, ` +
      `slashed ${m('slashed')}, failed ${m('failed')}; blocks from submission to result ` +
      `${mean('blocks_to_result')}, to settlement ${mean('blocks_to_ended')} (mean)`
    );
  }

  /** Prometheus text: what the agent did since it started. */
  prometheus() {
    return Object.entries(this.metrics)
      .map(([k, v]) => `lineage_provider_${k}_total ${v}`)
      .join('\n');
  }
}

/**
 * The verifier agent: re-executes a sample (`sample`, 0..1, drawn from the job id and the
 * verifier's address, so a provider cannot tell in advance) of the results of deterministic jobs
 * still inside their challenge window, and challenges each one whose output differs from the
 * re-execution, with its own output as evidence.
 */
export class VerifierAgent extends Agent {
  constructor(api, pair, options) {
    super(api, pair, { sample: 1, only: () => true, ...options });
  }

  sampled(id) {
    return Number(draw(this.me, id) % 1_000_000n) < this.options.sample * 1_000_000;
  }

  async tick() {
    const now = this.block;
    for (const [id, job] of await this.jobs('All')) {
      if (this.stopped) return;
      if (!job.state.isResultSubmitted || this.done.has(id) || !this.options.only(id)) continue;
      if (!DETERMINISTIC.includes(job.kind.type)) continue;
      const window = job.steps.result.unwrap().toNumber() + job.terms.challengePeriod.toNumber();
      if (now >= window) continue;
      this.done.add(id);
      if (!this.sampled(id)) continue;
      this.count('checked');
      let ours;
      let theirs;
      let inputs;
      try {
        inputs = await this.inputs(job);
        ours = await this.compute(job, inputs);
        theirs = job.result.unwrap().hash_.toHex();
      } catch (e) {
        // A store that did not answer is asked again at the next block, within the window.
        if (e.transient) this.done.delete(id);
        this.log(
          `job ${id}: not checked: ${e.message.split('\n')[0]}${e.transient ? '; trying again at the next block' : ''}`,
        );
        continue;
      }
      if (hashBytes(ours) === theirs) {
        this.log(`job ${id}: result ${theirs} re-executed: the same`);
        continue;
      }
      const evidence = await this.store(ours);
      const res = await this.send(
        this.api.tx.compute.challenge(id, {
          hash: evidence.hash,
          uri: evidence.uri,
          bytes: evidence.bytes,
        }),
      );
      if (!res.ok) {
        this.log(`job ${id}: the challenge was refused (${res.error.name})`);
        continue;
      }
      this.count('challenged');
      this.log(
        `job ${id}: result ${theirs} differs from the re-execution ${evidence.hash}: challenged`,
      );
      await this.prove(id, job, inputs);
    }
  }

  /**
   * Has the chain rule on a challenged job by re-executing it (`check_result`), when it can;
   * otherwise the arbiter rules.
   */
  async prove(id, job, inputs) {
    const proof = await this.proofTx(id, job, inputs);
    if (!proof.tx) {
      this.log(`job ${id}: ${proof.why}: the arbiter rules`);
      return;
    }
    const res = await this.send(proof.tx);
    if (!res.ok) {
      this.log(`job ${id}: the chain did not re-execute it (${res.error.name}): the arbiter rules`);
      return;
    }
    this.count('proven');
    this.log(`job ${id}: the chain ${proof.what} and ruled ProviderWrong`);
  }

  prometheus() {
    return Object.entries(this.metrics)
      .map(([k, v]) => `lineage_verifier_${k}_total ${v}`)
      .join('\n');
  }
}

/**
 * What an arbiter needs to rule on a challenged job: both sides' outputs against a re-execution
 * of the job by the reference workload.
 */
export async function arbiterCheck(api, id, options = {}) {
  const found = await api.call.computeApi.job(id);
  if (found.isNone) throw new Error(`there is no job ${id}`);
  const job = found.unwrap();
  if (!DETERMINISTIC.includes(job.kind.type))
    throw new Error(`job ${id} is a ${job.kind.type} job: the reference workload cannot re-run it`);
  if (job.result.isNone) throw new Error(`job ${id} has no result yet`);
  const agent = new Agent(api, options.pair ?? { address: null }, options);
  const inputs = await agent.inputs(job);
  const recomputed = hashBytes(await agent.compute(job, inputs));
  const result = job.result.unwrap().hash_.toHex();
  const evidence = job.challenge.isSome ? job.challenge.unwrap().evidence.hash_.toHex() : null;
  // The reference workload is the judge: the side whose output it reproduces is right.
  const verdict = result === recomputed ? 'ChallengerWrong' : 'ProviderWrong';
  const proof = await agent.proofTx(id, job, inputs);
  const check = { job: id, kind: job.kind.type, recomputed, result, evidence, verdict };
  check.onChain = proof.tx ? 'the chain can re-execute it (--prove)' : proof.why;
  if (options.prove) {
    if (!job.state.isChallenged) throw new Error(`job ${id} is not under challenge`);
    if (!proof.tx) throw new Error(`the chain cannot re-execute job ${id}: ${proof.why}`);
    const res = await agent.send(proof.tx);
    if (!res.ok)
      throw new Error(
        `the chain refused to re-execute job ${id}: ${res.error.name}: ${res.error.docs}`,
      );
    const ruled = await api.call.computeApi.job(id);
    check.ruling = ruled.unwrap().ruling.unwrap().verdict.type;
  }
  return check;
}
