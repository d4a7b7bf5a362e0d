// The history questions, answered from the indexer's database; the read API (api.js) serves
// them as JSON, and `lineage history` prints them. Amounts are plancks as decimal strings,
// accounts 0x + 64 hex digits, times ISO 8601 (UTC), periods days (YYYY-MM-DD) or eras.

/** Rows per list unless asked otherwise, and the most a list returns. */
export const DEFAULT_ROWS = 50;
export const MAX_ROWS = 1000;

const rows = (limit) => Math.min(Math.max(1, Number(limit) || DEFAULT_ROWS), MAX_ROWS);

/** The period expression of `by`: a day (UTC) or an era. */
function period(by, column = 'b') {
  if (by === 'era') return `${column}.era::TEXT`;
  if (by === 'day') return `to_char(${column}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
  throw new RangeError(`by must be "day" or "era", not "${by}"`);
}

/** What the database holds: the chain, the highest block indexed and its time. */
export async function status(db) {
  const [chain] = await db.query('SELECT genesis, name, ss58, decimals, symbol FROM chain');
  const [last] = await db.query(
    'SELECT number, hash, at, era FROM blocks ORDER BY number DESC LIMIT 1',
  );
  return {
    chain: chain ?? null,
    backend: db.backend,
    indexed: last ? { block: last.number, hash: last.hash, at: last.at, era: last.era } : null,
  };
}

/**
 * Everything paid to `account`: totals by kind, a series by period (`by` day or era) and kind,
 * the latest payouts, and, as a contributor, the datasets it gave data to with the jobs that
 * paid them since and what it claimed from each.
 */
export async function payouts(db, account, { by = 'day', limit } = {}) {
  const totals = await db.query(
    'SELECT kind, count(*)::INT AS count, sum(amount)::TEXT AS amount, sum(emission)::TEXT AS emission ' +
      'FROM payouts WHERE account = $1 GROUP BY kind ORDER BY kind',
    [account],
  );
  const series = await db.query(
    `SELECT ${period(by)} AS period, p.kind, sum(p.amount)::TEXT AS amount ` +
      'FROM payouts p JOIN blocks b ON b.number = p.block WHERE p.account = $1 ' +
      'GROUP BY 1, 2 ORDER BY 1, 2',
    [account],
  );
  const latest = await db.query(
    'SELECT p.block, b.at, p.era, p.kind, p.amount::TEXT AS amount, p.emission::TEXT AS emission, p.job, p.dataset ' +
      'FROM payouts p JOIN blocks b ON b.number = p.block WHERE p.account = $1 ' +
      'ORDER BY p.block DESC, p.idx DESC, p.seq DESC LIMIT $2',
    [account, rows(limit)],
  );
  // As a contributor: each dataset it gave data to, the jobs that paid that dataset since its
  // first accepted contribution, and what it claimed from the dataset.
  const data = await db.query(
    'SELECT c.dataset, count(*)::INT AS contributions, sum(c.points)::TEXT AS points, min(c.block) AS since, ' +
      '(SELECT count(*) FROM job_datasets d WHERE d.dataset = c.dataset AND d.block >= min(c.block))::INT AS jobs, ' +
      '(SELECT coalesce(sum(d.amount), 0) FROM job_datasets d WHERE d.dataset = c.dataset AND d.block >= min(c.block))::TEXT AS revenue, ' +
      "(SELECT coalesce(sum(p.amount), 0) FROM payouts p WHERE p.account = $1 AND p.kind = 'contributor' AND p.dataset = c.dataset)::TEXT AS claimed " +
      'FROM contributions c WHERE c.contributor = $1 GROUP BY c.dataset ORDER BY c.dataset LIMIT $2',
    [account, rows(limit)],
  );
  return { account, by, totals, series, latest, data };
}

/** A dataset's history: the jobs that paid it, its revenue and jobs by period, its contributions. */
export async function dataset(db, id, { by = 'day', limit } = {}) {
  const [totals] = await db.query(
    'SELECT count(*)::INT AS paid_jobs, coalesce(sum(amount), 0)::TEXT AS revenue FROM job_datasets WHERE dataset = $1',
    [id],
  );
  const [contributed] = await db.query(
    'SELECT count(*)::INT AS contributions, count(DISTINCT contributor)::INT AS contributors, ' +
      'coalesce(sum(points), 0)::TEXT AS points FROM contributions WHERE dataset = $1',
    [id],
  );
  const series = await db.query(
    `SELECT ${period(by)} AS period, count(*)::INT AS jobs, sum(d.amount)::TEXT AS revenue ` +
      'FROM job_datasets d JOIN blocks b ON b.number = d.block WHERE d.dataset = $1 GROUP BY 1 ORDER BY 1',
    [id],
  );
  const jobs = await db.query(
    'SELECT d.job, d.block, b.at, d.amount::TEXT AS amount, j.model_version, j.requester, j.provider ' +
      'FROM job_datasets d JOIN blocks b ON b.number = d.block JOIN jobs j ON j.job = d.job ' +
      'WHERE d.dataset = $1 ORDER BY d.block DESC, d.job DESC LIMIT $2',
    [id, rows(limit)],
  );
  const withdrawals = await db.query(
    'SELECT w.block, b.at, w.contribution, w.contributor, w.points_removed::TEXT AS points_removed, ' +
      'w.tainted_from, w.tainted_through FROM withdrawals w JOIN blocks b ON b.number = w.block ' +
      'WHERE w.dataset = $1 ORDER BY w.block DESC, w.idx DESC LIMIT $2',
    [id, rows(limit)],
  );
  return { dataset: id, by, ...totals, ...contributed, series, jobs, withdrawals };
}

/**
 * Every ended era since genesis, as RewardsApi.eras keys them: its fees (the escrow of the jobs
 * settled in it), the emission minted for them at the next era's first block (`block`), what
 * the pool rate cap held back, what the treasury got of its unshared revenue, and the jobs the
 * indexer saw settle in it (their escrow is `settled_escrow`, which the chain's `fees_paid`
 * must equal).
 */
export async function eras(db, { from = 0, limit } = {}) {
  return db.query(
    'SELECT e.era, e.block, b.at, e.fees_paid::TEXT AS fees_paid, e.alpha_ppb, e.demand::TEXT AS demand, ' +
      'e.schedule::TEXT AS schedule, e.minted::TEXT AS minted, e.treasury::TEXT AS treasury, ' +
      'e.held_back::TEXT AS held_back, e.bound, e.unshared_paid::TEXT AS unshared_paid, ' +
      'coalesce(s.jobs, 0)::INT AS settled_jobs, coalesce(s.escrow, 0)::TEXT AS settled_escrow ' +
      'FROM eras e JOIN blocks b ON b.number = e.block ' +
      'LEFT JOIN (SELECT ended_era, count(*) AS jobs, sum(escrow) AS escrow FROM jobs WHERE settled ' +
      'GROUP BY ended_era) s ON s.ended_era = e.era ' +
      'WHERE e.era >= $1 ORDER BY e.era LIMIT $2',
    [Number(from) || 0, rows(limit ?? MAX_ROWS)],
  );
}

/**
 * A provider's record: its jobs by outcome, what it earned, its slashes, and its latency in
 * blocks (submission to acceptance, acceptance to result).
 */
export async function provider(db, account, { limit } = {}) {
  const outcomes = await db.query(
    "SELECT coalesce(outcome, 'open') AS outcome, count(*)::INT AS jobs FROM jobs WHERE provider = $1 GROUP BY 1 ORDER BY 1",
    [account],
  );
  const [earned] = await db.query(
    "SELECT coalesce(sum(amount) FILTER (WHERE kind = 'provider'), 0)::TEXT AS fees, " +
      "coalesce(sum(amount) FILTER (WHERE kind = 'emission'), 0)::TEXT AS emission FROM payouts WHERE account = $1",
    [account],
  );
  const [latency] = await db.query(
    'SELECT count(accepted)::INT AS accepted, avg(accepted - submitted)::FLOAT AS accept_avg, ' +
      'percentile_cont(0.5) WITHIN GROUP (ORDER BY accepted - submitted)::FLOAT AS accept_p50, ' +
      'percentile_cont(0.9) WITHIN GROUP (ORDER BY accepted - submitted)::FLOAT AS accept_p90, ' +
      'avg(result - accepted)::FLOAT AS result_avg, ' +
      'percentile_cont(0.5) WITHIN GROUP (ORDER BY result - accepted)::FLOAT AS result_p50, ' +
      'percentile_cont(0.9) WITHIN GROUP (ORDER BY result - accepted)::FLOAT AS result_p90 ' +
      'FROM jobs WHERE provider = $1',
    [account],
  );
  const slashes = await db.query(
    'SELECT s.block, b.at, s.job, s.role, s.amount::TEXT AS amount FROM slashes s ' +
      'JOIN blocks b ON b.number = s.block WHERE s.account = $1 ORDER BY s.block DESC, s.idx DESC LIMIT $2',
    [account, rows(limit)],
  );
  const jobs = await db.query(
    'SELECT job, kind, model_version, submitted, accepted, result, ended, outcome, ' +
      'escrow::TEXT AS escrow, provider_paid::TEXT AS provider_paid FROM jobs WHERE provider = $1 ' +
      'ORDER BY job DESC LIMIT $2',
    [account, rows(limit)],
  );
  return { provider: account, outcomes, ...earned, latency, slashes, jobs };
}

/**
 * Model versions trained on a dataset snapshot that a consent withdrawal later tainted: the
 * version, the snapshot, and the withdrawal (block, contribution).
 */
export async function withdrawnModels(db, { limit } = {}) {
  return db.query(
    'SELECT v.version, v.model, v.number, v.published, s.dataset, s.snapshot, ' +
      'w.block AS withdrawn, wb.at AS withdrawn_at, w.contribution, w.contributor ' +
      'FROM versions v JOIN version_snapshots s ON s.version = v.version ' +
      'JOIN withdrawals w ON w.dataset = s.dataset AND s.snapshot BETWEEN w.tainted_from AND w.tainted_through ' +
      'JOIN blocks wb ON wb.number = w.block ' +
      'WHERE w.block >= v.published ORDER BY w.block DESC, v.version LIMIT $1',
    [rows(limit)],
  );
}
