// How the CLI prints chain values, events and errors: readable text by default, JSON with --json.
//
// Readable values follow the chain's own types (the metadata's type registry), not field names:
// an integer whose Rust type name mentions `Balance` is an amount and prints with the token's
// unit ("1,234.5 LIN"; every decimal with --exact), an account prints as its address, with the
// name of the chain's own accounts ("5EYCAe5… (Treasury)"), a share as a percentage, a
// fixed-point rate as a decimal, a pallet error by name and doc line. JSON keeps amounts in plancks, as decimal strings.

import { chainAccounts } from '../lib/accounts.js';
import { describeError } from '../lib/api.js';
import { formatBalance } from '../lib/units.js';

/** `value` with every codec in it turned into plain data by its `method` (`toPrimitive`, `toHuman`). */
function convert(value, method) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value[method] === 'function') return value[method]();
  if (Array.isArray(value)) return value.map((v) => convert(v, method));
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, method)]));
  return value;
}

/** @polkadot/api renames fields that clash with its own (`hash` → `hash_`): the chain's name. */
const fieldName = (name) => name.replace(/_$/, '');

/** `value` with every field under the chain's name. */
function restoreNames(value) {
  if (Array.isArray(value)) return value.map(restoreNames);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [fieldName(k), restoreNames(v)]));
}

/** A codec value (or plain value) as plain JSON: big integers as decimal strings. */
export const plain = (value) => restoreNames(convert(value, 'toPrimitive'));

/** An event as `{ section, method, data }` with the data keyed by field name, in plain JSON. */
export function eventRecord(event) {
  const names = event.data.names;
  const data = names
    ? Object.fromEntries(names.map((name, i) => [fieldName(name), plain(event.data[i])]))
    : event.data.map((d) => plain(d));
  return { section: event.section, method: event.method, data };
}

/** Parts in a whole of each `sp_arithmetic` share type. */
const PER_THINGS = {
  Percent: 100n,
  Permill: 1_000_000n,
  Perbill: 1_000_000_000n,
  Perquintill: 1_000_000_000_000_000_000n,
};

/** Parts of `whole` as a percentage with at most 4 decimals: "12.5%". */
function percent(parts, whole) {
  const scaled = (parts * 1_000_000n + whole / 2n) / whole; // in 1/10,000 of a percent
  const fraction = (scaled % 10_000n).toString().padStart(4, '0').replace(/0+$/, '');
  return `${scaled / 10_000n}${fraction ? '.' + fraction : ''}%`;
}

/** Decimals of each `sp_arithmetic` fixed-point type. */
const FIXED_POINT = { FixedU64: 9, FixedI64: 9, FixedU128: 18, FixedI128: 18 };

/** A fixed-point number's inner value as a decimal: "0.089998148". */
function fixedPoint(inner, decimals) {
  const sign = inner < 0n ? '-' : '';
  const abs = inner < 0n ? -inner : inner;
  const unit = 10n ** BigInt(decimals);
  const fraction = (abs % unit).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${sign}${abs / unit}${fraction ? '.' + fraction : ''}`;
}

/** An integer type of the metadata's primitives. */
const INTEGERS = /^[UI](8|16|32|64|128|256)$/;

/**
 * How values read for people, for a connected `api`: `amount(plancks)`, `account(address)`,
 * `value(codec, typeId, typeName)` (a codec of the metadata type `typeId`, walked along its
 * definition) and `event(event)` (one line). With `exact`, amounts show every decimal.
 */
export function readable(api, { exact = false } = {}) {
  const { registry } = api;
  const decimals = registry.chainDecimals[0] ?? 12;
  const symbol = registry.chainTokens[0] ?? 'UNIT';
  const names = chainAccounts(api);

  const amount = (plancks) =>
    formatBalance(BigInt(plancks.toString()), decimals, symbol, { exact });
  const account = (address) => {
    const text = address.toString();
    const name = names.get(text);
    return name ? `${text} (${name})` : text;
  };

  /**
   * An integer is an amount when the Rust type it was declared with mentions `Balance`, or,
   * with no type name to say (a tuple's element, a runtime API's result), when it is a `u128`:
   * this chain's balance type, and the only `u128` its APIs return.
   */
  const isAmount = (primitive, typeName) =>
    typeName ? /Balance/.test(typeName) : primitive === 'U128';

  function value(codec, typeId, typeName = '') {
    if (codec === null || codec === undefined) return null;
    try {
      return walk(codec, typeId, typeName);
    } catch {
      return codec.toHuman?.() ?? String(codec);
    }
  }

  function walk(codec, typeId, typeName) {
    const type = registry.lookup.getSiType(typeId);
    const path = type.path.map((p) => p.toString());
    const last = path[path.length - 1];
    const def = type.def;
    if (last === 'AccountId32') return account(codec);
    if (path[0] === 'primitive_types') return codec.toHex();
    if (path[0] === 'sp_arithmetic' && PER_THINGS[last])
      return percent(BigInt(codec.toString()), PER_THINGS[last]);
    if (path[0] === 'sp_arithmetic' && FIXED_POINT[last])
      return fixedPoint(BigInt(codec.toString()), FIXED_POINT[last]);
    if (path.join('::') === 'sp_runtime::DispatchError') {
      const { name, docs } = describeError(api, codec);
      return docs ? `${name}: ${docs}` : name;
    }
    if (last === 'Option' && path.length === 1) {
      if (codec.isNone) return null;
      return value(codec.unwrap(), def.asVariant.variants[1].fields[0].type, typeName);
    }
    if (def.isCompact) return value(codec.unwrap(), def.asCompact.type, typeName);
    if (def.isPrimitive) {
      const primitive = def.asPrimitive.type;
      if (INTEGERS.test(primitive) && isAmount(primitive, typeName)) return amount(codec);
      return codec.toPrimitive();
    }
    if (def.isSequence || def.isArray) {
      const element = def.isSequence ? def.asSequence.type : def.asArray.type;
      const elementDef = registry.lookup.getSiType(element).def;
      if (elementDef.isPrimitive && elementDef.asPrimitive.type === 'U8')
        return def.isSequence ? codec.toHuman() : codec.toHex();
      return [...codec].map((v) => value(v, element, typeName));
    }
    if (def.isTuple) return def.asTuple.map((id, i) => value(codec[i], id));
    if (def.isComposite) return composite(codec, path, type, typeName);
    if (def.isVariant && typeof codec.type === 'string') {
      const variant = def.asVariant.variants.find((v) => v.name.toString() === codec.type);
      const inner = fields(codec.inner ?? codec.value, variant.fields, typeName);
      return inner === null ? codec.type : { [codec.type]: inner };
    }
    return codec.toHuman();
  }

  function composite(codec, path, type, typeName) {
    const last = path[path.length - 1];
    if ((last === 'BTreeMap' || last === 'BoundedBTreeMap') && type.params.length === 2) {
      const [key, val] = type.params.map((p) => p.type.unwrap());
      return Object.fromEntries(
        [...codec.entries()].map(([k, v]) => [String(value(k, key)), value(v, val, typeName)]),
      );
    }
    if ((last === 'BTreeSet' || last === 'BoundedBTreeSet') && type.params.length === 1)
      return [...codec.values()].map((v) => value(v, type.params[0].type.unwrap(), typeName));
    return fields(codec, type.def.asComposite.fields, typeName);
  }

  /** The fields of a struct (by name), a tuple (in order), or the one value a wrapper holds. */
  function fields(codec, list, typeName) {
    if (list.length === 0) return null;
    const nameOf = (f) => (f.typeName.isSome ? f.typeName.unwrap().toString() : '');
    if (list.length === 1 && list[0].name.isNone) {
      const only = registry.lookup.getSiType(list[0].type).def;
      if (only.isTuple && only.asTuple.length === 0) return null;
      return value(codec, list[0].type, typeName || nameOf(list[0]));
    }
    if (list[0].name.isNone) return list.map((f, i) => value(codec[i], f.type, nameOf(f)));
    const entries = [...codec.entries()];
    return Object.fromEntries(
      list.map((f, i) => [fieldName(entries[i][0]), value(entries[i][1], f.type, nameOf(f))]),
    );
  }

  /** One line per event: `section.Method  field: value  …`, each field read by its type. */
  function event(ev) {
    const shown = ev.meta.fields.map((f, i) => {
      const text = value(
        ev.data[i],
        f.type,
        f.typeName.isSome ? f.typeName.unwrap().toString() : '',
      );
      const written = typeof text === 'string' ? text : JSON.stringify(text);
      return f.name.isSome
        ? `${fieldName(ev.data.names?.[i] ?? f.name.toString())}: ${written}`
        : written;
    });
    return `  ${ev.section}.${ev.method}  ${shown.join('  ')}`.trimEnd();
  }

  return { amount, account, value, event, exact };
}

/**
 * The metadata type of what the runtime-API method `section.method` returns (`api.call`'s names,
 * e.g. `rewardsApi`, `pending`).
 */
export function resultType(api, section, method) {
  const [apiName, methodName] = api.call[section][method].meta.name.split(/_(.*)/s);
  const found = api.registry.metadata.apis
    .find((a) => a.name.toString() === apiName)
    ?.methods.find((m) => m.name.toString() === methodName);
  return found ? found.output.toNumber() : null;
}

/** The metadata type of a storage entry's value (`api.query.<pallet>.<item>`). */
export function storageType(entry) {
  const { type } = entry.creator.meta;
  return (type.isMap ? type.asMap.value : type.asPlain).toNumber();
}

/** Prints `value` as pretty JSON (both modes: readable text of a structure is its JSON). */
export function printValue(value) {
  console.log(JSON.stringify(value, null, 2));
}
