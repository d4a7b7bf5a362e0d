// Command-line arguments: splitting argv into flags and positionals, and turning each value into
// what the chain expects for its type, refusing bad input before anything is signed.

import { hexToU8a } from '@polkadot/util';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { chainSs58 } from '../lib/units.js';

/** A bad argument: reported with exit code 2, before anything is signed. */
export class ArgError extends Error {}

/** Flags that take no value. */
const SWITCHES = new Set(['json', 'exact', 'help', 'write', 'prove', 'reference', 'once']);

/** Items a listing returns when `--limit` is not given: a full page of the runtime APIs. */
export const DEFAULT_LIMIT = 100;

/**
 * Splits `argv` into positionals and flags (`--name value`, `--name=value`, `-h`).
 * Flag names are kept as written (kebab-case).
 */
export function splitArgs(argv) {
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      flags.help = true;
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) flags[name] = arg.slice(eq + 1);
      else if (SWITCHES.has(name)) flags[name] = true;
      else if (i + 1 < argv.length) flags[name] = argv[++i];
      else throw new ArgError(`--${name} needs a value`);
    } else {
      positional.push(arg);
    }
  }
  return { positional, flags };
}

/** `create_dataset` / `createDataset` → `create-dataset`. */
export function kebab(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** `create-dataset` / `create_dataset` → `createDataset`. */
export function camel(name) {
  return name.replace(/[-_]([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/**
 * An amount of tokens written in whole units with up to `decimals` decimals ("10", "0.5") →
 * plancks as a bigint.
 */
export function parseAmount(raw, decimals, symbol = 'LIN') {
  const text = String(raw).trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new ArgError(`"${text}" is not an amount of ${symbol} (write e.g. 10 or 0.25)`);
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw new ArgError(`"${text}" has ${fraction.length} decimals; ${symbol} has ${decimals}`);
  }
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/**
 * An account written as an SS58 address (of any network's prefix) or as its 32-byte public key
 * in hex (`0x` and 64 hex digits) → its SS58 address with the chain's prefix `ss58`.
 */
export function parseAccount(raw, ss58) {
  const text = String(raw).trim();
  const advice =
    'write its SS58 address (e.g. 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty) or its 32-byte public key (0x and 64 hex digits)';
  let bytes;
  if (/^0x/i.test(text)) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
      const digits = text.length - 2;
      throw new ArgError(`"${text}" is not an account: ${digits} hex digits, not 64; ${advice}`);
    }
    bytes = hexToU8a(text);
  } else {
    try {
      bytes = decodeAddress(text);
    } catch {
      throw new ArgError(`"${text}" is not an account: ${advice}`);
    }
    if (bytes.length !== 32)
      throw new ArgError(`"${text}" is not an account (it holds ${bytes.length} bytes); ${advice}`);
  }
  return encodeAddress(bytes, ss58);
}

/** A share written as a percentage ("30%", "12.5%") or in parts per billion → parts per billion. */
export function parsePerbill(raw) {
  const text = String(raw).trim();
  const percent = /^(\d+)(?:\.(\d{1,7}))?%$/.exec(text);
  let parts;
  if (percent)
    parts = BigInt(percent[1]) * 10_000_000n + BigInt((percent[2] ?? '').padEnd(7, '0') || '0');
  else if (/^\d+$/.test(text)) parts = BigInt(text);
  else throw new ArgError(`"${text}" is not a share (write e.g. 30% or parts per billion)`);
  if (parts > 1_000_000_000n) throw new ArgError(`"${text}" is more than 100%`);
  return Number(parts);
}

const UNSIGNED = { u8: 8n, u16: 16n, u32: 32n, u64: 64n, u128: 128n };

/**
 * The value of one argument of type `spec.type` (a type name as the chain's metadata gives it)
 * from its command-line text, checked by the chain's own type registry.
 *
 * Amounts (balance types) are in whole tokens with the chain's decimals, shares (`Perbill`) in
 * percent; hashes must be `0x` and exactly their length; accounts are SS58 addresses of any
 * prefix or 32-byte public keys in hex; structured values (structs, lists, enums with data) are
 * JSON, in which amounts are plancks.
 */
export function toArg(api, spec, raw, flag) {
  const where = `--${flag}`;
  if (raw === undefined) throw new ArgError(`missing ${where} (${spec.typeName || spec.type})`);
  if (spec.parse) return spec.parse(raw);
  let type = spec.type;
  const option = /^Option<(.+)>$/.exec(type);
  if (option) {
    if (['', 'none', 'null'].includes(String(raw).toLowerCase())) return null;
    type = option[1];
  }
  const compact = /^Compact<(.+)>$/.exec(type);
  if (compact) type = compact[1];
  const decimals = api.registry.chainDecimals[0] ?? 12;
  const symbol = api.registry.chainTokens[0] ?? 'LIN';
  const hashLength = fixedBytes(type);
  let value;
  try {
    if (isBalance(type, spec.typeName)) {
      value = parseAmount(raw, decimals, symbol);
    } else if (type === 'Perbill' || spec.typeName === 'Perbill') {
      value = parsePerbill(raw);
    } else if (UNSIGNED[type]) {
      if (!/^\d+$/.test(raw)) throw new ArgError(`"${raw}" is not a whole number`);
      value = BigInt(raw);
      if (value >= 1n << UNSIGNED[type]) throw new ArgError(`${raw} does not fit in ${type}`);
    } else if (type === 'bool') {
      if (!['true', 'false'].includes(raw)) throw new ArgError(`"${raw}" is not true or false`);
      value = raw === 'true';
    } else if (hashLength !== null) {
      if (!new RegExp(`^0x[0-9a-fA-F]{${2 * hashLength}}$`).test(raw)) {
        throw new ArgError(
          `"${raw}" is not a ${hashLength}-byte hash (0x and ${2 * hashLength} hex digits)`,
        );
      }
      value = raw;
    } else if (/AccountId|MultiAddress|LookupSource/.test(type)) {
      value = parseAccount(raw, chainSs58(api));
    } else if (/^[[{"]/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new ArgError(`not valid JSON: ${e.message}`);
      }
    } else {
      value = raw;
    }
    api.createType(spec.type, value);
    return value;
  } catch (e) {
    throw new ArgError(`${where}: ${plainTypeError(api, type, raw, e)}`);
  }
}

/**
 * What was wrong with `raw` as a `type`, in words: a name that is not one of an enum's variants
 * names them; any other error of the type registry loses its `createType(…)::` prefix.
 */
function plainTypeError(api, type, raw, e) {
  const first = e.message.split('\n')[0];
  if (e instanceof ArgError) return first;
  if (/unable to find '[^']*' in /.test(first) && !/^[[{]/.test(raw)) {
    let variants = null;
    try {
      variants = api.createType(type).defKeys;
    } catch {
      // Not an enum on its own: the registry's words below.
    }
    if (variants) return `"${raw}" is not one of ${variants.join(', ')}`;
  }
  return first.replace(/^createType\([^)]*\):: /, '');
}

function isBalance(type, typeName = '') {
  return type === 'u128' && (typeName === '' || /Balance/.test(typeName));
}

function fixedBytes(type) {
  if (type === 'H256') return 32;
  const m = /^\[u8;\s*(\d+)\]$/.exec(type);
  return m ? Number(m[1]) : null;
}

/**
 * The values of `specs` (in order) from flags (`--kebab-name`) or, for those not given as flags,
 * from the positionals in order; an optional one left out is `None`, a listing's `limit` a full
 * page.
 */
export function collectArgs(api, specs, positional, flags) {
  const rest = [...positional];
  const values = specs.map((spec) => {
    const flag = kebab(spec.name);
    const raw = flag in flags ? flags[flag] : rest.shift();
    if (raw === undefined && spec.type.startsWith('Option<')) return null;
    if (raw === undefined && spec.name === 'limit') return DEFAULT_LIMIT;
    return toArg(api, spec, raw, flag);
  });
  if (rest.length) throw new ArgError(`unexpected argument "${rest[0]}"`);
  return values;
}
