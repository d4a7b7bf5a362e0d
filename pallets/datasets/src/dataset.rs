//! Datasets: creation, policy, curators, ownership, closing and takedown.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use lineage_primitives::{Consent, ContentRef, DatasetId, Licence};
use sp_core::H256;

use crate::*;

impl<T: Config> Pallet<T> {
	/// The dataset, if it takes contributions; its error otherwise.
	pub(crate) fn active_dataset(dataset: DatasetId) -> Result<DatasetOf<T>, DispatchError> {
		let info = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		match info.status {
			DatasetStatus::Active => Ok(info),
			DatasetStatus::Closed { .. } => Err(Error::<T>::DatasetClosed.into()),
			DatasetStatus::TakenDown { .. } => Err(Error::<T>::DatasetTakenDown.into()),
		}
	}

	/// The dataset, if it is active and `who` owns it.
	fn owned_dataset(
		who: &T::AccountId,
		dataset: DatasetId,
	) -> Result<DatasetOf<T>, DispatchError> {
		let info = Self::active_dataset(dataset)?;
		ensure!(&info.owner == who, Error::<T>::NotOwner);
		Ok(info)
	}

	/// Whether `who` curates `dataset`.
	pub fn is_curator(dataset: DatasetId, who: &T::AccountId) -> bool {
		Curators::<T>::get(dataset).contains(who)
	}

	pub(crate) fn do_create_dataset(
		owner: T::AccountId,
		metadata: ContentRef,
		licence: Licence,
		policy: PolicyOf<T>,
	) -> DispatchResult {
		ensure!(metadata.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		Self::check_policy(&policy)?;
		let id = NextDatasetId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::DatasetDeposit::get();
		let curators = BoundedVec::try_from(alloc::vec![owner.clone()])
			.map_err(|_| Error::<T>::TooManyCurators)?;

		T::Currency::hold(&HoldReason::DatasetDeposit.into(), &owner, deposit)?;
		let info = DatasetInfo {
			owner: owner.clone(),
			metadata,
			licence,
			policy,
			deposit,
			status: DatasetStatus::Active,
			created: frame_system::Pallet::<T>::block_number(),
			pending: 0,
			accepted: 0,
			items: 0,
			total_points: 0,
			content_root: H256::zero(),
			withdrawn: 0,
			withdrawn_items: 0,
			withdrawn_root: H256::zero(),
			consent: Consent::FULL,
			snapshots: 0,
			changes_since_snapshot: 0,
			tainted_ranges: 0,
		};
		Datasets::<T>::insert(id, info);
		OwnedDatasets::<T>::insert(&owner, id, ());
		Curators::<T>::insert(id, curators);
		NextDatasetId::<T>::put(next);
		Self::deposit_event(Event::DatasetCreated {
			dataset: id,
			owner,
			licence,
			admission: policy.admission,
		});
		Ok(())
	}

	/// Refuses a policy the pallet cannot honour.
	fn check_policy(policy: &PolicyOf<T>) -> DispatchResult {
		ensure!(policy.withdrawal_grace <= T::MaxWithdrawalGrace::get(), Error::<T>::GraceTooLong);
		Ok(())
	}

	pub(crate) fn do_update_dataset(
		who: T::AccountId,
		dataset: DatasetId,
		metadata: Option<ContentRef>,
		policy: Option<PolicyOf<T>>,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&who, dataset)?;
		if let Some(metadata) = &metadata {
			ensure!(metadata.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
			info.metadata = metadata.clone();
		}
		if let Some(policy) = &policy {
			Self::check_policy(policy)?;
			info.policy = *policy;
		}
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DatasetUpdated { dataset, metadata, policy });
		Ok(())
	}

	pub(crate) fn do_add_curator(
		who: T::AccountId,
		dataset: DatasetId,
		curator: T::AccountId,
	) -> DispatchResult {
		Self::owned_dataset(&who, dataset)?;
		Curators::<T>::try_mutate(dataset, |curators| {
			ensure!(!curators.contains(&curator), Error::<T>::AlreadyCurator);
			curators.try_push(curator.clone()).map_err(|_| Error::<T>::TooManyCurators)
		})?;
		Self::deposit_event(Event::CuratorAdded { dataset, curator });
		Ok(())
	}

	pub(crate) fn do_remove_curator(
		who: T::AccountId,
		dataset: DatasetId,
		curator: T::AccountId,
	) -> DispatchResult {
		let info = Self::owned_dataset(&who, dataset)?;
		ensure!(curator != info.owner, Error::<T>::CannotRemoveOwner);
		Curators::<T>::try_mutate(dataset, |curators| {
			let at = curators.iter().position(|c| c == &curator).ok_or(Error::<T>::NotCurator)?;
			curators.remove(at);
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::CuratorRemoved { dataset, curator });
		Ok(())
	}

	pub(crate) fn do_transfer_ownership(
		who: T::AccountId,
		dataset: DatasetId,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::owned_dataset(&who, dataset)?;
		ensure!(new_owner != who, Error::<T>::AlreadyOwner);
		let mut curators = Curators::<T>::get(dataset);
		if !curators.contains(&new_owner) {
			curators.try_push(new_owner.clone()).map_err(|_| Error::<T>::TooManyCurators)?;
		}
		// The new owner first, as the owner always is.
		if let Some(at) = curators.iter().position(|c| c == &new_owner) {
			curators[..=at].rotate_right(1);
		}

		T::Currency::transfer_on_hold(
			&HoldReason::DatasetDeposit.into(),
			&who,
			&new_owner,
			info.deposit,
			Precision::Exact,
			Restriction::OnHold,
			Fortitude::Polite,
		)?;
		info.owner = new_owner.clone();
		Datasets::<T>::insert(dataset, info);
		OwnedDatasets::<T>::remove(&who, dataset);
		OwnedDatasets::<T>::insert(&new_owner, dataset, ());
		Curators::<T>::insert(dataset, curators);
		Self::deposit_event(Event::OwnershipTransferred { dataset, from: who, to: new_owner });
		Ok(())
	}

	pub(crate) fn do_close_dataset(who: T::AccountId, dataset: DatasetId) -> DispatchResult {
		let mut info = Self::owned_dataset(&who, dataset)?;
		ensure!(info.pending == 0, Error::<T>::HasPendingContributions);
		let released = Self::release_dataset_deposit(&mut info)?;
		info.status = DatasetStatus::Closed { at: frame_system::Pallet::<T>::block_number() };
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DatasetClosed { dataset, deposit_released: released });
		Ok(())
	}

	pub(crate) fn do_takedown(dataset: DatasetId, reason: H256) -> DispatchResult {
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		if let DatasetStatus::TakenDown { .. } = info.status {
			return Err(Error::<T>::DatasetTakenDown.into());
		}
		// The owner answers for what the dataset published: its deposit goes to the slash
		// destination (a closed dataset's deposit was already returned).
		let slashed = info.deposit;
		if !slashed.is_zero() {
			T::Currency::transfer_on_hold(
				&HoldReason::DatasetDeposit.into(),
				&info.owner,
				&T::SlashDestination::get(),
				slashed,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
			info.deposit = Zero::zero();
		}
		info.status =
			DatasetStatus::TakenDown { at: frame_system::Pallet::<T>::block_number(), reason };
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::DatasetTakenDown { dataset, reason, slashed });
		Ok(())
	}

	/// Releases the owner's dataset deposit; the record then says nothing is held.
	fn release_dataset_deposit(info: &mut DatasetOf<T>) -> Result<BalanceOf<T>, DispatchError> {
		let released = T::Currency::release(
			&HoldReason::DatasetDeposit.into(),
			&info.owner,
			info.deposit,
			Precision::Exact,
		)?;
		info.deposit = Zero::zero();
		Ok(released)
	}
}
