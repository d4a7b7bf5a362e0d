//! Versions: publishing (input, licence and consent checks, the flattened attribution table and
//! ancestry), price, deprecation, retirement and revocation.

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::MutateHold, tokens::Precision},
};
use lineage_primitives::{
	AttributionEntry, ContentRef, DatasetId, Licence, LicenceError, ModelId, ModelVersionId,
	SnapshotRef, SnapshotStatus,
};
use sp_core::H256;
use sp_runtime::{traits::Zero, PerThing, Perbill};

use crate::*;

/// Parts of a whole (100%) in a `Perbill`.
const WHOLE: u64 = Perbill::ACCURACY as u64;

impl<T: Config> Pallet<T> {
	/// Publishes a version; returns the number of entries in its parent's table (zero without a
	/// parent), which the call's weight depends on.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn do_publish_version(
		who: T::AccountId,
		model: ModelId,
		artifact: ContentRef,
		inputs: InputsOf<T>,
		parent: Option<ModelVersionId>,
		builder_share: Perbill,
		price: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let mut info = Self::owned_model(&who, model)?;
		ensure!(artifact.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		ensure!(builder_share <= T::MaxBuilderShare::get(), Error::<T>::BuilderShareTooHigh);
		Self::check_weights(&inputs)?;

		let id = NextVersionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let number = info.versions.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let priced = !price.is_zero();

		// Every snapshot that reaches the version, its own and its parent's, must allow it.
		let mut commercial_use = true;
		for input in inputs.iter() {
			commercial_use &= Self::check_snapshot(input.snapshot, info.licence, priced)?;
		}
		// The parent, with one more child counted, is stored along with the version.
		let (ancestors, parent_record) = match parent {
			None => (AncestorsOf::<T>::default(), None),
			Some(parent) => {
				ensure!(parent != id, Error::<T>::LineageCycle);
				let mut record = Versions::<T>::get(parent).ok_or(Error::<T>::UnknownParent)?;
				ensure!(Self::taint_of(parent, &record).is_none(), Error::<T>::TaintedParent);
				commercial_use &= Self::check_parent(&record, &who, info.licence, priced)?;
				for entry in record.attribution.iter() {
					commercial_use &= Self::check_snapshot(entry.snapshot, info.licence, priced)?;
				}
				let mut ancestors = Vec::with_capacity(record.ancestors.len() + 1);
				ancestors.push(parent);
				ancestors.extend(record.ancestors.iter().copied());
				let ancestors = AncestorsOf::<T>::try_from(ancestors)
					.map_err(|_| Error::<T>::LineageTooDeep)?;
				record.children = record.children.checked_add(1).ok_or(Error::<T>::Overflow)?;
				(ancestors, Some((parent, record)))
			},
		};
		let parent_table = parent_record.as_ref().map(|(_, record)| &record.attribution[..]);
		let parent_entries = parent_table.map_or(0, |table| table.len() as u32);
		let attribution = Self::attribution_table(&inputs, parent_table)?;

		let deposit = T::VersionDeposit::get();
		T::Currency::hold(&HoldReason::VersionDeposit.into(), &who, deposit)?;
		let datasets = attribution.len() as u32;
		Versions::<T>::insert(
			id,
			ModelVersion {
				model,
				number,
				publisher: who,
				artifact,
				inputs,
				parent,
				ancestors,
				attribution,
				builder_share,
				price,
				commercial_use,
				deprecated: false,
				children: 0,
				deposit,
				published: frame_system::Pallet::<T>::block_number(),
			},
		);
		if let Some((parent, record)) = parent_record {
			Versions::<T>::insert(parent, record);
		}
		ModelVersions::<T>::insert(model, id, ());
		info.versions = number;
		info.live = info.live.checked_add(1).ok_or(Error::<T>::Overflow)?;
		info.latest = Some(id);
		Models::<T>::insert(model, info);
		NextVersionId::<T>::put(next);
		Self::deposit_event(Event::VersionPublished {
			model,
			version: id,
			number,
			parent,
			price,
			builder_share,
			datasets,
		});
		Ok(parent_entries)
	}

	/// Inputs are non-empty, distinct, each weighted, and their weights sum to exactly 100%.
	fn check_weights(inputs: &InputsOf<T>) -> DispatchResult {
		ensure!(!inputs.is_empty(), Error::<T>::NoInputs);
		let mut sum: u64 = 0;
		for (at, input) in inputs.iter().enumerate() {
			ensure!(!input.weight.is_zero(), Error::<T>::ZeroWeight);
			ensure!(
				inputs[..at].iter().all(|earlier| earlier.snapshot != input.snapshot),
				Error::<T>::DuplicateInput
			);
			sum += u64::from(input.weight.deconstruct());
		}
		ensure!(sum == WHOLE, Error::<T>::WeightsNotWhole);
		Ok(())
	}

	/// Checks that `snapshot` is usable and its licence and consent allow training a model under
	/// `licence` (sold when `priced`); returns whether they also allow commercial use.
	fn check_snapshot(
		snapshot: SnapshotRef,
		licence: Licence,
		priced: bool,
	) -> Result<bool, DispatchError> {
		let view = T::Datasets::snapshot_info(snapshot).ok_or(Error::<T>::UnknownSnapshot)?;
		match view.status {
			SnapshotStatus::Active => {},
			SnapshotStatus::Withdrawn => return Err(Error::<T>::SnapshotWithdrawn.into()),
			SnapshotStatus::TakenDown => return Err(Error::<T>::SnapshotTakenDown.into()),
		}
		let commercial = priced || licence.allows_commercial();
		view.licence.permits_model(licence, priced).map_err(Self::licence_error)?;
		view.consent.permits_model(commercial).map_err(Self::licence_error)?;
		Ok(view.licence.permits_model(licence, true).is_ok()
			&& view.consent.permits_model(true).is_ok())
	}

	/// Checks that the parent version may be fine-tuned by `who` into a model under `licence`
	/// (sold when `priced`): the parent model's owner may fine-tune it into whatever its data
	/// allows; anyone else only as the parent model's licence allows a derived work (share-alike
	/// stays share-alike, non-commercial stays unpriced and non-commercial), and a proprietary or
	/// custom-licensed model is fine-tuned by its owner only. Returns whether the parent also
	/// allows commercial use.
	fn check_parent(
		record: &VersionOf<T>,
		who: &T::AccountId,
		licence: Licence,
		priced: bool,
	) -> Result<bool, DispatchError> {
		let parent = Models::<T>::get(record.model).ok_or(Error::<T>::UnknownParent)?;
		if parent.owner == *who {
			return Ok(record.commercial_use);
		}
		parent.licence.permits_model(licence, priced).map_err(|error| match error {
			LicenceError::ProprietaryData | LicenceError::CustomTerms => {
				Error::<T>::NotParentOwner.into()
			},
			other => Self::licence_error(other),
		})?;
		Ok(record.commercial_use && parent.licence.permits_model(licence, true).is_ok())
	}

	fn licence_error(error: LicenceError) -> DispatchError {
		match error {
			LicenceError::CommercialUseForbidden => Error::<T>::CommercialUseForbidden,
			LicenceError::NoTrainingConsent => Error::<T>::NoTrainingConsent,
			LicenceError::IncompatibleItem
			| LicenceError::ShareAlikeViolated
			| LicenceError::ProprietaryData
			| LicenceError::CustomTerms => Error::<T>::IncompatibleLicence,
		}
		.into()
	}

	/// The flattened attribution table of a version with these inputs and, when it has a parent,
	/// the parent's table: the inputs share `100% − ParentShare` by weight, the parent's entries
	/// share `ParentShare` by their shares; entries of one dataset merge (keeping its latest
	/// snapshot); rounding dust goes to the largest entry, so the shares sum to exactly 100%.
	/// Entries keep a zero share rather than vanish, so taint still reaches the version.
	pub(crate) fn attribution_table(
		inputs: &[TrainingInput],
		parent: Option<&[AttributionEntry]>,
	) -> Result<AttributionOf<T>, DispatchError> {
		let parent_part = if parent.is_some() { T::ParentShare::get() } else { Perbill::zero() };
		let own_part = parent_part.left_from_one();
		let mut merged: BTreeMap<DatasetId, (SnapshotRef, u64)> = BTreeMap::new();
		let mut add = |snapshot: SnapshotRef, share: Perbill, part: Perbill| {
			let parts = u64::from(share.deconstruct()) * u64::from(part.deconstruct()) / WHOLE;
			let entry = merged.entry(snapshot.dataset).or_insert((snapshot, 0));
			entry.0.version = entry.0.version.max(snapshot.version);
			entry.1 += parts;
		};
		for input in inputs {
			add(input.snapshot, input.weight, own_part);
		}
		for entry in parent.unwrap_or_default() {
			add(entry.snapshot, entry.share, parent_part);
		}

		let total: u64 = merged.values().map(|(_, parts)| parts).sum();
		let dust = WHOLE.saturating_sub(total);
		let largest =
			merged.iter().max_by_key(|(_, (_, parts))| *parts).map(|(dataset, _)| *dataset);
		if let Some((_, parts)) = largest.and_then(|dataset| merged.get_mut(&dataset)) {
			*parts += dust;
		}
		let entries: Vec<AttributionEntry> = merged
			.into_values()
			.map(|(snapshot, parts)| AttributionEntry {
				snapshot,
				share: Perbill::from_parts(parts as u32),
			})
			.collect();
		AttributionOf::<T>::try_from(entries)
			.map_err(|_| Error::<T>::TooManyAttributionEntries.into())
	}

	pub(crate) fn do_set_price(
		who: T::AccountId,
		version: ModelVersionId,
		price: BalanceOf<T>,
	) -> DispatchResult {
		let mut record = Self::owned_version(&who, version)?;
		ensure!(price.is_zero() || record.commercial_use, Error::<T>::CommercialUseForbidden);
		record.price = price;
		Versions::<T>::insert(version, record);
		Self::deposit_event(Event::PriceSet { version, price });
		Ok(())
	}

	pub(crate) fn do_deprecate_version(
		who: T::AccountId,
		version: ModelVersionId,
	) -> DispatchResult {
		let mut record = Self::owned_version(&who, version)?;
		ensure!(!record.deprecated, Error::<T>::AlreadyDeprecated);
		record.deprecated = true;
		Versions::<T>::insert(version, record);
		Self::deposit_event(Event::VersionDeprecated { version });
		Ok(())
	}

	/// Removes a deprecated version that no job runs on and no version derives from, and
	/// releases its deposit to its publisher.
	pub(crate) fn do_retire_version(who: T::AccountId, version: ModelVersionId) -> DispatchResult {
		let record = Versions::<T>::get(version).ok_or(Error::<T>::UnknownVersion)?;
		let mut info = Self::owned_model(&who, record.model)?;
		ensure!(record.deprecated, Error::<T>::NotDeprecated);
		ensure!(record.children == 0, Error::<T>::HasChildren);
		ensure!(T::Jobs::open_jobs(version) == 0, Error::<T>::HasOpenJobs);

		T::Currency::release(
			&HoldReason::VersionDeposit.into(),
			&record.publisher,
			record.deposit,
			Precision::Exact,
		)?;
		if let Some(parent) = record.parent {
			Versions::<T>::mutate(parent, |p| {
				if let Some(p) = p {
					p.children = p.children.saturating_sub(1);
				}
			});
		}
		info.live = info.live.saturating_sub(1);
		if info.latest == Some(version) {
			info.latest = None;
		}
		Versions::<T>::remove(version);
		ModelVersions::<T>::remove(record.model, version);
		Revoked::<T>::remove(version);
		GraceStarted::<T>::remove(version);
		Models::<T>::insert(record.model, info);
		Self::deposit_event(Event::VersionRetired {
			model: record.model,
			version,
			publisher: record.publisher,
			released: record.deposit,
		});
		Ok(())
	}

	pub(crate) fn do_revoke_version(version: ModelVersionId, reason: H256) -> DispatchResult {
		ensure!(Versions::<T>::contains_key(version), Error::<T>::UnknownVersion);
		ensure!(!Revoked::<T>::contains_key(version), Error::<T>::AlreadyRevoked);
		Revoked::<T>::insert(version, reason);
		Self::deposit_event(Event::VersionRevoked { version, reason });
		Ok(())
	}
}
