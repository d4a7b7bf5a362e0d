// The `lineage` CLI: help with no node, its catalog against the chain's metadata, calls and
// queries with --json, amounts and accounts as people read them, a pallet error surfacing by
// name with its doc line, and mistakes (bad arguments, calls that would fail) refused before
// anything is signed, in one plain line.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { u8aToHex } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { signer, freeBalance, submitOk, eventData } from '../lib/api.js';
import { devNodeFixture, contentRef } from './helpers.js';
import { LIN, PERBILL, formatAmount, formatBalance } from '../lib/units.js';
import { freePort } from '../lib/node.js';
import { buildCatalog, loadCatalog } from '../cli/catalog.js';
import { plain } from '../cli/output.js';

const cliPath = fileURLToPath(new URL('../cli/lineage.js', import.meta.url));

const alice = signer('//Alice');
const bob = signer('//Bob');

let api;
let node;
devNodeFixture(before, after, (n, a) => {
  node = n;
  api = a;
});

/** Runs the CLI with `args` against the test's node (or `ws`); resolves { code, stdout, stderr }. */
function cli(args, ws = node?.wsUrl) {
  return new Promise((resolve) => {
    const env = { ...process.env, LINEAGE_WS: ws };
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env, timeout: 120_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? error.code : 0, stdout, stderr });
      },
    );
  });
}

const json = (res) => JSON.parse(res.stdout);
const nonce = async (pair) => (await api.query.system.account(pair.address)).nonce.toNumber();

/** An error is one line on stderr: `error: …`, with no stack or node backtrace. */
function oneLine(res) {
  assert.match(res.stderr, /^error: [^\n]+\n$/, res.stderr);
  assert.doesNotMatch(res.stderr, /wasm|backtrace|RuntimeApi|\bat .*\.js:\d+/i);
}

/**
 * Runs `args` and checks that it was refused with `code`, a plain line matching `reason`, and
 * that `pair` paid nothing: the same nonce and free balance as before.
 */
async function refusedFree(args, code, reason, pair = alice) {
  const [before, balance] = [await nonce(pair), await freeBalance(api, pair.address)];
  const res = await cli(args);
  assert.equal(res.code, code, `${args.join(' ')}: ${res.stderr}`);
  assert.match(res.stderr, reason, args.join(' '));
  oneLine(res);
  assert.equal(await nonce(pair), before, 'nothing signed was submitted');
  assert.equal(await freeBalance(api, pair.address), balance, 'no fee');
  return res;
}
const item = (n) => JSON.stringify(contentRef(n, 'cli', 100));

test('help works with no node running', async () => {
  const nobody = `ws://127.0.0.1:${await freePort()}`;
  let res = await cli(['--help'], nobody);
  assert.equal(res.code, 0);
  for (const area of ['chain', 'datasets', 'models', 'compute', 'rewards', 'governance', 'demo'])
    assert.match(res.stdout, new RegExp(area));

  const catalog = loadCatalog();
  for (const area of ['datasets', 'models', 'compute', 'rewards', 'governance']) {
    res = await cli([area, '--help'], nobody);
    assert.equal(res.code, 0);
    for (const verb of Object.keys(catalog.areas[area]))
      assert.match(res.stdout, new RegExp(`\\b${verb.replace('.', '\\.')}\\b`));
  }
  res = await cli(['models', 'publish-version', '--help'], nobody);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /--builder-share/);
  assert.match(res.stdout, /Models\.publish_version|models\.publishVersion/);
  // The docs are the call's own doc comment, as the metadata carries it.
  assert.ok(res.stdout.includes(catalog.areas.models['publish-version'].docs[0].trim()));

  res = await cli(['chain', 'status'], nobody);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /no node answers/);
});

test('docs/cli.md is the help of every command, as the saved catalog gives it', async () => {
  const nobody = `ws://127.0.0.1:${await freePort()}`;
  const res = await cli(['catalog', '--reference'], nobody);
  assert.equal(res.code, 0, res.stderr);
  const written = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  assert.ok(written === res.stdout, 'docs/cli.md differs: run lineage catalog --write');
  assert.match(written, /#### compute publish-output/);
});

test('the catalog is the chain metadata: one verb per call and per runtime-API method', async () => {
  assert.deepEqual(loadCatalog(), buildCatalog(api));
  const catalog = loadCatalog();
  assert.equal(
    Object.keys(catalog.areas.datasets).filter((v) => catalog.areas.datasets[v].kind === 'call')
      .length,
    Object.keys(api.tx.datasets).length,
  );
  assert.equal(
    Object.keys(catalog.areas.rewards).filter((v) => catalog.areas.rewards[v].kind === 'query')
      .length,
    Object.keys(api.call.rewardsApi).length,
  );
});

test('calls print their events; queries read the runtime APIs', async () => {
  const before = await freeBalance(api, bob.address);
  let res = await cli([
    'chain',
    'transfer',
    '--dest',
    bob.address,
    '--value',
    '1.5',
    '--suri',
    '//Alice',
    '--json',
  ]);
  assert.equal(res.code, 0, res.stderr);
  const transfer = json(res);
  assert.equal(transfer.ok, true);
  const moved = transfer.events.find((e) => e.section === 'balances' && e.method === 'Transfer');
  assert.equal(moved.data.to, bob.address);
  assert.equal(BigInt(moved.data.amount), 1_500_000_000_000n);
  assert.equal(
    await freeBalance(api, bob.address, transfer.blockHash),
    before + 1_500_000_000_000n,
  );

  const policy = JSON.stringify({
    admission: 'Curated',
    contributionDeposit: '1000000000000',
    rejectSlash: 0,
    minConsent: { training: false, commercial: false },
  });
  res = await cli([
    'datasets',
    'create-dataset',
    item(1),
    'CcBy',
    policy,
    '--suri',
    '//Alice',
    '--json',
  ]);
  assert.equal(res.code, 0, res.stderr);
  const dataset = json(res).events.find((e) => e.method === 'DatasetCreated').data.dataset;
  res = await cli([
    'datasets',
    'contribute',
    '--dataset',
    String(dataset),
    '--item',
    item(2),
    '--licence',
    'Cc0',
    '--consent',
    '{"training":true,"commercial":true}',
    '--suri',
    '//Bob',
  ]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /datasets\.Contributed/);
  assert.match(res.stdout, /in block #\d+/);

  // Accepted and frozen: the CLI recomputes the snapshot's roots from the records.
  const contribution = (await api.query.datasets.nextContributionId()).toNumber() - 1;
  const verdict = '{"Accept":{"quality":50}}';
  res = await cli(['datasets', 'review', String(contribution), verdict, '--suri', '//Alice']);
  assert.equal(res.code, 0, res.stderr);
  res = await cli(['datasets', 'snapshot', String(dataset), '--suri', '//Alice']);
  assert.equal(res.code, 0, res.stderr);
  res = await cli(['datasets', 'verify-snapshot', String(dataset), '1', '--json']);
  assert.equal(res.code, 0, res.stderr);
  const verified = json(res);
  assert.ok(verified.contentRootMatches && verified.withdrawnRootMatches, res.stdout);
  assert.deepEqual(verified.contributions, [String(contribution)]);
  const frozen = (await api.query.datasets.snapshots(dataset, 1)).unwrap();
  assert.equal(verified.contentRoot, frozen.contentRoot.toHex());

  res = await cli(['datasets', 'dataset', String(dataset), '--json']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(json(res).info.owner, alice.address);
  const apiView = await api.call.datasetsApi.dataset(dataset);
  assert.deepEqual(json(res), plain(apiView));
  assert.equal(json(res).info.metadata.hash, apiView.unwrap().info.metadata.hash_.toHex());

  // The listings, paged: every dataset, and this one's accepted contributions in order.
  res = await cli(['datasets', 'datasets', 'null', '100', '--json']);
  assert.equal(res.code, 0, res.stderr);
  assert.ok(json(res).items.some((d) => d.id === dataset));
  assert.equal(json(res).next, null);
  res = await cli(['datasets', 'accepted-contributions', String(dataset), 'null', '10', '--json']);
  assert.deepEqual(
    json(res).items.map((c) => c.id),
    [contribution],
  );
  res = await cli([
    'compute',
    'jobs',
    '{"Requester":"' + bob.address + '"}',
    'null',
    '10',
    '--json',
  ]);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(json(res), { items: [], next: null });

  res = await cli(['parameters', 'parameters', '--json']);
  assert.equal(json(res).params.emission.alpha, 50_000_000);
  res = await cli(['chain', 'balances', bob.address, '--json']);
  assert.ok(json(res).holds.some((h) => /ContributionDeposit/.test(JSON.stringify(h.reason))));
  res = await cli(['governance', 'tracks', '--json']);
  assert.deepEqual(
    json(res).map((t) => t.name),
    ['root', 'admin', 'referendum_canceller'],
  );
});

test('governance propose notes the preimage and opens a referendum on the track', async () => {
  const params = (await api.call.parametersApi.parameters()).params.toJSON();
  params.emission.alpha = 45_000_000;
  let res = await cli([
    'governance',
    'propose',
    '--track',
    'admin',
    '--call',
    'lineageParams.setParameters',
    '--args',
    JSON.stringify([params]),
    '--suri',
    '//Alice',
    '--json',
  ]);
  assert.equal(res.code, 0, res.stderr);
  const submitted = json(res).events.find(
    (e) => e.section === 'referenda' && e.method === 'Submitted',
  );
  assert.equal(submitted.data.track, 10);
  const noted = json(res).events.find((e) => e.section === 'preimage' && e.method === 'Noted');
  assert.equal(submitted.data.proposal.lookup.hash, noted.data.hash);
  const call = api.tx.lineageParams.setParameters(params).method;
  assert.equal(noted.data.hash, call.hash.toHex());

  res = await cli(['governance', 'referendum', String(submitted.data.index), '--json']);
  const info = json(res).ongoing;
  assert.equal(info.track, 10);
  assert.deepEqual(info.origin, { origins: 'LineageAdmin' });
  assert.equal(info.submissionDeposit.who, alice.address);

  // One value at a time: the rest of the set is the one in force.
  res = await cli([
    'parameters',
    'propose',
    'admin',
    'compute.minBond',
    '"150000000000000"',
    '--suri',
    '//Bob',
    '--json',
  ]);
  assert.equal(res.code, 0, res.stderr);
  const one = json(res).events.find((e) => e.section === 'preimage' && e.method === 'Noted');
  const expected = (await api.call.parametersApi.parameters()).params.toJSON();
  expected.compute.minBond = '150000000000000';
  assert.equal(one.data.hash, api.tx.lineageParams.setParameters(expected).method.hash.toHex());
});

test('a pallet error surfaces by name and doc line, with a non-zero exit', async () => {
  const policy = JSON.stringify({
    admission: 'Curated',
    contributionDeposit: 0,
    rejectSlash: 0,
    minConsent: { training: false, commercial: false },
  });
  let res = await cli([
    'datasets',
    'create-dataset',
    item(3),
    'CcBy',
    policy,
    '--suri',
    '//Alice',
    '--json',
  ]);
  const dataset = json(res).events.find((e) => e.method === 'DatasetCreated').data.dataset;
  res = await cli([
    'datasets',
    'contribute',
    String(dataset),
    item(4),
    'Cc0',
    '{"training":true,"commercial":true}',
    '--suri',
    '//Bob',
    '--json',
  ]);
  const contribution = json(res).events.find((e) => e.method === 'Contributed').data.contribution;

  res = await cli([
    'datasets',
    'review',
    '--contribution',
    String(contribution),
    '--verdict',
    '{"Accept":{"quality":90}}',
    '--suri',
    '//Bob',
  ]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /datasets\.NotCurator: .*curator/);
  assert.match(res.stderr, /no fee charged/);
  assert.doesNotMatch(res.stdout, /ExtrinsicFailed/);
  assert.ok(
    (await api.query.datasets.contributions(contribution)).unwrap().state.isPending,
    'nothing changed',
  );

  res = await cli([
    'datasets',
    'review',
    String(contribution),
    '{"Accept":{"quality":90}}',
    '--suri',
    '//Bob',
    '--json',
  ]);
  assert.equal(res.code, 1);
  assert.equal(json(res).error.name, 'datasets.NotCurator');
});

test('bad arguments are refused before anything is signed', async () => {
  const aliceNonce = await nonce(alice);
  const cases = [
    [
      ['chain', 'transfer', bob.address, '1.0000000000001', '--suri', '//Alice'],
      /13 decimals; LIN has 12/,
    ],
    [['chain', 'transfer', bob.address, 'ten', '--suri', '//Alice'], /not an amount of LIN/],
    [['chain', 'transfer', 'not-an-address', '1', '--suri', '//Alice'], /not an account/],
    [['chain', 'transfer', bob.address, '--suri', '//Alice'], /missing --value/],
    [['chain', 'transfer', bob.address, '1'], /pass --suri/],
    [
      [
        'datasets',
        'contribute-batch',
        '0',
        '0x1234',
        '3',
        '300',
        'ipfs://b',
        'Cc0',
        '{"training":true,"commercial":true}',
        '--suri',
        '//Alice',
      ],
      /--root: .*not a 32-byte hash/,
    ],
    [
      ['datasets', 'create-dataset', item(5), 'NoSuchLicence', '{}', '--suri', '//Alice'],
      /--licence/,
    ],
    [
      ['datasets', 'review', '1', '{"Accept":{"quality":90}', '--suri', '//Alice'],
      /not valid JSON/,
    ],
    [
      ['models', 'publish-version', '0', item(6), '[]', 'none', '150%', '1', '--suri', '//Alice'],
      /more than 100%/,
    ],
    [['datasets', 'dataset', '-1'], /not a whole number/],
    [
      [
        'governance',
        'propose',
        'council',
        'lineageParams.setParameters',
        '[]',
        '--suri',
        '//Alice',
      ],
      /not a track/,
    ],
    [
      ['governance', 'propose', 'admin', 'rewards.noSuchCall', '[]', '--suri', '//Alice'],
      /no call rewards\.noSuchCall/,
    ],
    [
      ['governance', 'propose', 'admin', 'lineageParams.setParameters', '[]', '--suri', '//Alice'],
      /takes 1 arguments, not 0/,
    ],
    [
      ['parameters', 'propose', 'admin', 'compute.noSuchValue', '1', '--suri', '//Alice'],
      /has no value "compute.noSuchValue"/,
    ],
    [['datasets', 'dataset', '1', '--colour', 'red'], /unknown option --colour/],
    [['datasets', 'no-such-verb'], /unknown verb/],
    [['nowhere'], /unknown area/],
  ];
  for (const [args, message] of cases) {
    const res = await cli(args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.match(res.stderr, message);
    oneLine(res);
  }
  assert.equal(await nonce(alice), aliceNonce, 'nothing was signed');
});

test('an account in hex is its 32-byte public key; any other hex is refused in plain words, free', async () => {
  // Too short, an Ethereum-style 20 bytes, not hex: refused before signing, in one line.
  for (const dest of ['0x1234', '0x' + '12'.repeat(20), '0x' + 'zz'.repeat(32)]) {
    await refusedFree(
      ['chain', 'transfer', dest, '1', '--suri', '//Alice'],
      2,
      /--dest: ".*" is not an account: .*SS58 address .*32-byte public key \(0x and 64 hex digits\)/,
    );
  }
  // Bob's public key in hex, and his address under another network's prefix, are Bob.
  for (const dest of [u8aToHex(bob.publicKey), encodeAddress(bob.publicKey, 0)]) {
    const before = await freeBalance(api, bob.address);
    const res = await cli(['chain', 'transfer', dest, '2', '--suri', '//Alice', '--json']);
    assert.equal(res.code, 0, res.stderr);
    const moved = json(res).events.find((e) => e.method === 'Transfer');
    assert.equal(moved.data.to, bob.address);
    assert.equal(await freeBalance(api, bob.address, json(res).blockHash), before + 2n * LIN);
  }
});

test('amounts read with units, separators and 4 decimals, exact with --exact; chain accounts by name', async () => {
  // A job of 1,234.5 LIN on a model version priced at 2.5 LIN.
  const open = {
    admission: 'Open',
    contributionDeposit: 0,
    rejectSlash: 0,
    minConsent: { training: true, commercial: true },
  };
  let res = await submitOk(
    api,
    api.tx.datasets.createDataset(contentRef(20, 'cli', 100), 'Cc0', open),
    alice,
  );
  const dataset = eventData(res, 'datasets', 'DatasetCreated').dataset.toNumber();
  const full = { training: true, commercial: true };
  res = await submitOk(
    api,
    api.tx.utility.batchAll([
      api.tx.datasets.contribute(dataset, contentRef(21, 'cli', 100), 'Cc0', full),
      api.tx.datasets.snapshot(dataset),
      api.tx.models.registerModel(contentRef(22, 'cli', 100), 'Apache2'),
    ]),
    alice,
  );
  const model = eventData(res, 'models', 'ModelRegistered').model.toNumber();
  const inputs = [{ snapshot: { dataset, version: 1 }, weight: PERBILL }];
  res = await submitOk(
    api,
    api.tx.models.publishVersion(
      model,
      contentRef(23, 'cli', 100),
      inputs,
      null,
      0,
      (2_500n * LIN) / 1_000n,
    ),
    alice,
  );
  const version = eventData(res, 'models', 'VersionPublished').version.toNumber();
  const head = (await api.rpc.chain.getHeader()).number.toNumber();

  res = await cli([
    'compute',
    'submit-job',
    'Inference',
    String(version),
    item(24),
    '1234.5',
    '3',
    String(head + 100),
    '--suri',
    '//Alice',
  ]);
  assert.equal(res.code, 0, res.stderr);
  // The fee and every amount in the events with the unit; nothing in bare plancks.
  assert.match(res.stdout, /, fee 0\.\d{1,4} LIN\n/);
  assert.match(
    res.stdout,
    /compute\.JobSubmitted {2}job: (\d+) .* escrow: 1,237 LIN {2}deadline: \d+/,
  );
  assert.match(
    res.stdout,
    /transactionPayment\.TransactionFeePaid .* actualFee: 0\.\d{1,4} LIN {2}tip: 0 LIN/,
  );
  assert.doesNotMatch(res.stdout, /: \d{7,}/, 'no amount in plancks');
  const job = /compute\.JobSubmitted {2}job: (\d+)/.exec(res.stdout)[1];

  res = await cli(['compute', 'job', job]);
  assert.equal(res.code, 0, res.stderr);
  const record = json(res);
  assert.equal(record.fee, '1,234.5 LIN');
  assert.equal(record.price, '2.5 LIN');
  assert.equal(record.escrow, '1,237 LIN');
  assert.equal(record.requester, alice.address);
  assert.equal(record.terms.protocolFee, '10%');
  // --json keeps plancks, as decimal strings.
  res = await cli(['compute', 'job', job, '--json']);
  assert.equal(BigInt(json(res).fee), 1_234_500_000_000_000n);

  // 4 decimals, rounded; every decimal with --exact.
  const fresh = signer('//CliAmounts');
  await submitOk(
    api,
    api.tx.balances.transferKeepAlive(fresh.address, 1_234_567_891_234_567n),
    alice,
  );
  res = await cli(['chain', 'balances', fresh.address]);
  assert.equal(json(res).free, '1,234.5679 LIN');
  res = await cli(['chain', 'balances', fresh.address, '--exact']);
  assert.equal(json(res).free, '1,234.567891234567 LIN');
  res = await cli(['chain', 'balances', fresh.address, '--json']);
  assert.equal(json(res).free, '1234567891234567');
  res = await cli(['chain', 'transfer', bob.address, '1', '--suri', '//Alice', '--exact']);
  assert.equal(res.code, 0, res.stderr);
  const block = /#\d+ \((0x[0-9a-f]+)\)/.exec(res.stdout)[1];
  const fee = (await (await api.at(block)).query.system.events())
    .map(({ event }) => event)
    .find((e) => e.method === 'TransactionFeePaid')
    .data.actualFee.toBigInt();
  const exact = `0.${fee.toString().padStart(12, '0').replace(/0+$/, '')} LIN`;
  assert.ok(res.stdout.includes(`fee ${exact}`), res.stdout);
  assert.ok(res.stdout.includes(`amount: 1 LIN`), res.stdout);

  // The chain's own accounts by name: the treasury and the data-revenue pot are not alike.
  const treasury = api.consts.compute.treasury.toString();
  const pot = api.consts.compute.dataRevenueAccount.toString();
  res = await cli(['chain', 'balances', treasury]);
  assert.equal(json(res).account, `${treasury} (Treasury)`);
  res = await cli(['chain', 'balances', pot]);
  assert.equal(json(res).account, `${pot} (Data-revenue pot)`);
});

test('rewards pending needs no --limit and labels what it lists', async () => {
  let res = await cli(['rewards', 'pending', bob.address]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, new RegExp(`^Pending rewards of ${bob.address}:\n`));
  assert.match(res.stdout, /\n {2}as model owner and provider: [\d,.]+ LIN/);
  assert.match(res.stdout, /\n {2}as contributor(: nothing|, per dataset and first snapshot)/);
  res = await cli(['rewards', 'pending', bob.address, '--json']);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(json(res), plain(await api.call.rewardsApi.pending(bob.address, null, 100)));
});

test('a call that would fail is refused by a dry run: plain words, no fee', async () => {
  const ferdie = signer('//Ferdie');
  const nobody = signer('//Nobody');
  const free = await freeBalance(api, ferdie.address);
  const all = formatAmount(free, 12, { exact: true }).replaceAll(',', '');
  const cases = [
    // No such dataset: the pallet's own error and doc line, and where the ids are listed.
    [
      ['datasets', 'snapshot', '999', '--suri', '//Ferdie'],
      /^error: datasets\.UnknownDataset: No dataset has this id\. List them with: lineage datasets datasets\. /,
    ],
    // All Ferdie has, leaving nothing for the fee and the existential deposit: the token error
    // in plain words, what to do, and what the signer has.
    [
      ['chain', 'transfer', bob.address, all, '--suri', '//Ferdie'],
      new RegExp(
        `token\\.FundsUnavailable: The account has too little free balance .*fund the account first\\. ` +
          `The signer ${ferdie.address} has ${formatBalance(free, 12, 'LIN')} free, 0 LIN held, 0 LIN frozen\\.`,
      ),
    ],
    // More than there is.
    [
      ['chain', 'transfer', bob.address, '999999999', '--suri', '//Ferdie'],
      /arithmetic\.Underflow: .*more than the account has/,
    ],
    // An account with nothing cannot pay the fee.
    [
      ['chain', 'transfer', bob.address, '1', '--suri', '//Nobody'],
      /invalid\.Payment: .*fund the account first/,
      nobody,
    ],
  ];
  for (const [args, reason, pair = ferdie] of cases) {
    const res = await refusedFree(args, 1, reason, pair);
    assert.match(res.stderr, /\(found by a dry run: nothing was submitted, no fee charged\)\n$/);
  }
});

test('`npx lineage explorer` serves the page until Ctrl-C', async () => {
  const port = await freePort();
  // As the README prints it, with a port of the test's own.
  const child = spawn('npx', ['lineage', 'explorer', '--port', String(port)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, LINEAGE_WS: node.wsUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, which Ctrl-C in a terminal signals as a whole.
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    for (let i = 0; i < 120 && !out.includes('Lineage explorer at'); i++)
      await new Promise((r) => setTimeout(r, 500));
    assert.match(out, new RegExp(`Lineage explorer at http://127\\.0\\.0\\.1:${port}/`));
    // Still serving a few seconds later.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(child.exitCode, null, `the explorer exited: ${out}`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const script = await fetch(`http://127.0.0.1:${port}/app.js`);
    assert.equal(script.status, 200);
  } finally {
    process.kill(-child.pid, 'SIGINT');
  }
  // npx passes Ctrl-C on as its own way out; the explorer itself stopped cleanly.
  const { code, signal } = await exited;
  assert.ok(code === 0 || signal === 'SIGINT', `exit ${code} ${signal}`);
  assert.match(out, /explorer stopped/);
});
