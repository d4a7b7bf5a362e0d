// What every page of the explorer is built from: elements, tables, amounts, and a link for every
// id, account and block, so that anything the page names can be opened.

import { decodeAddress, encodeAddress, blake2AsU8a } from '@polkadot/util-crypto';
import { isHex } from '@polkadot/util';
import { formatAmount } from '../lib/units.js';

/** The connection and what the page knows about the chain. */
export const state = {
  api: null,
  decimals: 12,
  symbol: 'LIN',
  ss58: 42,
  block: null,
  /** Reading through a light client: every value proven at the finalized block `block`. */
  verified: false,
  plot: null,
  /** Address → name of the chain's own accounts. */
  names: new Map(),
};

/** A mistake in what the reader typed: shown as it is, in plain words. */
export class UserError extends Error {}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name.startsWith('on')) node[name] = value;
    else if (value !== null && value !== undefined && value !== false)
      node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function section(title, ...children) {
  return el('section', {}, el('h2', {}, title), ...children);
}

/** A table that scrolls sideways on a narrow screen instead of widening the page. */
export function table(headers, rows, { id, foot } = {}) {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { id },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          headers.map((h) => el('th', { class: h.num ? 'num' : null }, h.label ?? h)),
        ),
      ),
      el('tbody', {}, rows),
      foot ? el('tfoot', {}, foot) : null,
    ),
  );
}

/** Label → value pairs, as a small two-column table. */
export function facts(pairs, id) {
  return el(
    'div',
    { class: 'scroll' },
    el(
      'table',
      { id, class: 'facts' },
      el(
        'tbody',
        {},
        pairs
          .filter((p) => p)
          .map(([k, v]) => el('tr', { 'data-fact': k }, el('th', {}, k), el('td', {}, v))),
      ),
    ),
  );
}

export function figure(label, value, attrs = {}) {
  return el('div', { class: 'figure' }, label, el('b', attrs, value));
}

export const num = (value) => el('td', { class: 'num' }, value);
export const count = (n) => Number(n.toString()).toLocaleString('en-US');

/** An amount as "1,234.5678 LIN" (four decimals), the exact value on hover. */
export function amount(plancks) {
  const value = BigInt(plancks.toString());
  return el(
    'span',
    {
      class: 'amount',
      'data-plancks': value.toString(),
      title: `${formatAmount(value, state.decimals, { exact: true })} ${state.symbol}`,
    },
    `${formatAmount(value, state.decimals)} ${state.symbol}`,
  );
}

export const money = (value) =>
  el('td', { class: 'num', 'data-plancks': value.toString() }, amount(value));

/** Perbill parts → "12.5%". */
export const percent = (parts, digits = 1) =>
  `${(Number(parts.toString()) / 1e7).toFixed(digits)}%`;

// ---- links ----

export const href = (view, params = {}) => {
  const query = new URLSearchParams(
    Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''),
  ).toString();
  return `#${view}${query ? '?' + query : ''}`;
};

/** Opens `view` with `params`. */
export const go = (view, params = {}) => {
  location.hash = href(view, params);
};

const link = (view, params, text, kind, id) =>
  el('a', { href: href(view, params), 'data-link': kind, 'data-id': id }, text);

/** A block as a link to it, or, for a block not yet produced, its number and how far off it is. */
export function blockLink(n) {
  const number = Number(n);
  if (state.block !== null && number > state.block) {
    return el(
      'span',
      { class: 'future', title: 'not produced yet' },
      `#${count(number)} (in ${count(number - state.block)} blocks)`,
    );
  }
  return link('block', { id: number }, `#${count(number)}`, 'block', String(number));
}
export const datasetLink = (id) =>
  link('datasets', { dataset: id }, `dataset ${id}`, 'dataset', id);
export const modelLink = (id) => link('model', { id }, `model ${id}`, 'model', id);
export const versionLink = (id) => link('lineage', { version: id }, `version ${id}`, 'version', id);
export const jobLink = (id) => link('jobs', { job: id }, `job ${id}`, 'job', id);
export const snapshotText = (dataset, version) => [datasetLink(dataset), ` · snapshot ${version}`];
export const extrinsicLink = (block, index, hash) =>
  link('extrinsic', { block, index }, `${count(block)}-${index}`, 'extrinsic', hash);

/** An address in the chain's format (SS58 with its prefix). */
export const address = (who) => encodeAddress(decodeAddress(who.toString()), state.ss58);

/** "5Grwva…utQY", or the chain's name for one of its own accounts. */
export function shortAddress(who) {
  const full = address(who);
  return state.names.get(full) ?? `${full.slice(0, 6)}…${full.slice(-4)}`;
}

/** An account as a link to its page: identicon, short address or name, the full one on hover. */
export function accountLink(who) {
  const full = address(who);
  return el(
    'a',
    {
      href: href('account', { id: full }),
      class: 'account',
      title: full,
      'data-link': 'account',
      'data-id': full,
    },
    identicon(full),
    shortAddress(full),
  );
}

export const accountCell = (who) => el('td', {}, who ? accountLink(who) : '—');

/**
 * A 5×5 symmetric pattern in one colour, both from the address's hash: the same account always
 * looks the same, two accounts rarely alike.
 */
export function identicon(who, size = 16) {
  const hash = blake2AsU8a(decodeAddress(who), 256);
  const hue = ((hash[0] << 8) | hash[1]) % 360;
  const cells = [];
  for (let row = 0; row < 5; row++) {
    for (let col = 0; col < 3; col++) {
      if (hash[2 + row * 3 + col] % 2 === 0) continue;
      for (const x of new Set([col, 4 - col]))
        cells.push(`<rect x="${x}" y="${row}" width="1" height="1"/>`);
    }
  }
  const icon = el('span', { class: 'identicon', 'aria-hidden': 'true' });
  icon.innerHTML =
    `<svg viewBox="-0.5 -0.5 6 6" width="${size}" height="${size}">` +
    `<rect x="-0.5" y="-0.5" width="6" height="6" rx="1" fill="hsl(${hue},45%,92%)"/>` +
    `<g fill="hsl(${hue},55%,42%)">${cells.join('')}</g></svg>`;
  return icon;
}

// ---- reading what the reader typed ----

/** "a dataset", "an account". */
const article = (what) => `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;

/** An account from any address form: SS58 (any prefix) or 0x and 64 hex digits. */
export function parseAccount(text, what = 'account') {
  const value = String(text ?? '').trim();
  if (value === '') throw new UserError(`Enter ${article(what)} address.`);
  if (isHex(value) && value.length !== 66) {
    throw new UserError(
      `“${value}” is not ${article(what)}: a hex account is 0x and 64 hex digits (32 bytes).`,
    );
  }
  try {
    return encodeAddress(decodeAddress(value), state.ss58);
  } catch {
    throw new UserError(
      `“${value}” is not ${article(what)} address: use an SS58 address (like 5GrwvaEF…) or 0x and 64 hex digits.`,
    );
  }
}

/** A whole number id (a dataset, model, version, job, block). */
export function parseId(text, what) {
  const value = String(text ?? '')
    .trim()
    .replace(/^#/, '')
    .replace(/,/g, '');
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
    throw new UserError(
      `“${text}” is not ${article(what)} number: use a whole number such as 0 or 12.`,
    );
  }
  return Number(value);
}

/** Every item of a paged runtime-API listing (`Page { items, next }`). */
export async function allPages(fetchPage, limit = 1_000) {
  const items = [];
  let cursor = null;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (page.next.isNone || items.length >= limit) return items;
    cursor = page.next.unwrap();
  }
}
