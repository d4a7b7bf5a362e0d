// `lineage content`: the content store. Needs no node: it hashes, stores, serves and fetches the
// files a chain's records point at (`ContentRef { hash, uri, bytes }`).

import {
  DEFAULT_STORE,
  DEFAULT_PORT,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  describe,
  contentRef,
  put,
  get,
  save,
  serve,
} from '../lib/content.js';
import { ArgError } from './args.js';
import { printValue } from './output.js';

const VERBS = {
  put: {
    usage: 'lineage content put FILE|DIR [--store DIR] [--base-url URL]',
    flags: ['store', 'base-url'],
    docs: [
      'Hashes a file (BLAKE2b-256 of its bytes) or a directory (the Merkle root of its files in',
      'path order), copies it into the store under that hash and prints its ContentRef, the',
      'value a chain record takes (`--metadata`, `--content`, `--artifact`, `--input`, …).',
      `The URI is --base-url (default ${DEFAULT_BASE_URL}, where \`content serve\` listens) and the hash.`,
    ],
  },
  hash: {
    usage: 'lineage content hash FILE|DIR [--base-url URL]',
    flags: ['base-url'],
    docs: ['Prints the ContentRef a file or directory would have, storing nothing.'],
  },
  serve: {
    usage: `lineage content serve [--store DIR] [--port ${DEFAULT_PORT}] [--host 127.0.0.1]`,
    flags: ['store', 'port', 'host'],
    docs: ['Serves the store over HTTP, read-only, until Ctrl-C.'],
  },
  get: {
    usage:
      'lineage content get URI --hash H [--bytes N] [--out PATH] [--max-bytes N] [--timeout SECONDS]',
    flags: ['hash', 'bytes', 'out', 'max-bytes', 'timeout'],
    docs: [
      'Fetches http(s):// or file:// content and checks it against --hash (and --bytes): a file',
      "by its bytes; a directory (a URI ending in '/') by its manifest's root and every file in it.",
      'Content that differs is refused and nothing is written. --out writes it (default: a',
      'file prints its bytes, a directory its list of files).',
      `Limits: --max-bytes (default ${DEFAULT_MAX_BYTES.toLocaleString('en-US')}), --timeout (default ${DEFAULT_TIMEOUT_MS / 1000} s).`,
    ],
  },
};

export function contentHelp() {
  const lines = [
    'lineage content — the content store: what chain records point at, addressed by its hash',
    '',
  ];
  for (const verb of Object.values(VERBS))
    lines.push(`  ${verb.usage}`, ...verb.docs.map((d) => `      ${d}`), '');
  lines.push(`The store is --store, else $LINEAGE_STORE, else ${DEFAULT_STORE}.`);
  return lines.join('\n');
}

const positiveNumber = (flag, raw) => {
  const value = Number(String(raw).replace(/[,_]/g, ''));
  if (!Number.isFinite(value) || value <= 0)
    throw new ArgError(`--${flag} ${raw} is not a positive number`);
  return value;
};

export async function runContent(name, args, flags) {
  if (!name || flags.help) {
    console.log(contentHelp());
    return;
  }
  const verb = VERBS[name];
  if (!verb)
    throw new ArgError(
      `unknown verb "content ${name}"; the verbs are ${Object.keys(VERBS).join(', ')}`,
    );
  const allowed = new Set([...verb.flags, 'json', 'ws', 'help']);
  const unknown = Object.keys(flags).find((f) => !allowed.has(f));
  if (unknown)
    throw new ArgError(
      `unknown option --${unknown} for content ${name}; see lineage content --help`,
    );
  const store = flags.store ?? DEFAULT_STORE;

  if (name === 'put' || name === 'hash') {
    if (args.length !== 1) throw new ArgError(`content ${name} takes one FILE or DIR`);
    const ref =
      name === 'put'
        ? await put(args[0], { store, baseUrl: flags['base-url'] ?? DEFAULT_BASE_URL })
        : withItems(await describe(args[0]), flags['base-url']);
    printValue(ref);
    return;
  }
  if (name === 'serve') {
    if (args.length) throw new ArgError('content serve takes no arguments');
    const port = flags.port === undefined ? DEFAULT_PORT : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new ArgError(`--port ${flags.port} is not a port number`);
    const { server, url } = await serve({ store, port, host: flags.host ?? '127.0.0.1' });
    console.log(`Serving ${store} at ${url}/; Ctrl-C stops it`);
    await new Promise((resolve) => {
      const stop = () => {
        console.log('content store stopped');
        server.close(() => resolve());
        server.closeAllConnections();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return;
  }
  // get
  if (args.length !== 1) throw new ArgError('content get takes one URI');
  if (!flags.hash) throw new ArgError('content get needs --hash: the hash the chain recorded');
  const content = await get(args[0], flags.hash, {
    bytes: flags.bytes === undefined ? undefined : positiveNumber('bytes', flags.bytes),
    maxBytes:
      flags['max-bytes'] === undefined
        ? DEFAULT_MAX_BYTES
        : positiveNumber('max-bytes', flags['max-bytes']),
    timeoutMs:
      flags.timeout === undefined
        ? DEFAULT_TIMEOUT_MS
        : positiveNumber('timeout', flags.timeout) * 1000,
  });
  if (flags.out) {
    await save(content, flags.out);
    console.error(
      `${content.kind === 'file' ? 'file' : `directory of ${content.files.length} files`}, ${content.bytes.toLocaleString('en-US')} bytes, hash ${content.hash}: checked, written to ${flags.out}`,
    );
  } else if (content.kind === 'file') {
    process.stdout.write(content.data);
  } else {
    printValue({
      hash: content.hash,
      bytes: content.bytes,
      files: content.files.map(({ path, hash, bytes }) => ({ path, hash, bytes })),
    });
  }
}

function withItems(described, baseUrl) {
  const ref = contentRef(described, baseUrl ?? DEFAULT_BASE_URL);
  return described.kind === 'directory' ? { ...ref, items: described.files.length } : ref;
}
