// The chain's own accounts by name, so a reader tells the treasury from the data-revenue pot.

import { u8aConcat, u8aToU8a, stringToU8a } from '@polkadot/util';
import { encodeAddress } from '@polkadot/util-crypto';
import { chainSs58 } from './units.js';

/** The account of a `PalletId` (`modl` + id, zero-padded to 32 bytes), as Substrate derives it. */
export function palletAccount(palletId, ss58) {
  const bytes = new Uint8Array(32);
  bytes.set(u8aConcat(stringToU8a('modl'), u8aToU8a(palletId)));
  return encodeAddress(bytes, ss58);
}

/**
 * Address → name of every account the runtime itself owns: the treasury (protocol fees, slashes,
 * unshared revenue) and the data-revenue pot (datasets' shares until contributors claim them).
 */
export function chainAccounts(api) {
  const ss58 = chainSs58(api);
  const names = new Map();
  const add = (address, name) => {
    if (address) names.set(encodeAddress(address, ss58), name);
  };
  add(api.consts.compute?.treasury?.toString(), 'Treasury');
  add(api.consts.rewards?.treasury?.toString(), 'Treasury');
  if (api.consts.rewards?.palletId) {
    add(palletAccount(api.consts.rewards.palletId.toU8a(), ss58), 'Data-revenue pot');
  }
  if (api.consts.treasury?.palletId) {
    add(palletAccount(api.consts.treasury.palletId.toU8a(), ss58), 'Treasury');
  }
  return names;
}
