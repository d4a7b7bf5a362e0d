// Crashes: a short crash loop (the `local` validators under load, three killed with SIGKILL at
// random moments and restarted on their own databases, no finalized block ever changing), and a
// damaged database stopping the node at once with an error that says what to do, not a panic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crashLoop } from '../lib/crash-loop.js';
import { LineageNode } from '../lib/node.js';

test('three validators killed under load come back and no finalized block changes', async () => {
  const figures = await crashLoop({ kills: 3, seed: 7, log: (line) => console.log(`# ${line}`) });
  assert.equal(figures.kills, 3);
  assert.ok(figures.end > figures.start, 'finality moved on');
  assert.ok(figures.counts.included > 0, 'the load was included');
});

test('a damaged database stops the node with a clear error, not a panic', async () => {
  const node = new LineageNode({ name: 'Damaged', args: ['--dev'] });
  await node.start();
  await node.waitFinalized(2, 120_000);
  await node.stop();
  const db = join(node.basePath, 'chains', 'lineage_dev', 'paritydb', 'full');

  // Garbage where ParityDB keeps its column layout; then no layout file at all.
  for (const [damage, expected] of [
    [() => writeFileSync(join(db, 'metadata'), 'garbage'), /could not start on its database/],
    [() => rmSync(join(db, 'metadata')), /has data files but no `metadata` file/],
  ]) {
    damage();
    await assert.rejects(node.start(), /exited during start-up/);
    const { code } = await node.exited;
    assert.notEqual(code, 0);
    const log = node.log();
    assert.match(log, expected);
    assert.doesNotMatch(log, /panicked/);
  }
});
