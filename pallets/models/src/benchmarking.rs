//! Benchmarks of every call, at their worst cases.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;
use lineage_primitives::{ContentRef, Licence, ModelId, ModelVersionId, SnapshotRef, Uri};
use sp_core::H256;
use sp_runtime::{
	traits::{Bounded, StaticLookup},
	PerThing, Perbill,
};

const SEED: u32 = 0;

/// An account with plenty of funds.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let plenty = BalanceOf::<T>::max_value() / 1_000_000u32.into();
	T::Currency::set_balance(&who, plenty);
	who
}

/// Content `n` whose URI is as long as `MaxUriLen` allows.
fn content_for<T: Config>(n: u32) -> ContentRef {
	let mut hash = [0u8; 32];
	hash[..4].copy_from_slice(&n.to_le_bytes());
	let uri = Uri::try_from(alloc::vec![b'u'; T::MaxUriLen::get() as usize])
		.expect("MaxUriLen <= MAX_URI_LEN");
	ContentRef { hash: H256(hash), uri, bytes: u64::MAX }
}

/// A model of a funded owner under a commercial licence.
fn model<T: Config>() -> (ModelId, T::AccountId) {
	let owner = funded::<T>("owner", 0);
	let id = NextModelId::<T>::get();
	Pallet::<T>::do_register_model(owner.clone(), content_for::<T>(0), Licence::Apache2)
		.expect("model registered");
	(id, owner)
}

/// The snapshots, weighted evenly (the first takes the remainder) so the weights sum to 100%.
fn even<T: Config>(snapshots: &[SnapshotRef]) -> InputsOf<T> {
	let n = snapshots.len() as u32;
	let each = Perbill::ACCURACY / n;
	let first = Perbill::ACCURACY - each * (n - 1);
	let inputs: Vec<TrainingInput> = snapshots
		.iter()
		.enumerate()
		.map(|(at, &snapshot)| TrainingInput {
			snapshot,
			weight: Perbill::from_parts(if at == 0 { first } else { each }),
		})
		.collect();
	InputsOf::<T>::try_from(inputs).expect("at most MaxInputs")
}

/// `count` new usable snapshots, numbered from `from`.
fn snapshots<T: Config>(from: u32, count: u32) -> Vec<SnapshotRef> {
	(from..from + count).map(T::BenchmarkHelper::snapshot).collect()
}

/// Publishes a version of `model` as `owner`; returns its id.
fn publish<T: Config>(
	owner: &T::AccountId,
	model: ModelId,
	inputs: InputsOf<T>,
	parent: Option<ModelVersionId>,
) -> ModelVersionId {
	let id = NextVersionId::<T>::get();
	Pallet::<T>::do_publish_version(
		owner.clone(),
		model,
		content_for::<T>(id),
		inputs,
		parent,
		T::MaxBuilderShare::get(),
		1u32.into(),
	)
	.expect("version published");
	id
}

/// A version of `model` whose table holds `entries` datasets (at least one) and whose ancestry is
/// `MaxLineageDepth − 1` deep, so a child of it has the deepest ancestry allowed.
fn deep_parent<T: Config>(owner: &T::AccountId, model: ModelId, entries: u32) -> ModelVersionId {
	let max_inputs = T::MaxInputs::get();
	let all = snapshots::<T>(1_000, entries.max(1));
	let mut parent = None;
	for generation in all.chunks(max_inputs as usize) {
		parent = Some(publish::<T>(owner, model, even::<T>(generation), parent));
	}
	let depth = T::MaxLineageDepth::get();
	while Versions::<T>::get(parent.expect("one generation at least"))
		.expect("published")
		.ancestors
		.len() as u32
		+ 1 < depth
	{
		parent = Some(publish::<T>(owner, model, even::<T>(&all[..1]), parent));
	}
	parent.expect("one generation at least")
}

/// A version owned by a funded owner.
fn version<T: Config>() -> (ModelVersionId, T::AccountId) {
	let (model, owner) = model::<T>();
	let id = publish::<T>(&owner, model, even::<T>(&snapshots::<T>(0, 1)), None);
	(id, owner)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_model() {
		let owner = funded::<T>("owner", 0);
		let id = NextModelId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner.clone()), content_for::<T>(0), Licence::Apache2);

		assert_eq!(Models::<T>::get(id).map(|m| m.owner), Some(owner));
	}

	/// `i` new datasets as inputs; a parent whose table holds `p` datasets, with the deepest
	/// ancestry allowed.
	#[benchmark]
	fn publish_version(
		i: Linear<1, { T::MaxInputs::get() }>,
		p: Linear<1, { T::MaxAttributionEntries::get() - T::MaxInputs::get() }>,
	) {
		let (model, owner) = model::<T>();
		let parent = deep_parent::<T>(&owner, model, p);
		let inputs = even::<T>(&snapshots::<T>(0, i));
		let id = NextVersionId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			model,
			content_for::<T>(id),
			inputs,
			Some(parent),
			T::MaxBuilderShare::get(),
			1u32.into(),
		);

		let record = Versions::<T>::get(id).expect("published");
		assert_eq!(record.attribution.len() as u32, i + p);
		assert_eq!(record.ancestors.len() as u32, T::MaxLineageDepth::get());
	}

	#[benchmark]
	fn set_price() {
		let (id, owner) = version::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id, 7u32.into());

		assert_eq!(Versions::<T>::get(id).map(|v| v.price), Some(7u32.into()));
	}

	#[benchmark]
	fn deprecate_version() {
		let (id, owner) = version::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), id);

		assert_eq!(Versions::<T>::get(id).map(|v| v.deprecated), Some(true));
	}

	#[benchmark]
	fn transfer_model() {
		let (model, owner) = model::<T>();
		let to = funded::<T>("to", 1);
		let lookup = T::Lookup::unlookup(to.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model, lookup);

		assert_eq!(Models::<T>::get(model).map(|m| m.owner), Some(to));
	}

	#[benchmark]
	fn revoke_version() -> Result<(), BenchmarkError> {
		let (id, _) = version::<T>();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, H256::repeat_byte(1));

		assert!(Revoked::<T>::contains_key(id));
		Ok(())
	}

	/// The worst case: a revoked child whose parent's child count goes down.
	#[benchmark]
	fn retire_version() {
		let (parent, owner) = version::<T>();
		let model = Versions::<T>::get(parent).expect("published").model;
		let child = publish::<T>(&owner, model, even::<T>(&snapshots::<T>(500, 1)), Some(parent));
		Pallet::<T>::do_deprecate_version(owner.clone(), child).expect("deprecated");
		Pallet::<T>::do_revoke_version(child, H256::repeat_byte(1)).expect("revoked");

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), child);

		assert!(!Versions::<T>::contains_key(child));
		assert_eq!(Versions::<T>::get(parent).map(|v| v.children), Some(0));
	}

	#[benchmark]
	fn remove_model() {
		let (model, owner) = model::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), model);

		assert!(!Models::<T>::contains_key(model));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
