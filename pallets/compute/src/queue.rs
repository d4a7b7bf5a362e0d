//! The queue of jobs falling due, processed in `on_idle`: challenge windows closing (settle) and
//! deadlines passing (refund, slash). Work per block is bounded by the idle weight, never a scan
//! of all jobs.

use frame_support::{pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::JobId;
use sp_runtime::traits::{One, Saturating};

use crate::*;

/// How many later blocks a job may slip to when its block's bucket is full.
pub(crate) const MAX_SLIP: u32 = 16;

impl<T: Config> Pallet<T> {
	/// Puts `job` in the bucket of block `at`, or of the first of the next `MAX_SLIP` blocks with
	/// room.
	pub(crate) fn schedule(job: JobId, at: BlockNumberFor<T>) -> DispatchResult {
		let mut block = at;
		for _ in 0..MAX_SLIP {
			if Due::<T>::try_mutate(block, |bucket| bucket.try_push(job)).is_ok() {
				QueueLen::<T>::mutate(|n| *n = n.saturating_add(1));
				return Ok(());
			}
			block = block.saturating_add(One::one());
		}
		Err(Error::<T>::QueueFull.into())
	}

	/// Settles, refunds or slashes the jobs due up to `now`, as far as `limit` allows; returns
	/// the weight used.
	pub(crate) fn process_queue(now: BlockNumberFor<T>, limit: Weight) -> Weight {
		let db = T::DbWeight::get();
		let mut used = T::WeightInfo::on_idle_empty();
		if used.any_gt(limit) {
			return Weight::zero();
		}
		if QueueLen::<T>::get() == 0 {
			QueueHead::<T>::put(now.saturating_add(One::one()));
			return used;
		}
		let item = T::WeightInfo::on_idle_item();
		let bucket_cost = db.reads_writes(1, 1);
		let mut head = QueueHead::<T>::get();
		while head <= now {
			if (used + bucket_cost).any_gt(limit) {
				break;
			}
			used += bucket_cost;
			let mut bucket = Due::<T>::get(head);
			while let Some(&job) = bucket.last() {
				if (used + item).any_gt(limit) {
					Due::<T>::insert(head, bucket);
					QueueHead::<T>::put(head);
					return used;
				}
				used += item;
				bucket.pop();
				QueueLen::<T>::mutate(|n| *n = n.saturating_sub(1));
				Self::process_due(job, now);
			}
			Due::<T>::remove(head);
			head = head.saturating_add(One::one());
		}
		QueueHead::<T>::put(head);
		used
	}

	/// Settles `job` if its challenge window has closed unchallenged, or refunds it if its
	/// deadline passed without a result; leaves it alone otherwise (it ended, was challenged, or
	/// has a later entry). A failure rolls back this job only; anyone can retry it by hand.
	fn process_due(job: JobId, now: BlockNumberFor<T>) {
		let Some(record) = Jobs::<T>::get(job) else { return };
		let result = match record.state {
			JobState::ResultSubmitted if Self::window_end(&record).is_some_and(|end| now > end) => {
				with_storage_layer(|| Self::do_finalize(job))
			},
			JobState::Open | JobState::Accepted if now > record.deadline => {
				with_storage_layer(|| Self::do_expire(job))
			},
			_ => Ok(()),
		};
		if let Err(error) = result {
			log::warn!(target: "runtime::compute", "due job {job} not processed: {error:?}");
		}
	}
}
