//! Models: registration and ownership.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use lineage_primitives::{ContentRef, Licence, ModelId, ModelVersionId};

use crate::*;

impl<T: Config> Pallet<T> {
	/// The model, if `who` owns it.
	pub(crate) fn owned_model(
		who: &T::AccountId,
		model: ModelId,
	) -> Result<ModelOf<T>, DispatchError> {
		let info = Models::<T>::get(model).ok_or(Error::<T>::UnknownModel)?;
		ensure!(&info.owner == who, Error::<T>::NotOwner);
		Ok(info)
	}

	/// The version, if `who` owns its model.
	pub(crate) fn owned_version(
		who: &T::AccountId,
		version: ModelVersionId,
	) -> Result<VersionOf<T>, DispatchError> {
		let record = Versions::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		Self::owned_model(who, record.model)?;
		Ok(record)
	}

	pub(crate) fn do_register_model(
		owner: T::AccountId,
		metadata: ContentRef,
		licence: Licence,
	) -> DispatchResult {
		ensure!(metadata.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		let id = NextModelId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let deposit = T::ModelDeposit::get();

		T::Currency::hold(&HoldReason::ModelDeposit.into(), &owner, deposit)?;
		Models::<T>::insert(
			id,
			ModelInfo {
				owner: owner.clone(),
				metadata,
				licence,
				deposit,
				versions: 0,
				live: 0,
				latest: None,
				created: frame_system::Pallet::<T>::block_number(),
			},
		);
		NextModelId::<T>::put(next);
		Self::deposit_event(Event::ModelRegistered { model: id, owner, licence });
		Ok(())
	}

	pub(crate) fn do_transfer_model(
		who: T::AccountId,
		model: ModelId,
		new_owner: T::AccountId,
	) -> DispatchResult {
		let mut info = Self::owned_model(&who, model)?;
		ensure!(new_owner != who, Error::<T>::AlreadyOwner);
		T::Currency::transfer_on_hold(
			&HoldReason::ModelDeposit.into(),
			&who,
			&new_owner,
			info.deposit,
			Precision::Exact,
			Restriction::OnHold,
			Fortitude::Polite,
		)?;
		info.owner = new_owner.clone();
		Models::<T>::insert(model, info);
		Self::deposit_event(Event::ModelTransferred { model, from: who, to: new_owner });
		Ok(())
	}

	/// Removes a model none of whose versions is left and releases its deposit to its owner.
	pub(crate) fn do_remove_model(who: T::AccountId, model: ModelId) -> DispatchResult {
		let info = Self::owned_model(&who, model)?;
		ensure!(info.live == 0, Error::<T>::HasVersions);
		T::Currency::release(
			&HoldReason::ModelDeposit.into(),
			&who,
			info.deposit,
			Precision::Exact,
		)?;
		Models::<T>::remove(model);
		Self::deposit_event(Event::ModelRemoved { model, owner: who, released: info.deposit });
		Ok(())
	}
}
