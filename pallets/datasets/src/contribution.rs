//! Contributions: submission, review, consent withdrawal, removal.

use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::MutateHold,
		tokens::{Fortitude, Precision, Restriction},
	},
};
use lineage_primitives::{Consent, ContentRef, ContributionId, DatasetId, Licence, Points};
use sp_core::H256;
use sp_runtime::traits::{Saturating, Zero};

use crate::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_contribute(
		who: T::AccountId,
		dataset: DatasetId,
		content: ContentRef,
		items: u32,
		licence: Licence,
		consent: Consent,
	) -> DispatchResult {
		ensure!(content.bytes > 0, Error::<T>::ZeroBytes);
		ensure!(content.uri_fits::<T::MaxUriLen>(), Error::<T>::UriTooLong);
		let mut info = Self::active_dataset(dataset)?;
		info.licence
			.accepts_item(licence)
			.map_err(|_| Error::<T>::IncompatibleLicence)?;
		ensure!(
			consent.meet(info.policy.min_consent) == info.policy.min_consent,
			Error::<T>::InsufficientConsent
		);
		ensure!(!ItemIndex::<T>::contains_key(dataset, content.hash), Error::<T>::DuplicateItem);
		let id = NextContributionId::<T>::get();
		let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let open = info.policy.admission == Admission::Open;
		let record_deposit = T::ContributionRecordDeposit::get();
		// An open dataset accepts at once: only the record deposit is held.
		let review_deposit = if open { Zero::zero() } else { info.policy.contribution_deposit };
		T::Currency::hold(
			&HoldReason::ContributionDeposit.into(),
			&who,
			record_deposit.saturating_add(review_deposit),
		)?;

		let hash = content.hash;
		let mut contribution = Contribution {
			dataset,
			contributor: who.clone(),
			content,
			items,
			licence,
			consent,
			review_deposit,
			reject_slash: info.policy.reject_slash,
			record_deposit,
			submitted: frame_system::Pallet::<T>::block_number(),
			state: ContributionState::Pending,
		};
		Self::deposit_event(Event::Contributed {
			dataset,
			contribution: id,
			contributor: who.clone(),
			hash,
			items,
		});
		if open {
			Self::accept(&mut info, id, &mut contribution, T::DefaultQuality::get(), None)?;
		} else {
			info.pending = info.pending.checked_add(1).ok_or(Error::<T>::Overflow)?;
		}
		ItemIndex::<T>::insert(dataset, hash, id);
		AccountContributions::<T>::insert(&who, id, ());
		Contributions::<T>::insert(id, contribution);
		Datasets::<T>::insert(dataset, info);
		NextContributionId::<T>::put(next);
		Ok(())
	}

	/// Accepts `contribution` into `info` with `quality`: points, content root, counters, event.
	/// A count earns points only when a curator (`reviewer`) vouched for it; without one the
	/// contribution is credited as one item. Writes nothing to storage but the contributor's
	/// points and the contribution's acceptance position; the caller stores both records.
	fn accept(
		info: &mut DatasetOf<T>,
		id: ContributionId,
		contribution: &mut ContributionOf<T>,
		quality: u8,
		reviewer: Option<T::AccountId>,
	) -> DispatchResult {
		ensure!((1..=100).contains(&quality), Error::<T>::QualityOutOfRange);
		let credited = if reviewer.is_some() { contribution.items } else { 1 };
		let points =
			Points::from(quality).checked_mul(credited.into()).ok_or(Error::<T>::Overflow)?;
		info.total_points = info.total_points.checked_add(points).ok_or(Error::<T>::Overflow)?;
		info.items =
			info.items.checked_add(contribution.items.into()).ok_or(Error::<T>::Overflow)?;
		let position = info.accepted;
		info.accepted = info.accepted.checked_add(1).ok_or(Error::<T>::Overflow)?;
		info.changes_since_snapshot =
			info.changes_since_snapshot.checked_add(1).ok_or(Error::<T>::Overflow)?;
		info.consent = info.consent.meet(contribution.consent);
		info.content_root =
			Self::chain_root(info.content_root, id, contribution.content.hash, contribution.items);
		let first_snapshot = info.snapshots.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let dataset = contribution.dataset;
		let who = contribution.contributor.clone();
		ContributorPoints::<T>::mutate(dataset, &who, |p| *p = p.saturating_add(points));
		AcceptedContributions::<T>::insert(dataset, position, id);
		T::Points::points_added(dataset, &who, first_snapshot, points);
		contribution.state = ContributionState::Accepted {
			quality,
			points,
			reviewer: reviewer.clone(),
			position,
			first_snapshot,
			withdrawn: None,
		};
		Self::deposit_event(Event::ContributionAccepted {
			dataset,
			contribution: id,
			contributor: who,
			quality,
			points,
			reviewer,
		});
		Ok(())
	}

	/// The next link of a dataset's content or withdrawn root:
	/// `blake2_256(SCALE((root, contribution id, item hash or batch root, item count)))`.
	pub fn chain_root(root: H256, id: ContributionId, hash: H256, items: u32) -> H256 {
		H256(sp_io::hashing::blake2_256(&(root, id, hash, items).encode()))
	}

	pub(crate) fn do_review(
		who: T::AccountId,
		id: ContributionId,
		verdict: Review,
	) -> DispatchResult {
		let mut contribution =
			Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		let dataset = contribution.dataset;
		let mut info = Self::active_dataset(dataset)?;
		ensure!(Self::is_curator(dataset, &who), Error::<T>::NotCurator);
		ensure!(contribution.state == ContributionState::Pending, Error::<T>::AlreadyReviewed);
		info.pending = info.pending.saturating_sub(1);

		match verdict {
			Review::Accept { quality } => {
				Self::accept(&mut info, id, &mut contribution, quality, Some(who))?;
				let reason = HoldReason::ContributionDeposit.into();
				T::Currency::release(
					&reason,
					&contribution.contributor,
					contribution.review_deposit,
					Precision::Exact,
				)?;
				contribution.review_deposit = Zero::zero();
				Contributions::<T>::insert(id, contribution);
			},
			Review::Reject { reason } => {
				let slash = contribution.reject_slash * contribution.review_deposit;
				if !slash.is_zero() {
					T::Currency::transfer_on_hold(
						&HoldReason::ContributionDeposit.into(),
						&contribution.contributor,
						&T::SlashDestination::get(),
						slash,
						Precision::Exact,
						Restriction::Free,
						Fortitude::Force,
					)?;
				}
				let refund = contribution
					.review_deposit
					.saturating_sub(slash)
					.saturating_add(contribution.record_deposit);
				Self::release_and_remove(id, &contribution, refund)?;
				Self::deposit_event(Event::ContributionRejected {
					dataset,
					contribution: id,
					contributor: contribution.contributor,
					reason,
					slashed: slash,
				});
			},
		}
		Datasets::<T>::insert(dataset, info);
		Ok(())
	}

	/// Releases `refund` of the contributor's held deposits and removes the contribution's record
	/// and its indexes.
	fn release_and_remove(
		id: ContributionId,
		contribution: &ContributionOf<T>,
		refund: BalanceOf<T>,
	) -> DispatchResult {
		T::Currency::release(
			&HoldReason::ContributionDeposit.into(),
			&contribution.contributor,
			refund,
			Precision::Exact,
		)?;
		Contributions::<T>::remove(id);
		ItemIndex::<T>::remove(contribution.dataset, contribution.content.hash);
		AccountContributions::<T>::remove(&contribution.contributor, id);
		Ok(())
	}

	pub(crate) fn do_withdraw_consent(who: T::AccountId, id: ContributionId) -> DispatchResult {
		let mut contribution =
			Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor == who, Error::<T>::NotContributor);
		let dataset = contribution.dataset;
		let (hash, items) = (contribution.content.hash, contribution.items);
		let ContributionState::Accepted { points, first_snapshot, ref mut withdrawn, .. } =
			contribution.state
		else {
			return Err(Error::<T>::NotAccepted.into());
		};
		ensure!(withdrawn.is_none(), Error::<T>::AlreadyWithdrawn);

		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		*withdrawn = Some(info.withdrawn);
		info.withdrawn = info.withdrawn.checked_add(1).ok_or(Error::<T>::Overflow)?;
		info.withdrawn_items = info.withdrawn_items.saturating_add(items.into());
		info.withdrawn_root = Self::chain_root(info.withdrawn_root, id, hash, items);
		info.changes_since_snapshot = info.changes_since_snapshot.saturating_add(1);
		info.total_points = info.total_points.saturating_sub(points);
		let tainted = Self::taint_snapshots(dataset, &mut info, first_snapshot);
		ContributorPoints::<T>::mutate_exists(dataset, &who, |p| {
			*p = p.map(|p| p.saturating_sub(points)).filter(|p| *p > 0);
		});
		T::Points::points_removed(dataset, &who, first_snapshot, points);

		Contributions::<T>::insert(id, contribution);
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::ConsentWithdrawn {
			dataset,
			contribution: id,
			contributor: who,
			points_removed: points,
			tainted,
		});
		Ok(())
	}

	pub(crate) fn do_remove_contribution(who: T::AccountId, id: ContributionId) -> DispatchResult {
		let contribution = Contributions::<T>::get(id).ok_or(Error::<T>::UnknownContribution)?;
		ensure!(contribution.contributor == who, Error::<T>::NotContributor);
		ensure!(contribution.state == ContributionState::Pending, Error::<T>::NotPending);
		let dataset = contribution.dataset;
		let mut info = Datasets::<T>::get(dataset).ok_or(Error::<T>::UnknownDataset)?;
		info.pending = info.pending.saturating_sub(1);

		let refund = contribution.review_deposit.saturating_add(contribution.record_deposit);
		Self::release_and_remove(id, &contribution, refund)?;
		Datasets::<T>::insert(dataset, info);
		Self::deposit_event(Event::ContributionRemoved {
			dataset,
			contribution: id,
			contributor: who,
			refunded: refund,
		});
		Ok(())
	}
}
