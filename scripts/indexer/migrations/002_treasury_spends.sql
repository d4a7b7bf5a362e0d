-- Treasury spends approved through `treasury.spend` (root track, or sudo on dev): who is to be
-- paid what. `treasury.payout` pays one later, with an event that names only its index; the
-- payout row is written from this table then.
CREATE TABLE treasury_spends (
  spend BIGINT PRIMARY KEY,
  block BIGINT NOT NULL REFERENCES blocks (number),
  beneficiary TEXT NOT NULL,
  amount NUMERIC(39, 0) NOT NULL,
  paid BIGINT REFERENCES blocks (number)
);
