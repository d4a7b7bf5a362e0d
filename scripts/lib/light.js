// An embedded light client (smoldot): the chain read without trusting any RPC node.
//
// smoldot joins the peer-to-peer network through the chain spec's boot nodes, syncs the
// finalized chain from its genesis (GRANDPA justifications prove each finality step), and
// answers runtime-API calls and storage reads with Merkle proofs it checks against the state
// root of a finalized header. @polkadot/api runs on top of it through its ScProvider, so the
// answers are decoded by the same metadata and types as a full node's.

import { ApiPromise } from '@polkadot/api';
import { ScProvider } from '@polkadot/rpc-provider/substrate-connect';
import * as smoldot from 'smoldot';

/** Why a light client could not give a verified answer, in plain words. */
export class NotVerified extends Error {}

/**
 * The `@substrate/connect` shape ScProvider expects, over one smoldot client: a chain added
 * from a chain spec (and optionally the database a previous run saved).
 */
function connectInterface(client, databaseContent) {
  return {
    WellKnownChain: {},
    createScClient: () => ({
      addChain: async (chainSpec, onResponse) => {
        const chain = await client.addChain({ chainSpec, databaseContent });
        (async () => {
          for (;;) onResponse(await chain.nextJsonRpcResponse());
        })().catch(() => {});
        return {
          sendJsonRpc: (request) => chain.sendJsonRpc(request),
          remove: () => chain.remove(),
        };
      },
      addWellKnownChain: () => {
        throw new Error('only chain specs are supported');
      },
    }),
  };
}

/** The boot nodes a chain spec names, for messages. */
function bootNodes(chainSpec) {
  try {
    return JSON.parse(chainSpec).bootNodes ?? [];
  } catch {
    throw new NotVerified('the chain spec is not JSON');
  }
}

/**
 * Starts a light client of the chain `chainSpec` (the JSON text) and waits until it has synced
 * and has a peer. Returns `{ api, finalized, saveDatabase, close }`: `finalized()` is the
 * latest finalized block the light client proved (`{ hash, number }`), `api` an ApiPromise over
 * it, `saveDatabase()` what to give back as `databaseContent` to start faster.
 *
 * @param {string} chainSpec the chain spec (JSON text), whose `bootNodes` smoldot dials
 * @param {object} [opts]
 * @param {number} [opts.timeoutMs] how long to wait for peers and sync (default 120 s)
 * @param {string} [opts.databaseContent] what a previous run saved (`saveDatabase`): trusted
 *   like the chain spec, so keep it where only you can write
 */
export async function startLightClient(chainSpec, opts = {}) {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const boot = bootNodes(chainSpec);
  if (boot.length === 0)
    throw new NotVerified(
      'the chain spec names no boot nodes: a light client has no peer to sync from',
    );
  const client = smoldot.start({ maxLogLevel: 1, logCallback: () => {} });
  const provider = new ScProvider(connectInterface(client, opts.databaseContent), chainSpec);
  const close = async () => {
    await provider.disconnect().catch(() => {});
    await client.terminate().catch(() => {});
  };
  let timer;
  try {
    // ScProvider reports itself connected once smoldot has a peer and is no longer syncing.
    const ready = (async () => {
      await provider.connect();
      return ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    })();
    const late = new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new NotVerified(
              `no verified answer: the light client found no peer or did not finish syncing ` +
                `in ${timeoutMs / 1000} s (boot nodes: ${boot.join(', ')})`,
            ),
          ),
        timeoutMs,
      );
    });
    const api = await Promise.race([ready, late]);
    const finalized = async () => {
      const hash = await api.rpc.chain.getFinalizedHead();
      const header = await api.rpc.chain.getHeader(hash);
      return { hash: hash.toHex(), number: header.number.toNumber() };
    };
    return {
      api,
      finalized,
      // What smoldot knows of the chain (the finalized block, its proofs of finality, peers), at
      // most `maxBytes`: given back as `databaseContent`, a later start skips most of the sync.
      saveDatabase: (maxBytes = 4 * 1024 * 1024) =>
        provider.send('chainHead_unstable_finalizedDatabase', [maxBytes]),
      close: async () => {
        await api.disconnect().catch(() => {});
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
