// A throwaway PostgreSQL server (Debian's postgresql package) for the indexer's tests and
// figures: a fresh cluster in a temporary directory, on a free port, trusting local connections.
// PostgreSQL refuses to run as root; as root it runs as the `postgres` user the package creates.

import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from './node.js';

/** The directory of the newest installed server's programs (initdb, pg_ctl). */
function serverBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length)
    throw new Error(
      'no PostgreSQL server is installed (apt-get install postgresql; scripts/setup.sh does)',
    );
  return join(root, versions[0], 'bin');
}

/**
 * Starts a server; resolves to `{ url, stop() }` (`url`: postgres://postgres@127.0.0.1:PORT/postgres).
 */
export async function startPostgres() {
  const bin = serverBin();
  const root = process.getuid?.() === 0;
  const dir = tempDir('lineage-pg-');
  if (root) {
    const id = (flag) => Number(execFileSync('id', [flag, 'postgres']).toString());
    chownSync(dir, id('-u'), id('-g'));
  }
  const run = (program, args) =>
    execFileSync(
      root ? 'runuser' : join(bin, program),
      root ? ['-u', 'postgres', '--', join(bin, program), ...args] : args,
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '120', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
