// The content store as people use it (`lineage content put | hash | serve | get`, each run as a
// child process): a file and a directory stored under their hashes, served, fetched back over
// HTTP and file:// byte for byte, and everything that differs from what the hash names refused in
// one plain line with nothing written: another hash, another size, a tampered item, too many
// bytes, a source too slow, a missing one, a scheme not fetched here. Needs no node.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, request } from 'node:http';
import {
  mkdtempSync,
  mkdirSync,
  writeFileSync,
  readFileSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, u8aConcat, stringToU8a, hexToU8a } from '@polkadot/util';
import { directoryRoot, itemProof, verifyItem } from '../lib/content.js';
import { freePort } from '../lib/node.js';
import { serveStore } from './helpers.js';

const cliPath = fileURLToPath(new URL('../cli/lineage.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'lineage-content-'));
const store = join(work, 'store');

/** Runs `lineage content …`; resolves { code, stdout, stderr }. */
function content(...args) {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, 'content', ...args],
      { env: { ...process.env, LINEAGE_STORE: store }, timeout: 60_000, encoding: 'buffer' },
      (error, stdout, stderr) =>
        resolve({ code: error ? error.code : 0, stdout, stderr: stderr.toString() }),
    );
  });
}

const json = (res) => JSON.parse(res.stdout.toString());

/** Refused in one plain line, exit 1, matching `reason`. */
function refused(res, reason) {
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /^error: [^\n]+\n$/, res.stderr);
  assert.match(res.stderr, reason);
}

const blake = (bytes) => u8aToHex(blake2AsU8a(bytes, 256));

// A dataset batch: three items, one in a subfolder.
const items = {
  'a.txt': 'the cat sat on the mat\n',
  'b.txt': 'the dog sat on the log\n',
  'more/c.txt': 'a cat and a dog\n',
};
const batch = join(work, 'batch');
const single = join(work, 'prompt.txt');
let port;
let served;

before(async () => {
  for (const [path, text] of Object.entries(items)) {
    mkdirSync(join(batch, ...path.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(batch, ...path.split('/')), text);
  }
  writeFileSync(single, 'once upon a time');
  ({ child: served, port } = await serveStore(store));
});

after(() => served?.kill('SIGINT'));

test('a file is stored under BLAKE2b-256 of its bytes, and comes back byte for byte', async () => {
  const put = await content('put', single, '--base-url', `http://127.0.0.1:${port}`);
  assert.equal(put.code, 0, put.stderr);
  const ref = json(put);
  const bytes = readFileSync(single);
  assert.equal(ref.hash, blake(bytes));
  assert.equal(ref.bytes, bytes.length);
  assert.equal(ref.uri, `http://127.0.0.1:${port}/${ref.hash.slice(2)}`);
  // Hashing again, or storing again, gives the same reference.
  assert.deepEqual(
    json(await content('hash', single, '--base-url', `http://127.0.0.1:${port}`)),
    ref,
  );
  assert.deepEqual(
    json(await content('put', single, '--base-url', `http://127.0.0.1:${port}`)),
    ref,
  );

  const got = await content('get', ref.uri, '--hash', ref.hash, '--bytes', String(ref.bytes));
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(got.stdout, bytes);
  const out = join(work, 'fetched.txt');
  const written = await content('get', ref.uri, '--hash', ref.hash, '--out', out);
  assert.equal(written.code, 0, written.stderr);
  assert.deepEqual(readFileSync(out), bytes);
  const local = await content('get', pathToFileURL(single).href, '--hash', ref.hash);
  assert.deepEqual(local.stdout, bytes);
});

test('a directory is the Merkle root of its files in path order, checked item by item', async () => {
  const ref = json(await content('put', batch, '--base-url', `http://127.0.0.1:${port}`));
  assert.equal(ref.items, 3);
  assert.equal(
    ref.bytes,
    Object.values(items).reduce((s, t) => s + Buffer.byteLength(t), 0),
  );
  assert.ok(ref.uri.endsWith(`/${ref.hash.slice(2)}/`));
  // The root, computed here from its definition: leaves BLAKE2b-256(0 ‖ path ‖ 0 ‖ file hash) in
  // path order, inner nodes BLAKE2b-256(1 ‖ left ‖ right), an odd one carried up.
  const leaf = (path) =>
    blake2AsU8a(
      u8aConcat([0], stringToU8a(path), [0], hexToU8a(blake(Buffer.from(items[path])))),
      256,
    );
  const node = (l, r) => blake2AsU8a(u8aConcat([1], l, r), 256);
  const [a, b, c] = ['a.txt', 'b.txt', 'more/c.txt'].map(leaf);
  assert.equal(ref.hash, u8aToHex(node(node(a, b), c)));

  const out = join(work, 'batch-out');
  const got = await content(
    'get',
    ref.uri,
    '--hash',
    ref.hash,
    '--bytes',
    String(ref.bytes),
    '--out',
    out,
  );
  assert.equal(got.code, 0, got.stderr);
  assert.match(got.stderr, /directory of 3 files, .* checked, written to/);
  for (const [path, text] of Object.entries(items))
    assert.equal(readFileSync(join(out, ...path.split('/')), 'utf8'), text);

  // Each item proves its place under the root; another item's bytes do not.
  const files = Object.entries(items).map(([path, text]) => ({
    path,
    hash: blake(Buffer.from(text)),
  }));
  assert.equal(directoryRoot(files), ref.hash);
  for (const f of files)
    assert.ok(verifyItem(ref.hash, f.path, f.hash, itemProof(files, f.path)), f.path);
  assert.ok(!verifyItem(ref.hash, 'a.txt', files[1].hash, itemProof(files, 'a.txt')));
});

test('content that differs from its hash or size is refused, and nothing is written', async () => {
  const ref = json(await content('hash', single, '--base-url', `http://127.0.0.1:${port}`));
  const dir = json(await content('hash', batch, '--base-url', `http://127.0.0.1:${port}`));
  const out = join(work, 'never');
  refused(
    await content('get', ref.uri, '--hash', dir.hash, '--out', out),
    /hash to 0x[0-9a-f]{64}, not 0x[0-9a-f]{64}; refused/,
  );
  refused(
    await content('get', ref.uri, '--hash', ref.hash, '--bytes', '17', '--out', out),
    /16 bytes, not the 17 recorded/,
  );
  refused(
    await content('get', dir.uri, '--hash', ref.hash, '--out', out),
    /root 0x[0-9a-f]{64}, not/,
  );
  assert.ok(!existsSync(out), 'nothing written');

  // An item changed in the store after it was put: the directory is refused, naming the item.
  const tampered = join(store, dir.hash.slice(2), 'files', 'more', 'c.txt');
  writeFileSync(tampered, 'a cat and a wolf\n');
  refused(
    await content('get', dir.uri, '--hash', dir.hash, '--out', out),
    /item more\/c\.txt is not what the root commits to/,
  );
  assert.ok(!existsSync(out), 'nothing written');
  writeFileSync(tampered, items['more/c.txt']);
  assert.equal((await content('get', dir.uri, '--hash', dir.hash)).code, 0);
});

test('each failure to fetch says what and where, in one line', async () => {
  const ref = json(await content('hash', single, '--base-url', `http://127.0.0.1:${port}`));
  refused(
    await content('get', ref.uri, '--hash', ref.hash, '--max-bytes', '4'),
    /over the limit of 4 \(raise it with --max-bytes\)/,
  );
  refused(
    await content('get', `http://127.0.0.1:${port}/${'0'.repeat(64)}`, '--hash', ref.hash),
    /answered HTTP 404/,
  );
  const closed = await freePort();
  refused(
    await content('get', `http://127.0.0.1:${closed}/x`, '--hash', ref.hash),
    /ECONNREFUSED \(is the store served\?\)/,
  );
  refused(
    await content('get', 'ipfs://bafy', '--hash', ref.hash),
    /the ipfs scheme is not fetched here/,
  );
  refused(await content('get', 'file:///no/such/file', '--hash', ref.hash), /no such file/);
  refused(await content('get', ref.uri, '--hash', '0x1234'), /“0x1234” is not a 32-byte hash/);
  refused(await content('put', join(work, 'missing')), /no such file or directory/);
  const empty = join(work, 'empty');
  mkdirSync(empty);
  refused(await content('put', empty), /an empty directory has no content/);

  // A source that accepts the connection and never answers: refused when --timeout runs out.
  const silent = createServer(() => {});
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const started = Date.now();
    const res = await content(
      'get',
      `http://127.0.0.1:${silent.address().port}/x`,
      '--hash',
      ref.hash,
      '--timeout',
      '1',
    );
    refused(res, /no complete answer in time \(raise the limit with --timeout\)/);
    console.log(`# a silent source refused after ${Date.now() - started} ms (--timeout 1)`);
  } finally {
    silent.closeAllConnections();
    silent.close();
  }

  // Arguments: exit 2, before anything is fetched.
  const bad = await content('get', ref.uri);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /needs --hash/);
});

test('the server serves only what the store holds, never a path outside it', async () => {
  const base = `http://127.0.0.1:${port}`;
  const dir = json(await content('hash', batch));
  for (const path of [
    `/${dir.hash.slice(2)}/files/../manifest.json`,
    `/${dir.hash.slice(2)}/files/%2e%2e/%2e%2e/x`,
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    `/${dir.hash.slice(2)}/other`,
  ]) {
    // Sent as written: a browser or fetch() would resolve the dots first.
    const status = await new Promise((resolve, reject) =>
      request(base + '/', { path }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end(),
    );
    assert.equal(status, 404, path);
  }
  const manifest = await (await fetch(`${base}/${dir.hash.slice(2)}/manifest.json`)).json();
  assert.equal(manifest.root, dir.hash);
  assert.deepEqual(
    manifest.files.map((f) => f.path),
    ['a.txt', 'b.txt', 'more/c.txt'],
  );
  assert.ok(
    readdirSync(store).every((name) => /^[0-9a-f]{64}$/.test(name)),
    'the store holds entries only',
  );
});

test('content serve stays up until Ctrl-C, then stops cleanly', async () => {
  assert.equal(served.exitCode, null, 'still serving');
  const stopped = new Promise((resolve) => served.once('exit', (code) => resolve(code)));
  served.kill('SIGINT');
  assert.equal(await stopped, 0);
  served = null;
});
