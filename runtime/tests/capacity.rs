//! How many of the heaviest Lineage calls fit in one block, from the generated weights.

use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	weights::Weight,
};
use lineage_primitives::{Consent, ContentRef, Licence, Uri};
use lineage_runtime::{configs::RuntimeBlockWeights, RuntimeCall};
use sp_core::H256;

/// Extrinsics of `call` that fit in the normal-class weight of one block.
fn per_block(call: RuntimeCall) -> u64 {
	let weights = RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let budget = normal.max_total.unwrap_or(weights.max_block);
	let each: Weight = call.get_dispatch_info().total_weight() + normal.base_extrinsic;
	budget.ref_time() / each.ref_time()
}

fn uri() -> Uri {
	Uri::try_from(vec![b'u'; 256]).unwrap()
}

#[test]
fn thousands_of_transfers_and_of_contributions_fit_in_a_block() {
	let single = per_block(RuntimeCall::Datasets(pallet_datasets::Call::contribute {
		dataset: 0,
		item: ContentRef { hash: H256::zero(), uri: uri(), bytes: 1 },
		licence: Licence::Cc0,
		consent: Consent::FULL,
	}));
	let batch = |count| {
		per_block(RuntimeCall::Datasets(pallet_datasets::Call::contribute_batch {
			dataset: 0,
			root: H256::zero(),
			count,
			total_bytes: 1,
			uri: uri(),
			licence: Licence::Cc0,
			consent: Consent::FULL,
		}))
	};
	let transfers = per_block(RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: sp_runtime::MultiAddress::Id([1; 32].into()),
		value: 1,
	}));
	println!(
		"transfer_keep_alive: {transfers} per block; contribute: {single} per block; \
		 contribute_batch: {} per block",
		batch(1)
	);
	// With storage weighed on a ten-million-key state (14.7 µs a read, 71.1 µs a write), thousands
	// of transfers fit in a block, and over a thousand single contributions (each writes its
	// dataset's open cohort, not a path of its points tree); a record of many items is the way to
	// contribute in bulk.
	assert!(transfers >= 3_000, "only {transfers} transfers per block");
	assert!(single >= 1_500, "only {single} contributions per block");
	// A batch costs the same whatever its size: a block records billions of items.
	assert_eq!(batch(1), batch(u32::MAX));
	assert!(batch(u32::MAX) * u64::from(u32::MAX) > 1_000_000_000_000);
}
