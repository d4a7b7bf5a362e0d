//! The pallet's invariants, checked by `try_state` and, in tests, after every block (compiled with
//! `std` too, so the runtime's integration tests run them).

use lineage_primitives::ModelVersionId;

use crate::*;

impl<T: Config> Pallet<T> {
	/// Checks the pallet's invariants:
	/// - every version's model exists and lists it, its number is within the model's count, its
	///   attribution table sums to exactly 100% with one entry per dataset, its parent exists, was
	///   published before it and heads its ancestry, and a version without commercial use is
	///   unpriced;
	/// - each model's live version count matches its index, and each version's child count the
	///   versions naming it as parent (so a retired version is no live version's parent);
	/// - revocations and withdrawal graces mark only existing versions;
	/// - the funds held for each reason equal what the records say is held.
	///
	/// Compiled with `std` too, so the runtime's integration tests run it after every block.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::{traits::Zero, PerThing, Perbill};

		let mut children: BTreeMap<ModelVersionId, u32> = BTreeMap::new();
		let mut model_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut version_holds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let next = NextVersionId::<T>::get();

		for (id, v) in Versions::<T>::iter() {
			ensure!(id < next, "version id not below NextVersionId");
			let info = Models::<T>::get(v.model).ok_or("version of an unknown model")?;
			ensure!(
				ModelVersions::<T>::contains_key(v.model, id),
				"version missing from its index"
			);
			ensure!(v.number >= 1 && v.number <= info.versions, "version number out of range");
			let total: u64 = v.attribution.iter().map(|e| u64::from(e.share.deconstruct())).sum();
			ensure!(total == u64::from(Perbill::ACCURACY), "table does not sum to 100%");
			let datasets: BTreeSet<_> = v.attribution.iter().map(|e| e.snapshot.dataset).collect();
			ensure!(datasets.len() == v.attribution.len(), "a dataset appears twice in a table");
			ensure!(v.parent == v.ancestors.first().copied(), "parent does not head the ancestry");
			if let Some(parent) = v.parent {
				*children.entry(parent).or_default() += 1;
				ensure!(parent < id, "parent published after its child");
				let record = Versions::<T>::get(parent).ok_or("parent does not exist")?;
				ensure!(
					record.ancestors.iter().eq(v.ancestors.iter().skip(1)),
					"ancestry is not the parent's ancestry"
				);
			}
			ensure!(v.commercial_use || v.price.is_zero(), "non-commercial version has a price");
			*version_holds.entry(v.publisher.clone()).or_default() += v.deposit;
		}
		for (id, info) in Models::<T>::iter() {
			ensure!(id < NextModelId::<T>::get(), "model id not below NextModelId");
			let listed = ModelVersions::<T>::iter_key_prefix(id).count() as u32;
			ensure!(listed == info.live, "live version count differs from the model's index");
			ensure!(info.live <= info.versions, "more live versions than published");
			*model_holds.entry(info.owner.clone()).or_default() += info.deposit;
		}
		for (reason, holds) in
			[(HoldReason::ModelDeposit, model_holds), (HoldReason::VersionDeposit, version_holds)]
		{
			let reason = reason.into();
			for (who, held) in holds {
				ensure!(
					T::Currency::balance_on_hold(&reason, &who) == held,
					"deposits held differ from the records"
				);
			}
		}
		ensure!(
			Revoked::<T>::iter_keys().all(Versions::<T>::contains_key),
			"a revocation marks an unknown version"
		);
		ensure!(
			GraceStarted::<T>::iter_keys().all(Versions::<T>::contains_key),
			"a withdrawal grace runs for an unknown version"
		);
		for (id, v) in Versions::<T>::iter() {
			ensure!(
				v.children == children.get(&id).copied().unwrap_or_default(),
				"a version's child count differs from the versions naming it as parent"
			);
		}
		Ok(())
	}
}
