// The indexer's database: embedded PostgreSQL (PGlite, in a directory, nothing to install) by
// default, or a PostgreSQL server named by a `postgres://` URL. One SQL dialect for both; the
// schema is the plain SQL files of migrations/, applied in order, each once.

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Where `lineage indexer` keeps its embedded database unless told otherwise. */
export const DEFAULT_DB_DIR = join(homedir(), '.cache', 'lineage', 'indexer');

// BIGINT (int8) as a JavaScript number (block numbers, ids), NUMERIC as its exact text (plancks).
const INT8 = 20;
const NUMERIC = 1700;

/**
 * Opens the database: `url` (postgres://…) for a server, else the embedded one in `dir`. Applies
 * the migrations not yet applied. Resolves to `{ backend, where, query(sql, params) → rows,
 * transaction(fn), close() }`; `transaction` runs `fn({ query })` in one transaction, committed
 * when `fn` resolves, rolled back when it throws.
 */
export async function openDatabase({ url, dir = DEFAULT_DB_DIR } = {}) {
  const db = url ? await openServer(url) : await openEmbedded(dir);
  await migrate(db);
  return db;
}

async function openServer(url) {
  const { default: pg } = await import('pg');
  const types = {
    getTypeParser: (oid, format) =>
      oid === INT8 ? Number : oid === NUMERIC ? String : pg.types.getTypeParser(oid, format),
  };
  // Reads (the read API) and each block's transaction on connections of their own.
  const pool = new pg.Pool({ connectionString: url, types, max: 4 });
  // A server that goes away is reported by the next query; keep the process from dying on it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end();
    throw new Error(`cannot reach the PostgreSQL server at ${redact(url)}: ${e.message}`);
  }
  return {
    backend: 'postgresql',
    where: redact(url),
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    exec: (sql) => pool.query(sql),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({
          query: async (sql, params) => (await client.query(sql, params)).rows,
        });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openEmbedded(dir) {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  let db;
  try {
    db = await PGlite.create(dir, { parsers: { [INT8]: Number, [NUMERIC]: String } });
  } catch (e) {
    throw new Error(
      `cannot open the embedded database in ${dir} (${e.message}): is another ` +
        '`lineage indexer` using it? One process at a time may open it.',
    );
  }
  const query = async (sql, params) => (await db.query(sql, params)).rows;
  return {
    backend: 'embedded PostgreSQL (PGlite)',
    where: dir,
    query,
    exec: (sql) => db.exec(sql),
    transaction: (fn) =>
      db.transaction((tx) => fn({ query: async (s, p) => (await tx.query(s, p)).rows })),
    close: () => db.close(),
  };
}

/** A server URL without its password. */
function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given DATABASE_URL';
  }
}

/** Applies each file of migrations/ not yet recorded in `schema_migrations`, in name order. */
async function migrate(db) {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  const done = new Set((await db.query('SELECT name FROM schema_migrations')).map((r) => r.name));
  for (const name of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    if (done.has(name)) continue;
    const sql = readFileSync(join(MIGRATIONS, name), 'utf8');
    await db.transaction(async (tx) => {
      for (const statement of statements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    });
  }
}

/** The statements of a migration file: split at each `;` ending a line, comments dropped. */
function statements(sql) {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
