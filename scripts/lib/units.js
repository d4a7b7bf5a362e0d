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

/** Decimals shown unless the exact value is asked for. */
export const SHOWN_DECIMALS = 4;

/** "1234567" → "1,234,567". */
const separated = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * Plancks → whole units as people read them: thousands separators, and at most four decimals
 * (rounded half away from zero) unless `exact`; an amount under 0.0001 keeps four significant
 * digits, so nothing non-zero prints as 0. Trailing zeros are dropped: "10,000", "0.2691",
 * "0.000001234". With `exact`, every decimal the chain has (12.269073599945).
 */
export function formatAmount(plancks, decimals, { exact = false } = {}) {
  const value = BigInt(plancks);
  const sign = value < 0n ? '-' : '';
  let abs = value < 0n ? -value : value;
  const unit = 10n ** BigInt(decimals);
  let shown = decimals;
  if (!exact && decimals > SHOWN_DECIMALS) {
    shown = SHOWN_DECIMALS;
    // A small amount keeps four significant digits instead of rounding to zero.
    if (abs > 0n && abs < unit / 10n ** BigInt(SHOWN_DECIMALS)) {
      shown = Math.min(decimals, decimals - abs.toString().length + SHOWN_DECIMALS);
    }
    const drop = 10n ** BigInt(decimals - shown);
    abs = ((abs + drop / 2n) / drop) * drop;
  }
  const whole = abs / unit;
  const fraction = (abs % unit)
    .toString()
    .padStart(decimals, '0')
    .slice(0, shown)
    .replace(/0+$/, '');
  return `${sign}${separated(whole.toString())}${fraction ? '.' + fraction : ''}`;
}

/** Plancks → "1,234.5678 LIN": `formatAmount` with the token's symbol. */
export function formatBalance(plancks, decimals, symbol, options) {
  return `${formatAmount(plancks, decimals, options)} ${symbol}`;
}
