// The indexer's read API: the history questions of queries.js over HTTP, as JSON, for the
// explorer's history views and `lineage history`. Read-only; any origin may read it (CORS).
//
//   GET /status                          the chain, the back end, the highest block indexed
//   GET /payouts/ACCOUNT?by=day|era      what an account was paid: totals, a series, the latest
//   GET /datasets/ID?by=day|era          a dataset's jobs and revenue, contributions, withdrawals
//   GET /eras?from=ERA                   emission, fees and held-back amounts of every era
//   GET /providers/ACCOUNT               a provider's jobs, earnings, slashes and latency
//   GET /withdrawn-models                versions trained on snapshots later withdrawn
//
// Accounts may be written in any SS58 form or as 0x + 64 hex digits; `limit` bounds lists.

import { createServer } from 'node:http';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import * as q from './queries.js';

/** A question asked wrongly: answered 400 with what is wrong, in plain words. */
export class BadRequest extends Error {}

/** An account in any SS58 form, or hex, as the database writes it (0x + 64 hex digits). */
export function accountKey(address) {
  try {
    const key = decodeAddress(address);
    if (key.length !== 32) throw new Error();
    return u8aToHex(key);
  } catch {
    throw new BadRequest(
      `"${address}" is not an account: give an SS58 address or 0x + 64 hex digits`,
    );
  }
}

function id(text, what) {
  if (!/^\d+$/.test(text)) throw new BadRequest(`"${text}" is not a ${what} number`);
  return Number(text);
}

function by(params) {
  const value = params.get('by') ?? 'day';
  if (value !== 'day' && value !== 'era')
    throw new BadRequest(`by=${value}: periods are "day" or "era"`);
  return value;
}

/** The answer to `path` (with its query `params`), or null when nothing is served there. */
export async function answer(db, path, params) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const limit = params.get('limit') ?? undefined;
  switch (parts[0]) {
    case 'status':
      return parts.length === 1 ? q.status(db) : null;
    case 'payouts':
      return parts.length === 2
        ? q.payouts(db, accountKey(parts[1]), { by: by(params), limit })
        : null;
    case 'datasets':
      return parts.length === 2
        ? q.dataset(db, id(parts[1], 'dataset'), { by: by(params), limit })
        : null;
    case 'eras':
      return parts.length === 1
        ? q.eras(db, { from: id(params.get('from') ?? '0', 'era'), limit })
        : null;
    case 'providers':
      return parts.length === 2 ? q.provider(db, accountKey(parts[1]), { limit }) : null;
    case 'withdrawn-models':
      return parts.length === 1 ? q.withdrawnModels(db, { limit }) : null;
    default:
      return null;
  }
}

/** Serves the read API on `host:port` (0: any free port); resolves to `{ server, url }`. */
export async function serveHistory(db, { port = 8070, host = '127.0.0.1' } = {}) {
  // One query at a time: the embedded database serves one connection.
  let queue = Promise.resolve();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const send = (code, body) =>
      res
        .writeHead(code, {
          'content-type': 'application/json; charset=utf-8',
          'access-control-allow-origin': '*',
          'cache-control': 'no-cache',
        })
        .end(JSON.stringify(body));
    if (req.method !== 'GET') return send(405, { error: 'only GET is served' });
    queue = queue.then(async () => {
      try {
        const body = await answer(db, url.pathname, url.searchParams);
        if (body === null) send(404, { error: `nothing is served at ${url.pathname}` });
        else send(200, body);
      } catch (e) {
        if (e instanceof BadRequest) send(400, { error: e.message });
        else send(500, { error: e.message });
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { server, url: `http://${host}:${server.address().port}/` };
}
