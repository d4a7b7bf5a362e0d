-- The history of a Lineage chain, one row per fact, written by `lineage indexer` from finalized
-- blocks, each block in one transaction. Accounts are 0x + 64 hex digits (any SS58 form maps to
-- one), amounts NUMERIC plancks, blocks their numbers. The same SQL runs on embedded PostgreSQL
-- (PGlite) and on a PostgreSQL server.

-- The chain indexed: a database holds one chain, checked at every start.
CREATE TABLE chain (
  id INT PRIMARY KEY CHECK (id = 1),
  genesis TEXT NOT NULL,
  name TEXT NOT NULL,
  ss58 INT NOT NULL,
  decimals INT NOT NULL,
  symbol TEXT NOT NULL
);

-- Every indexed block; the highest is where a restart resumes.
CREATE TABLE blocks (
  number BIGINT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  at TIMESTAMPTZ NOT NULL,
  era BIGINT NOT NULL,
  spec_version INT NOT NULL,
  events INT NOT NULL
);

-- Every event of Lineage's pallets and the treasury, its fields by name as `lineage … --json`
-- prints them (integers past 2^53 as decimal strings, accounts SS58).
CREATE TABLE events (
  block BIGINT NOT NULL REFERENCES blocks (number),
  idx INT NOT NULL,
  section TEXT NOT NULL,
  method TEXT NOT NULL,
  data JSONB NOT NULL,
  PRIMARY KEY (block, idx)
);
CREATE INDEX events_by_name ON events (section, method, block);

-- Ended eras (rewards.NewEra of the next era), keyed as RewardsApi.eras keys them: `block` is the
-- next era's first block, where the emission for this era's fees was minted.
CREATE TABLE eras (
  era BIGINT PRIMARY KEY,
  block BIGINT NOT NULL REFERENCES blocks (number),
  fees_paid NUMERIC(39, 0) NOT NULL,
  alpha_ppb BIGINT NOT NULL,
  demand NUMERIC(39, 0) NOT NULL,
  schedule NUMERIC(39, 0) NOT NULL,
  minted NUMERIC(39, 0) NOT NULL,
  treasury NUMERIC(39, 0) NOT NULL,
  held_back NUMERIC(39, 0) NOT NULL,
  bound TEXT,
  unshared_paid NUMERIC(39, 0) NOT NULL DEFAULT 0
);

-- Jobs and their responsibility records, from their events and the record as it ended.
CREATE TABLE jobs (
  job BIGINT PRIMARY KEY,
  requester TEXT NOT NULL,
  kind TEXT NOT NULL,
  model_version BIGINT NOT NULL,
  escrow NUMERIC(39, 0) NOT NULL,
  deadline BIGINT NOT NULL,
  submitted BIGINT NOT NULL,
  provider TEXT,
  collateral NUMERIC(39, 0),
  accepted BIGINT,
  result BIGINT,
  challenger TEXT,
  challenged BIGINT,
  verdict TEXT,
  arbiter TEXT,
  ended BIGINT,
  ended_era BIGINT,
  outcome TEXT,
  settled BOOLEAN NOT NULL DEFAULT FALSE,
  provider_paid NUMERIC(39, 0),
  owner TEXT,
  owner_paid NUMERIC(39, 0),
  data_paid NUMERIC(39, 0),
  treasury_paid NUMERIC(39, 0),
  refunded NUMERIC(39, 0)
);
CREATE INDEX jobs_by_provider ON jobs (provider, job);
CREATE INDEX jobs_by_requester ON jobs (requester, job);
CREATE INDEX jobs_by_version ON jobs (model_version, job);
CREATE INDEX jobs_by_end ON jobs (ended_era);

-- What each settled job paid each dataset (compute.JobSettled).
CREATE TABLE job_datasets (
  job BIGINT NOT NULL REFERENCES jobs (job),
  dataset BIGINT NOT NULL,
  amount NUMERIC(39, 0) NOT NULL,
  block BIGINT NOT NULL,
  PRIMARY KEY (job, dataset)
);
CREATE INDEX job_datasets_by_dataset ON job_datasets (dataset, block);

-- Every amount paid to an account: each payout of a job's record when it ended (kind provider,
-- model owner, challenger, refund, treasury, dataset), contributors' claims (kind contributor,
-- with the emission part), owners' and providers' emission claims (kind emission), the
-- treasury's emission and unshared revenue, treasury spends.
CREATE TABLE payouts (
  block BIGINT NOT NULL REFERENCES blocks (number),
  idx INT NOT NULL,
  seq INT NOT NULL,
  era BIGINT NOT NULL,
  account TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount NUMERIC(39, 0) NOT NULL,
  emission NUMERIC(39, 0) NOT NULL DEFAULT 0,
  job BIGINT,
  dataset BIGINT,
  PRIMARY KEY (block, idx, seq)
);
CREATE INDEX payouts_by_account ON payouts (account, block);
CREATE INDEX payouts_by_era ON payouts (era, kind);

-- Slashes: a provider's collateral or a challenger's bond.
CREATE TABLE slashes (
  block BIGINT NOT NULL REFERENCES blocks (number),
  idx INT NOT NULL,
  job BIGINT NOT NULL,
  account TEXT NOT NULL,
  role TEXT NOT NULL,
  amount NUMERIC(39, 0) NOT NULL,
  PRIMARY KEY (block, idx)
);
CREATE INDEX slashes_by_account ON slashes (account, block);

-- Model versions and the dataset snapshots they were trained on (their attribution table).
CREATE TABLE versions (
  version BIGINT PRIMARY KEY,
  model BIGINT NOT NULL,
  number INT NOT NULL,
  publisher TEXT NOT NULL,
  parent BIGINT,
  price NUMERIC(39, 0) NOT NULL,
  published BIGINT NOT NULL,
  revoked BIGINT
);
CREATE TABLE version_snapshots (
  version BIGINT NOT NULL REFERENCES versions (version),
  dataset BIGINT NOT NULL,
  snapshot BIGINT NOT NULL,
  share_ppb BIGINT NOT NULL,
  PRIMARY KEY (version, dataset, snapshot)
);
CREATE INDEX version_snapshots_by_snapshot ON version_snapshots (dataset, snapshot);

-- Consent withdrawals and the snapshots each one tainted.
CREATE TABLE withdrawals (
  block BIGINT NOT NULL REFERENCES blocks (number),
  idx INT NOT NULL,
  dataset BIGINT NOT NULL,
  contribution BIGINT NOT NULL,
  contributor TEXT NOT NULL,
  points_removed NUMERIC(39, 0) NOT NULL,
  tainted_from BIGINT,
  tainted_through BIGINT,
  PRIMARY KEY (block, idx)
);
CREATE INDEX withdrawals_by_dataset ON withdrawals (dataset, tainted_from);

-- Accepted contributions, for a dataset's growth over time.
CREATE TABLE contributions (
  dataset BIGINT NOT NULL,
  contribution BIGINT NOT NULL,
  contributor TEXT NOT NULL,
  points NUMERIC(39, 0) NOT NULL,
  block BIGINT NOT NULL REFERENCES blocks (number),
  PRIMARY KEY (dataset, contribution)
);
CREATE INDEX contributions_by_contributor ON contributions (contributor, block);
