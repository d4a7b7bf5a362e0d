// `lineage indexer` (follow the finalized chain into PostgreSQL and serve the read API) and
// `lineage history` (ask it: payouts, a dataset, eras, a provider, withdrawn models).

import { encodeAddress } from '@polkadot/util-crypto';
import { formatBalance } from '../lib/units.js';
import { ArgError } from './args.js';
import { printValue } from './output.js';

/** Where `lineage history` finds the read API unless told otherwise. */
const DEFAULT_INDEXER = 'http://127.0.0.1:8070';

const INDEXER_FLAGS = ['ws', 'db', 'database-url', 'port', 'host', 'once', 'help'];
const HISTORY_FLAGS = [
  'ws',
  'indexer',
  'db',
  'database-url',
  'by',
  'limit',
  'json',
  'exact',
  'help',
];

export function indexerHelp() {
  return [
    'lineage indexer [--ws URL] [--db DIR | --database-url postgres://…] [--port 8070] [--host 127.0.0.1] [--once]',
    "  Follows the node's finalized blocks from genesis and writes Lineage's history (jobs, payouts,",
    '  eras, slashes, model versions and the snapshots they used, contributions, withdrawals, and',
    "  every event of Lineage's pallets and the treasury) into PostgreSQL, one transaction per block;",
    '  a restart resumes after the last block written, and a killed process loses and repeats',
    '  nothing. Serves the read API (JSON over HTTP) that `lineage history` and the explorer read.',
    '  --db DIR            the embedded database (PGlite: nothing to install), default',
    '                      ~/.cache/lineage/indexer',
    '  --database-url URL  a PostgreSQL server instead (default $DATABASE_URL when set)',
    '  --port, --host      where the read API listens (default 127.0.0.1:8070; --port 0: any)',
    '  --once              index up to the finalized block of the start, then exit (no API)',
    '  The node must keep the state of every block to index (events are state): an archive node,',
    '  e.g. --state-pruning archive-canonical as scripts/devnet.sh runs it.',
  ].join('\n');
}

export function historyHelp() {
  return [
    'lineage history payouts ACCOUNT | dataset ID | eras | provider ACCOUNT | withdrawn',
    '                [--by day|era] [--limit 50] [--indexer URL | --db DIR | --database-url URL] [--json]',
    "  Answers from the indexer's history of the finalized chain (see lineage indexer):",
    '  history payouts ACCOUNT   everything paid to an account, by kind and by day (or era)',
    "  history dataset ID        a dataset's jobs and revenue by day, its contributions and withdrawals",
    '  history eras              emission, fees and held-back amounts of every era since genesis',
    "  history provider ACCOUNT  a provider's jobs by outcome, earnings, slashes and latency",
    '  history withdrawn         model versions trained on snapshots a later withdrawal tainted',
    `  --indexer URL       the read API of a running indexer (default $LINEAGE_INDEXER or ${DEFAULT_INDEXER})`,
    '  --db DIR, --database-url URL   read the database itself instead (the embedded one only',
    '                      while no indexer has it open)',
  ].join('\n');
}

function checkFlags(flags, known, what) {
  const unknown = Object.keys(flags).find((f) => !known.includes(f));
  if (unknown)
    throw new ArgError(`unknown option --${unknown} for ${what}; see lineage ${what} --help`);
}

/** The database flags: a server URL (flag, then $DATABASE_URL) or the embedded directory. */
function databaseOf(flags) {
  const url = flags['database-url'] ?? (flags.db ? undefined : process.env.DATABASE_URL);
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new ArgError(`--database-url ${url}: a PostgreSQL URL starts with postgres://`);
  return { url, dir: flags.db };
}

export async function runIndexer(flags, reachable) {
  if (flags.help) return console.log(indexerHelp());
  checkFlags(flags, INDEXER_FLAGS, 'indexer');
  const port = flags.port === undefined ? 8070 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new ArgError(`--port ${flags.port} is not a port number`);
  const where = databaseOf(flags);
  const api = await reachable(flags.ws);
  const { openDatabase } = await import('../indexer/db.js');
  const { indexChain } = await import('../indexer/follow.js');
  const db = await openDatabase(where);
  const controller = new AbortController();
  let server;
  try {
    console.log(
      `Indexing ${await api.rpc.system.chain()} from ${flags.ws} into ${db.backend} at ${db.where}`,
    );
    if (!flags.once) {
      const { serveHistory } = await import('../indexer/api.js');
      const served = await serveHistory(db, { port, host: flags.host ?? '127.0.0.1' });
      server = served.server;
      console.log(`History API at ${served.url} (lineage history, the explorer's history views)`);
    }
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const pause = process.env.LINEAGE_INDEXER_PAUSE_IN_BLOCK;
    const { written, seconds, last } = await indexChain(api, db, {
      log: (line) => console.log(line),
      once: Boolean(flags.once),
      signal: controller.signal,
      pauseInBlock: pause ? Number(pause) : undefined,
    });
    console.log(
      `indexer stopped at block #${last}: ${written} blocks in ${seconds.toFixed(1)} s` +
        (written ? ` (${(written / seconds).toFixed(1)} blocks/s)` : ''),
    );
  } finally {
    server?.close();
    server?.closeAllConnections();
    await db.close();
    await api.disconnect();
  }
}

/** Asks the read API at `base` for `path`; a plain error when nothing answers. */
async function fetchAnswer(base, path) {
  let response;
  try {
    response = await fetch(new URL(path, base.endsWith('/') ? base : `${base}/`));
  } catch (e) {
    throw new NoIndexer(
      `no indexer answers at ${base} (${e.cause?.code ?? e.message}): start one with ` +
        '`lineage indexer`, or pass --indexer URL (or --db / --database-url to read a database)',
    );
  }
  const body = await response.json();
  if (!response.ok)
    throw response.status === 400 ? new ArgError(body.error) : new Error(body.error);
  return body;
}

/** The read API's failure to answer: exit code 3, like a missing node. */
export class NoIndexer extends Error {
  name = 'NoIndexer';
}

const SUBJECTS = {
  payouts: { arg: 'ACCOUNT', path: (a, p) => `payouts/${encodeURIComponent(a)}?${p}` },
  dataset: { arg: 'ID', path: (a, p) => `datasets/${encodeURIComponent(a)}?${p}` },
  eras: { path: (_, p) => `eras?${p}` },
  provider: { arg: 'ACCOUNT', path: (a, p) => `providers/${encodeURIComponent(a)}?${p}` },
  withdrawn: { path: (_, p) => `withdrawn-models?${p}` },
};

export async function runHistory(name, rest, flags) {
  if (flags.help || !name) return console.log(historyHelp());
  checkFlags(flags, HISTORY_FLAGS, 'history');
  const subject = SUBJECTS[name];
  if (!subject)
    throw new ArgError(
      `unknown history "${name}"; the questions are ${Object.keys(SUBJECTS).join(', ')}`,
    );
  const [arg, ...extra] = rest;
  if (subject.arg && !arg) throw new ArgError(`lineage history ${name} needs ${subject.arg}`);
  if (extra.length || (!subject.arg && arg))
    throw new ArgError(`unexpected argument "${extra[0] ?? arg}"; see lineage history --help`);
  const params = new URLSearchParams();
  if (flags.by) params.set('by', flags.by);
  if (flags.limit) params.set('limit', flags.limit);
  const path = subject.path(arg, params.toString());
  let status, body;
  if (flags.db || flags['database-url'] || (process.env.DATABASE_URL && !flags.indexer)) {
    const { openDatabase } = await import('../indexer/db.js');
    const { answer, BadRequest } = await import('../indexer/api.js');
    const db = await openDatabase(databaseOf(flags));
    try {
      const url = new URL(path, 'http://localhost/');
      const ask = async (p, s) => {
        try {
          return await answer(db, p, s);
        } catch (e) {
          throw e instanceof BadRequest ? new ArgError(e.message) : e;
        }
      };
      status = await ask('/status', new URLSearchParams());
      body = await ask(url.pathname, url.searchParams);
    } finally {
      await db.close();
    }
  } else {
    const base = flags.indexer ?? process.env.LINEAGE_INDEXER ?? DEFAULT_INDEXER;
    status = await fetchAnswer(base, 'status');
    body = await fetchAnswer(base, path);
  }
  if (flags.json) return printValue(body);
  console.log(PRINT[name](body, format(status, flags)));
}

/** How amounts, accounts and blocks print, from the chain the database holds. */
function format(status, flags) {
  const chain = status.chain ?? { ss58: 42, decimals: 12, symbol: 'LIN' };
  const at = status.indexed
    ? `indexed through block #${status.indexed.block.toLocaleString('en-US')} (${when(status.indexed.at)})`
    : 'nothing indexed yet';
  return {
    at,
    amount: (plancks) =>
      formatBalance(plancks ?? 0, chain.decimals, chain.symbol, { exact: Boolean(flags.exact) }),
    account: (hex) => (hex ? encodeAddress(hex, chain.ss58) : '—'),
    block: (n) => (n === null || n === undefined ? '—' : `#${Number(n).toLocaleString('en-US')}`),
  };
}

/** An ISO time as "2026-12-07 15:02:11 UTC". */
const when = (iso) =>
  iso ? `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';

/** Rows as aligned columns under their headings; numbers and amounts to the right. */
function table(headings, rows) {
  if (!rows.length) return '  (none)';
  const cells = [headings, ...rows.map((r) => r.map((c) => String(c ?? '—')))];
  const widths = headings.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const right = headings.map((_, i) =>
    rows.every((r) => /^-?[#\d,.]*( \w+)?%?$|^—$/.test(String(r[i] ?? '—'))),
  );
  return cells
    .map(
      (r) =>
        '  ' +
        r
          .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

const count = (n) => Number(n).toLocaleString('en-US');
const percent = (ppb) => `${(Number(ppb) / 1e7).toFixed(2).replace(/\.?0+$/, '')}%`;

const PRINT = {
  payouts(b, f) {
    const total = b.totals.reduce((s, t) => s + BigInt(t.amount), 0n);
    return [
      `Payouts to ${f.account(b.account)}, ${f.at}:`,
      table(
        ['kind', 'payouts', 'amount', 'of which emission'],
        [
          ...b.totals.map((t) => [
            t.kind,
            count(t.count),
            f.amount(t.amount),
            f.amount(t.emission),
          ]),
          ...(b.totals.length > 1 ? [['total', '', f.amount(total), '']] : []),
        ],
      ),
      '',
      `By ${b.by}:`,
      table(
        [b.by, 'kind', 'amount'],
        b.series.map((s) => [s.period, s.kind, f.amount(s.amount)]),
      ),
      '',
      'As a contributor (the jobs that paid each dataset since its first accepted item):',
      table(
        ['dataset', 'items', 'points', 'since', 'jobs', 'dataset revenue', 'claimed'],
        b.data.map((d) => [
          d.dataset,
          count(d.contributions),
          count(d.points),
          f.block(d.since),
          count(d.jobs),
          f.amount(d.revenue),
          f.amount(d.claimed),
        ]),
      ),
      '',
      'Latest:',
      table(
        ['block', 'time', 'era', 'kind', 'amount', 'job', 'dataset'],
        b.latest.map((p) => [
          f.block(p.block),
          when(p.at),
          p.era,
          p.kind,
          f.amount(p.amount),
          p.job,
          p.dataset,
        ]),
      ),
    ].join('\n');
  },
  dataset(b, f) {
    return [
      `Dataset ${b.dataset}, ${f.at}:`,
      `  ${count(b.paid_jobs)} job payments, ${f.amount(b.revenue)} in all; ${count(b.contributions)} ` +
        `contributions accepted from ${count(b.contributors)} contributors (${count(b.points)} points)`,
      '',
      `Revenue by ${b.by}:`,
      table(
        [b.by, 'jobs', 'revenue'],
        b.series.map((s) => [s.period, count(s.jobs), f.amount(s.revenue)]),
      ),
      '',
      'Latest jobs that paid it:',
      table(
        ['job', 'block', 'time', 'paid', 'version', 'requester', 'provider'],
        b.jobs.map((j) => [
          j.job,
          f.block(j.block),
          when(j.at),
          f.amount(j.amount),
          j.model_version,
          f.account(j.requester),
          f.account(j.provider),
        ]),
      ),
      '',
      'Consent withdrawals:',
      table(
        ['block', 'time', 'contribution', 'contributor', 'points', 'tainted snapshots'],
        b.withdrawals.map((w) => [
          f.block(w.block),
          when(w.at),
          w.contribution,
          f.account(w.contributor),
          count(w.points_removed),
          w.tainted_from === null
            ? 'none'
            : w.tainted_from === w.tainted_through
              ? String(w.tainted_from)
              : `${w.tainted_from}–${w.tainted_through}`,
        ]),
      ),
    ].join('\n');
  },
  eras(rows, f) {
    return [
      `Eras, ${f.at}:`,
      table(
        [
          'era',
          'ended at',
          'time',
          'fees paid',
          'α',
          'minted',
          'to treasury',
          'held back',
          'bound',
          'jobs settled',
        ],
        rows.map((e) => [
          e.era,
          f.block(e.block),
          when(e.at),
          f.amount(e.fees_paid),
          percent(e.alpha_ppb),
          f.amount(e.minted),
          f.amount(e.treasury),
          f.amount(e.held_back),
          e.bound ?? 'none',
          count(e.settled_jobs),
        ]),
      ),
      "  (fees paid: the escrow of the jobs settled in the era; minted: the emission for them, at the next era's first block)",
    ].join('\n');
  },
  provider(b, f) {
    const l = b.latency;
    const blocks = (v) => (v === null ? '—' : `${Number(v).toFixed(1)} blocks`);
    return [
      `Provider ${f.account(b.provider)}, ${f.at}:`,
      `  earned ${f.amount(b.fees)} in fees and ${f.amount(b.emission)} in emission claims`,
      `  jobs by outcome: ${b.outcomes.map((o) => `${o.outcome} ${count(o.jobs)}`).join(', ') || 'none'}`,
      `  latency over ${count(l.accepted)} accepted jobs: accepted after ${blocks(l.accept_avg)} on ` +
        `average (median ${blocks(l.accept_p50)}, 90% within ${blocks(l.accept_p90)}); result ` +
        `${blocks(l.result_avg)} after that (median ${blocks(l.result_p50)}, 90% within ${blocks(l.result_p90)})`,
      '',
      'Slashes:',
      table(
        ['block', 'time', 'job', 'as', 'amount'],
        b.slashes.map((s) => [f.block(s.block), when(s.at), s.job, s.role, f.amount(s.amount)]),
      ),
      '',
      'Latest jobs:',
      table(
        ['job', 'kind', 'version', 'submitted', 'accepted', 'result', 'ended', 'outcome', 'paid'],
        b.jobs.map((j) => [
          j.job,
          j.kind,
          j.model_version,
          f.block(j.submitted),
          f.block(j.accepted),
          f.block(j.result),
          f.block(j.ended),
          j.outcome ?? 'open',
          j.provider_paid === null ? '—' : f.amount(j.provider_paid),
        ]),
      ),
    ].join('\n');
  },
  withdrawn(rows, f) {
    return [
      `Model versions trained on snapshots a later consent withdrawal tainted, ${f.at}:`,
      table(
        [
          'version',
          'model',
          'published',
          'dataset',
          'snapshot',
          'withdrawn',
          'time',
          'contribution',
          'contributor',
        ],
        rows.map((r) => [
          r.version,
          r.model,
          f.block(r.published),
          r.dataset,
          r.snapshot,
          f.block(r.withdrawn),
          when(r.withdrawn_at),
          r.contribution,
          f.account(r.contributor),
        ]),
      ),
    ].join('\n');
  },
};
