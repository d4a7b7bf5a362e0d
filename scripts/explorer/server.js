// `lineage explorer`: bundles the explorer (app.js with @polkadot/api and uPlot, through esbuild)
// and serves it as static files. The page reads the chain from the browser; the server keeps no
// state and never talks to a node.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const uplotCss = join(here, '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css');

/** The page's files: path → [content type, bytes, gzip'd bytes]. */
export async function explorerFiles() {
  const bundle = await build({
    entryPoints: [join(here, 'app.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  });
  const html = await readFile(join(here, 'index.html'));
  const files = [
    ['/', 'text/html; charset=utf-8', html],
    ['/index.html', 'text/html; charset=utf-8', html],
    ['/style.css', 'text/css; charset=utf-8', await readFile(join(here, 'style.css'))],
    ['/uplot.min.css', 'text/css; charset=utf-8', await readFile(uplotCss)],
    ['/app.js', 'text/javascript; charset=utf-8', Buffer.from(bundle.outputFiles[0].contents)],
  ];
  return new Map(
    files.map(([path, type, bytes]) => [path, [type, bytes, gzipSync(bytes, { level: 9 })]]),
  );
}

/**
 * Serves the explorer on `host:port` (port 0: any free one); resolves to the server and its URL
 * once it listens.
 */
export async function serveExplorer({ port = 8080, host = '127.0.0.1' } = {}) {
  const files = await explorerFiles();
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
  const [, bundle, zipped] = files.get('/app.js');
  return {
    server,
    url: `http://${host}:${bound}/`,
    bundle: { bytes: bundle.length, gzip: zipped.length },
  };
}
