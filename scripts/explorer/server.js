// `lineage explorer`: bundles the explorer (app.js with @polkadot/api and uPlot, through esbuild)
// and serves it as static files, with the chain spec its verified mode starts a light client
// from. The page reads the chain from the browser; the server keeps no state and never talks to a
// node.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const uplotCss = join(here, '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css');

/**
 * The page's files: path → [content type, bytes, gzip'd bytes], and the scripts every visit loads
 * (`eager`: app.js and what it imports; the light client's chunk is loaded only in verified
 * mode). `chainSpec` (JSON text), when given, is served as /chain-spec.json: the page's verified
 * mode starts a light client from it.
 */
export async function explorerFiles(chainSpec) {
  const bundle = await build({
    entryPoints: [join(here, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
    // The light client (smoldot's wasm, a few MB) in a chunk of its own, loaded only by the
    // verified mode.
    splitting: true,
    outdir: here,
    chunkNames: 'chunk-[hash]',
    metafile: true,
  });
  // app.js and its static imports, transitively.
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const i of bundle.metafile.outputs[path].imports)
      if (i.kind === 'import-statement') visit(i.path);
  };
  visit(Object.keys(bundle.metafile.outputs).find((p) => basename(p) === 'app.js'));
  const script = (file) => [
    `/${basename(file.path)}`,
    'text/javascript; charset=utf-8',
    Buffer.from(file.contents),
  ];
  const html = await readFile(join(here, 'index.html'));
  const files = [
    ['/', 'text/html; charset=utf-8', html],
    ['/index.html', 'text/html; charset=utf-8', html],
    ['/style.css', 'text/css; charset=utf-8', await readFile(join(here, 'style.css'))],
    ['/uplot.min.css', 'text/css; charset=utf-8', await readFile(uplotCss)],
    ...bundle.outputFiles.map(script),
  ];
  if (chainSpec) files.push(['/chain-spec.json', 'application/json', Buffer.from(chainSpec)]);
  return {
    files: new Map(
      files.map(([path, type, bytes]) => [path, [type, bytes, gzipSync(bytes, { level: 9 })]]),
    ),
    eager: [...eager].map((p) => `/${basename(p)}`),
  };
}

/**
 * Serves the explorer on `host:port` (port 0: any free one); resolves to the server and its URL
 * once it listens.
 */
export async function serveExplorer({ port = 8080, host = '127.0.0.1', chainSpec } = {}) {
  const { files, eager } = await explorerFiles(chainSpec);
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const file = files.get(path);
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const headers = {
      'content-type': file[0],
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
    };
    if (gzip) headers['content-encoding'] = 'gzip';
    res.writeHead(200, headers).end(gzip ? file[2] : file[1]);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address();
  // What a visit loads, and what the verified mode's light client adds.
  const size = (paths) =>
    paths.reduce(
      (sum, p) => ({
        bytes: sum.bytes + files.get(p)[1].length,
        gzip: sum.gzip + files.get(p)[2].length,
      }),
      { bytes: 0, gzip: 0 },
    );
  const scripts = [...files.keys()].filter((p) => p.endsWith('.js'));
  return {
    server,
    url: `http://${host}:${bound}/`,
    bundle: size(eager),
    lightClient: size(scripts.filter((p) => !eager.includes(p))),
  };
}
