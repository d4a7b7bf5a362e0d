// Units and defaults shared by the CLI, the story and the tests.

/** Plancks in one LIN (12 decimals). */
export const LIN = 10n ** 12n;

/** Parts in a whole `Perbill` (100%). */
export const PERBILL = 1_000_000_000;

/** The endpoint a development node listens on, unless $LINEAGE_WS says otherwise. */
export const DEFAULT_WS = 'ws://127.0.0.1:9944';

/** The SS58 prefix addresses are written with before the chain says which (the generic 42). */
export const GENERIC_SS58 = 42;

/** The chain's SS58 prefix, from its properties (the generic prefix if it declares none). */
export function chainSs58(api) {
  return api.registry.chainSS58 ?? GENERIC_SS58;
}

/** Plancks → "12.5" in whole units (no trailing zeros). */
export function formatAmount(plancks, decimals) {
  const value = BigInt(plancks);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? '.' + fraction : ''}`;
}
