// The content store: inputs, outputs, model artifacts and dataset items, addressed by what they
// hold. A file's hash is BLAKE2b-256 of its bytes (the chain's own hash); a directory's is the root
// of a binary Merkle tree over its files in path order, so a dataset batch's root can be checked
// item by item. `put` copies into a local folder, `serve` serves that folder over HTTP, `get`
// fetches from http(s):// or file:// and refuses bytes whose hash or size differ.

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, lstat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative, sep, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, u8aConcat, stringToU8a } from '@polkadot/util';

/** Where `put` stores and `serve` serves from, unless told otherwise. */
export const DEFAULT_STORE = process.env.LINEAGE_STORE || join(homedir(), '.lineage', 'content');
/** The address `serve` listens on by default, and the base of the URIs `put` prints. */
export const DEFAULT_PORT = 8090;
export const DEFAULT_BASE_URL = `http://127.0.0.1:${DEFAULT_PORT}`;
/** The most `get` accepts unless told otherwise: 256 MiB. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
/** How long `get` waits for a source, in all, unless told otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A directory's list of files, in its folder in the store and at its URI. */
export const MANIFEST = 'manifest.json';

/**
 * A failure the reader can act on; its message says what and where. `transient` when asking
 * again later may succeed (the server did not answer, or answered with a server error), not
 * when the content itself is wrong.
 */
export class ContentError extends Error {
  constructor(message, { transient = false } = {}) {
    super(message);
    this.transient = transient;
  }
}

const hex = (u8a) => u8aToHex(u8a);
const bare = (hash) => hash.replace(/^0x/, '').toLowerCase();

/** BLAKE2b-256 of `bytes`, as 0x-hex. */
export const hashBytes = (bytes) => hex(blake2AsU8a(bytes, 256));

/** A directory's leaf for a file: BLAKE2b-256(0x00 ‖ path ‖ 0x00 ‖ file hash). */
export function leafHash(path, fileHash) {
  return blake2AsU8a(
    u8aConcat(new Uint8Array([0]), stringToU8a(path), new Uint8Array([0]), fromHex(fileHash)),
    256,
  );
}

function fromHex(hash) {
  const clean = bare(hash);
  if (!/^[0-9a-f]{64}$/.test(clean)) throw new ContentError(`“${hash}” is not a 32-byte hash`);
  return Uint8Array.from(clean.match(/../g).map((b) => parseInt(b, 16)));
}

/** An inner node: BLAKE2b-256(0x01 ‖ left ‖ right). */
const nodeHash = (left, right) => blake2AsU8a(u8aConcat(new Uint8Array([1]), left, right), 256);

/** The levels of the tree over `leaves`, bottom first; an odd last node moves up unchanged. */
function levels(leaves) {
  const out = [leaves];
  while (out.at(-1).length > 1) {
    const below = out.at(-1);
    const above = [];
    for (let i = 0; i < below.length; i += 2)
      above.push(i + 1 < below.length ? nodeHash(below[i], below[i + 1]) : below[i]);
    out.push(above);
  }
  return out;
}

/** Files sorted as the root orders them: by path, byte for byte (UTF-8). */
const byPath = (a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path));

/** The root over `files` (`{ path, hash }`, any order). */
export function directoryRoot(files) {
  if (!files.length) throw new ContentError('an empty directory has no content to address');
  const sorted = [...files].sort(byPath);
  return hex(levels(sorted.map((f) => leafHash(f.path, f.hash))).at(-1)[0]);
}

/** The sibling hashes that lead from `path`'s leaf to the root of `files`. */
export function itemProof(files, path) {
  const sorted = [...files].sort(byPath);
  let index = sorted.findIndex((f) => f.path === path);
  if (index === -1) throw new ContentError(`no file ${path} in the directory`);
  const proof = [];
  for (const level of levels(sorted.map((f) => leafHash(f.path, f.hash))).slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < level.length) proof.push({ left: sibling < index, hash: hex(level[sibling]) });
    index >>= 1;
  }
  return proof;
}

/** Whether a file with `fileHash` at `path` belongs to the directory of `root`, by `proof`. */
export function verifyItem(root, path, fileHash, proof) {
  let at = leafHash(path, fileHash);
  for (const step of proof)
    at = step.left ? nodeHash(fromHex(step.hash), at) : nodeHash(at, fromHex(step.hash));
  return hex(at) === hex(fromHex(root));
}

// ---- reading what is on disk ----

/** Every regular file under `dir`, with its path relative to it ('/'-separated). */
async function walk(dir, base = dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push({ full, path: relative(base, full).split(sep).join('/') });
    else throw new ContentError(`${full} is neither a file nor a directory (links are refused)`);
  }
  return out;
}

/**
 * What `path` (a file or a directory) would be stored as: its hash and size, and for a directory
 * its files (`{ path, hash, bytes }`, in root order).
 */
export async function describe(path) {
  let info;
  try {
    info = await lstat(path);
  } catch {
    throw new ContentError(`${path}: no such file or directory`);
  }
  if (info.isFile()) {
    const bytes = await readFile(path);
    return { kind: 'file', hash: hashBytes(bytes), bytes: bytes.length };
  }
  if (!info.isDirectory()) throw new ContentError(`${path} is neither a file nor a directory`);
  const files = [];
  for (const { full, path: rel } of await walk(path)) {
    const bytes = await readFile(full);
    files.push({ path: rel, hash: hashBytes(bytes), bytes: bytes.length, full });
  }
  files.sort(byPath);
  return {
    kind: 'directory',
    hash: directoryRoot(files),
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    files,
  };
}

/** The `ContentRef` the chain records for `described` content at `baseUrl`. */
export function contentRef(described, baseUrl = DEFAULT_BASE_URL) {
  const uri = `${baseUrl.replace(/\/+$/, '')}/${bare(described.hash)}${described.kind === 'directory' ? '/' : ''}`;
  return { hash: described.hash, uri, bytes: described.bytes };
}

const manifestOf = (described) => ({
  root: described.hash,
  bytes: described.bytes,
  files: described.files.map(({ path, hash, bytes }) => ({ path, hash, bytes })),
});

/**
 * Copies `path` into `store` under its hash (a directory as `<hash>/manifest.json` and
 * `<hash>/files/…`); returns its `ContentRef` at `baseUrl` and, for a directory, its item count.
 * Storing what is already there changes nothing.
 */
export async function put(path, { store = DEFAULT_STORE, baseUrl = DEFAULT_BASE_URL } = {}) {
  const described = await describe(path);
  await mkdir(store, { recursive: true });
  const target = join(store, bare(described.hash));
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    // Written aside, then moved in place: a store never holds half an entry.
    const temp = `${target}.part-${process.pid}`;
    await rm(temp, { recursive: true, force: true });
    if (described.kind === 'file') {
      await writeFile(temp, await readFile(path));
    } else {
      for (const f of described.files) {
        const to = join(temp, 'files', ...f.path.split('/'));
        await mkdir(dirname(to), { recursive: true });
        await writeFile(to, await readFile(f.full));
      }
      await writeFile(join(temp, MANIFEST), JSON.stringify(manifestOf(described), null, 2));
    }
    await rename(temp, target);
  }
  const ref = contentRef(described, baseUrl);
  return described.kind === 'directory' ? { ...ref, items: described.files.length } : ref;
}

// ---- fetching and checking ----

/** Reads `uri` (http, https or file) whole, refusing more than `maxBytes` or a slow source. */
async function fetchBytes(uri, { maxBytes, deadline }) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    throw new ContentError(`“${uri}” is not a URI: use http://, https:// or file://`);
  }
  const left = () => Math.max(1, deadline - Date.now());
  if (url.protocol === 'file:') {
    const path = fileURLToPath(url);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new ContentError(`${uri}: no such file`);
    if (info.size > maxBytes) throw tooBig(uri, info.size, maxBytes);
    return readFile(path);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ContentError(
      `${uri}: the ${url.protocol.replace(':', '')} scheme is not fetched here; use http://, https:// or file://`,
    );
  }
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), left());
  try {
    let res;
    try {
      res = await fetch(url, { signal: abort.signal, redirect: 'follow' });
    } catch (e) {
      if (abort.signal.aborted) throw timedOut(uri);
      throw new ContentError(`${uri}: ${e.cause?.code ?? e.message} (is the store served?)`, {
        transient: true,
      });
    }
    if (!res.ok)
      throw new ContentError(`${uri}: the server answered HTTP ${res.status}`, {
        transient: res.status >= 500 || res.status === 429,
      });
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) throw tooBig(uri, declared, maxBytes);
    const chunks = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > maxBytes) {
          abort.abort();
          throw tooBig(uri, size, maxBytes);
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof ContentError) throw e;
      if (abort.signal.aborted) throw timedOut(uri);
      throw new ContentError(`${uri}: the transfer broke off (${e.message})`);
    }
    return Buffer.concat(chunks.map((c) => Buffer.from(c)));
  } finally {
    clearTimeout(timer);
  }
}

const tooBig = (uri, size, max) =>
  new ContentError(
    `${uri}: ${size.toLocaleString('en-US')} bytes or more, over the limit of ${max.toLocaleString('en-US')} (raise it with --max-bytes)`,
  );
const timedOut = (uri) =>
  new ContentError(`${uri}: no complete answer in time (raise the limit with --timeout)`, {
    transient: true,
  });

/**
 * Fetches the content at `uri` and checks it is what `hash` (and `bytes`, when given) names: a
 * file's bytes, or, at a URI ending in '/', a directory's manifest and every file in it. Returns
 * `{ kind, hash, bytes, data }` for a file, `{ kind, hash, bytes, files }` (each with `data`)
 * for a directory; refuses anything else with a `ContentError` saying what differs.
 */
export async function get(
  uri,
  hash,
  { bytes, maxBytes = DEFAULT_MAX_BYTES, timeoutMs = DEFAULT_TIMEOUT_MS } = {},
) {
  const expected = hex(fromHex(hash));
  const limits = { maxBytes, deadline: Date.now() + timeoutMs };
  if (!uri.endsWith('/')) {
    const data = await fetchBytes(uri, limits);
    const got = hashBytes(data);
    if (got !== expected)
      throw new ContentError(`${uri}: the bytes hash to ${got}, not ${expected}; refused`);
    if (bytes !== undefined && data.length !== Number(bytes))
      throw new ContentError(`${uri}: ${data.length} bytes, not the ${bytes} recorded; refused`);
    return { kind: 'file', hash: got, bytes: data.length, data };
  }
  let manifest;
  try {
    manifest = JSON.parse((await fetchBytes(uri + MANIFEST, limits)).toString('utf8'));
  } catch (e) {
    if (e instanceof ContentError) throw e;
    throw new ContentError(`${uri}${MANIFEST}: not a directory manifest (${e.message})`);
  }
  if (!Array.isArray(manifest.files) || !manifest.files.length)
    throw new ContentError(`${uri}${MANIFEST}: lists no files`);
  const root = directoryRoot(manifest.files);
  if (root !== expected)
    throw new ContentError(`${uri}: the listed files have root ${root}, not ${expected}; refused`);
  const total = manifest.files.reduce((sum, f) => sum + Number(f.bytes), 0);
  if (bytes !== undefined && total !== Number(bytes))
    throw new ContentError(`${uri}: ${total} bytes in all, not the ${bytes} recorded; refused`);
  if (total > maxBytes) throw tooBig(uri, total, maxBytes);
  const files = [];
  for (const f of manifest.files) {
    if (!safePath(f.path)) throw new ContentError(`${uri}: the manifest names ${f.path}; refused`);
    const data = await fetchBytes(
      uri + 'files/' + f.path.split('/').map(encodeURIComponent).join('/'),
      limits,
    );
    const got = hashBytes(data);
    if (got !== hex(fromHex(f.hash)) || data.length !== Number(f.bytes))
      throw new ContentError(`${uri}: item ${f.path} is not what the root commits to; refused`);
    files.push({ path: f.path, hash: got, bytes: data.length, data });
  }
  return { kind: 'directory', hash: root, bytes: total, files };
}

/** Writes what `get` returned to `out` (a file, or a directory of files). */
export async function save(content, out) {
  if (content.kind === 'file') {
    await mkdir(dirname(resolve(out)), { recursive: true });
    await writeFile(out, content.data);
    return;
  }
  for (const f of content.files) {
    const to = join(out, ...f.path.split('/'));
    await mkdir(dirname(to), { recursive: true });
    await writeFile(to, f.data);
  }
}

/** A relative path with no way out of its directory. */
function safePath(path) {
  if (typeof path !== 'string' || path === '' || path.includes('\0') || path.startsWith('/'))
    return false;
  const normal = posix.normalize(path);
  return normal === path && !normal.split('/').includes('..');
}

// ---- serving ----

/**
 * Serves `store` read-only over HTTP on `host:port` (0: any free port): `/<hash>` for a file,
 * `/<hash>/manifest.json` and `/<hash>/files/<path>` for a directory. Resolves to the server and
 * its base URL once it listens.
 */
export async function serve({
  store = DEFAULT_STORE,
  port = DEFAULT_PORT,
  host = '127.0.0.1',
} = {}) {
  await mkdir(store, { recursive: true });
  const root = resolve(store);
  const server = createServer(async (req, res) => {
    const notFound = (why = 'not found') =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end(why);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    // A path with a dot segment is refused as written, before any URL parser resolves it.
    if (/(^|\/)(\.|%2e){1,2}(\/|\?|$)/i.test(req.url)) return notFound();
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://store').pathname).replace(/^\/+/, '');
    } catch {
      return notFound();
    }
    const [entry, ...rest] = path.split('/');
    if (!/^[0-9a-f]{64}$/.test(entry ?? '')) return notFound();
    const inner = rest.join('/');
    if (inner !== '' && inner !== MANIFEST && !(inner.startsWith('files/') && safePath(inner)))
      return notFound();
    const full = join(root, entry, ...(inner ? inner.split('/') : []));
    if (!full.startsWith(root + sep)) return notFound();
    const info = await stat(full).catch(() => null);
    if (!info?.isFile()) return notFound();
    res.writeHead(200, {
      'content-type': inner === MANIFEST ? 'application/json' : 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(full).pipe(res);
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  return { server, url: `http://${host}:${server.address().port}` };
}
