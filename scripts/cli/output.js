// How the CLI prints chain values, events and errors: readable text by default, JSON with --json.

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

/** A codec value as people read it (balances with units, enums by name). */
export const human = (value) => convert(value, 'toHuman');

/** An event as `{ section, method, data }` with the data keyed by field name. */
export function eventRecord(event, format = plain) {
  const names = event.data.names;
  const data = names
    ? Object.fromEntries(names.map((name, i) => [fieldName(name), format(event.data[i])]))
    : event.data.map((d) => format(d));
  return { section: event.section, method: event.method, data };
}

/** One line per event: `section.Method  field: value  …`. */
export function eventLine(event) {
  const { section, method, data } = eventRecord(event, human);
  const fields = Array.isArray(data)
    ? data.map((d) => JSON.stringify(d)).join('  ')
    : Object.entries(data)
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('  ');
  return `  ${section}.${method}  ${fields}`.trimEnd();
}

/** Prints `value` as pretty JSON (both modes: readable text of a structure is its JSON). */
export function printValue(value) {
  console.log(JSON.stringify(value, null, 2));
}
