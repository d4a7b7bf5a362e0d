#!/usr/bin/env node
// The indexer's figures on a loaded chain: indexes the finalized chain at --ws from genesis into
// a fresh database of each back end (embedded PGlite in a temporary directory; a PostgreSQL
// server started for the run), and reports blocks and events indexed per second, the database's
// size, and the time of each history query (the read API's answers, each asked --repeat times,
// the median).
//
// Load a chain first, e.g. on `bash scripts/devnet.sh` (it keeps every state):
//   npx lineage bench datasets.contribute --count 100000 --senders 100 --window 8000
//   node bench/agents.js --jobs 1000 --providers 2 --users 4
// then:
//   node bench/indexer.js [--ws ws://127.0.0.1:9944] [--repeat 5] [--json]

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../lib/api.js';
import { DEFAULT_WS } from '../lib/units.js';
import { tempDir } from '../lib/node.js';
import { startPostgres } from '../lib/postgres.js';
import { openDatabase } from '../indexer/db.js';
import { indexChain } from '../indexer/follow.js';
import { answer } from '../indexer/api.js';
import { flag } from '../lib/args.js';

const ws = flag('ws', process.env.LINEAGE_WS || DEFAULT_WS);
const repeat = Number(flag('repeat', 5));

/** Each history question once, with ids taken from what was indexed. */
async function questions(db) {
  const [provider] = await db.query(
    'SELECT provider AS who, count(*) FROM jobs WHERE provider IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
  );
  const [contributor] = await db.query(
    'SELECT contributor AS who, count(*) FROM contributions GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
  );
  const [dataset] = await db.query(
    'SELECT dataset, count(*) FROM job_datasets GROUP BY 1 ORDER BY 2 DESC LIMIT 1',
  );
  return [
    ['status', '/status'],
    ['eras', '/eras'],
    ['withdrawn models', '/withdrawn-models'],
    provider && ['payouts of the busiest provider, by day', `/payouts/${provider.who}`],
    provider && ['record of the busiest provider', `/providers/${provider.who}`],
    contributor && [
      'payouts of the largest contributor, by era',
      `/payouts/${contributor.who}?by=era`,
    ],
    dataset && ['the most paid dataset, by day', `/datasets/${dataset.dataset}`],
  ].filter(Boolean);
}

async function measure(api, backend, where) {
  const db = await openDatabase(where);
  try {
    const { written, seconds, last } = await indexChain(api, db, { once: true });
    const [{ events }] = await db.query('SELECT count(*)::INT AS events FROM events');
    const counts = Object.fromEntries(
      await Promise.all(
        ['contributions', 'jobs', 'payouts', 'eras'].map(async (t) => [
          t,
          (await db.query(`SELECT count(*)::INT AS n FROM ${t}`))[0].n,
        ]),
      ),
    );
    const [{ bytes }] = await db.query(
      'SELECT pg_database_size(current_database())::BIGINT AS bytes',
    );
    const queries = [];
    for (const [what, path] of await questions(db)) {
      const url = new URL(path, 'http://localhost');
      const times = [];
      for (let i = 0; i < repeat; i++) {
        const t = process.hrtime.bigint();
        await answer(db, url.pathname, url.searchParams);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      queries.push({ what, ms: Number(times[Math.floor(times.length / 2)].toFixed(1)) });
    }
    return {
      backend,
      blocks: written,
      last,
      seconds: Number(seconds.toFixed(1)),
      blocksPerSecond: Number((written / seconds).toFixed(1)),
      eventsPerSecond: Math.round(events / seconds),
      events,
      ...counts,
      megabytes: Number((bytes / 2 ** 20).toFixed(1)),
      queries,
    };
  } finally {
    await db.close();
  }
}

const api = await connect(ws);
const results = [];
const dir = tempDir('lineage-indexer-bench-');
const server = await startPostgres();
try {
  results.push(await measure(api, 'embedded (PGlite)', { dir: join(dir, 'db') }));
  results[0].onDisk = execFileSync('du', ['-sh', join(dir, 'db')])
    .toString()
    .split('\t')[0];
  results.push(await measure(api, 'PostgreSQL 15 server', { url: server.url }));
} finally {
  server.stop();
  rmSync(dir, { recursive: true, force: true });
  await api.disconnect();
}
if (flag('json', false)) console.log(JSON.stringify(results, null, 2));
else
  for (const r of results) {
    console.log(
      `${r.backend}: ${r.blocks} blocks (to #${r.last}) in ${r.seconds} s: ${r.blocksPerSecond} blocks/s, ` +
        `${r.eventsPerSecond} events/s (${r.events} events, ${r.contributions} contributions, ` +
        `${r.jobs} jobs, ${r.payouts} payouts, ${r.eras} eras); database ${r.megabytes} MiB` +
        (r.onDisk ? ` (${r.onDisk} on disk)` : ''),
    );
    for (const q of r.queries) console.log(`  ${q.what}: ${q.ms} ms`);
  }
process.exit(0);
