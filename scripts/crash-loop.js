#!/usr/bin/env node
// The crash loop: the four `local` validators under load, a random one of Alice, Bob and
// Charlie killed with SIGKILL at a random moment and restarted on its own database, N times
// (Dave serves the load's client). Fails at the first finalized block that changes or goes
// missing, or a node that does not come back.
//
//   node crash-loop.js [--kills N] [--seed S]     (default 100 kills, seed 1)

import { crashLoop } from './lib/crash-loop.js';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('Usage: node crash-loop.js [--kills N] [--seed S]');
  process.exit(0);
}
const value = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const kills = value('--kills', 100);
const seed = value('--seed', 1);
const started = Date.now();
const figures = await crashLoop({ kills, seed, log: (line) => console.log(line) });
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
console.log(
  JSON.stringify(
    {
      kills: figures.kills,
      seconds: Math.round((Date.now() - started) / 1000),
      finalized: { from: figures.start, to: figures.end },
      restartToRpcMs: { p50: pct(figures.openMs, 50), max: Math.max(...figures.openMs) },
      catchUpMs: { p50: pct(figures.catchUpMs, 50), max: Math.max(...figures.catchUpMs) },
      load: figures.counts,
      finalizedBlocksChanged: 0,
    },
    null,
    2,
  ),
);
process.exit(0);
