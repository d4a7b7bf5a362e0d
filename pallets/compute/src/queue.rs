//! The queue of jobs falling due, processed in `on_idle`: challenge windows closing (settle),
//! deadlines passing (refund, slash) and resolution periods running out (end unresolved).
//!
//! Each block has any number of pages of at most `DuePageSize` jobs, so scheduling never fails
//! and never moves a job: filling the queue cannot make an honest call fail. A job has at most
//! one entry at a time (its record says where), a job leaving a state frees its entry, and every
//! entry is paid for by its job's record deposit. Scheduling and unscheduling touch one page;
//! `on_idle` does as much as its weight allows and carries on in the next block, never scanning
//! all jobs. Jobs are also ended by hand (`finalize`, `expire`), whatever the queue's backlog.
//!
//! **The queue drains faster than anyone can fill it.** Each job is processed once (a job that
//! cannot end by its terms is aborted, never queued again), and `submit_job` pays
//! [`Pallet::due_work`], `DueWorkFactor` times what processing the job can cost: normal calls
//! filling their whole share of a block add less work than `on_idle` has in what is left.

use frame_support::{pallet_prelude::*, storage::with_storage_layer};
use frame_system::pallet_prelude::BlockNumberFor;
use lineage_primitives::{JobId, MAX_ATTRIBUTION_ENTRIES};
use sp_runtime::traits::{One, Saturating};

use crate::*;

impl<T: Config> Pallet<T> {
	/// Moves `record`'s queue entry (if any) to block `at`: appended to the block's last page,
	/// or to a new page when that one is full.
	pub(crate) fn schedule(
		job: JobId,
		record: &mut JobOf<T>,
		at: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::unschedule(job, record);
		let pages = DuePages::<T>::get(at);
		let page = match pages.checked_sub(1) {
			Some(last) if Due::<T>::try_mutate(at, last, |page| page.try_push(job)).is_ok() => last,
			_ => {
				let next = pages.checked_add(1).ok_or(Error::<T>::Overflow)?;
				Due::<T>::insert(at, pages, BoundedVec::truncate_from(alloc::vec![job]));
				DuePages::<T>::insert(at, next);
				pages
			},
		};
		QueueLen::<T>::mutate(|n| *n = n.saturating_add(1));
		record.queued = Some((at, page));
		Ok(())
	}

	/// Frees `record`'s queue entry, if it still has one.
	pub(crate) fn unschedule(job: JobId, record: &mut JobOf<T>) {
		let Some((at, page)) = record.queued.take() else { return };
		Due::<T>::mutate_exists(at, page, |entries| {
			let Some(list) = entries else { return };
			let before = list.len();
			list.retain(|queued| *queued != job);
			if list.len() < before {
				QueueLen::<T>::mutate(|n| *n = n.saturating_sub(1));
			}
		});
	}

	/// Ends the jobs due up to `now`, as far as `limit` allows; returns the weight used.
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
		// Room for the heaviest job is kept before each; what the job took is charged.
		let room = Self::item_weight(MAX_ATTRIBUTION_ENTRIES);
		// Reading a block's page count and removing it (or writing where it stopped).
		let block_cost = db.reads_writes(1, 1);
		// Taking a page (or writing back what is left of it).
		let page_cost = db.reads_writes(1, 1);
		let mut head = QueueHead::<T>::get();
		while head <= now {
			if used.saturating_add(block_cost).any_gt(limit) {
				break;
			}
			used.saturating_accrue(block_cost);
			let mut pages = DuePages::<T>::get(head);
			while let Some(page) = pages.checked_sub(1) {
				if used.saturating_add(page_cost).any_gt(limit) {
					DuePages::<T>::insert(head, pages);
					QueueHead::<T>::put(head);
					return used;
				}
				used.saturating_accrue(page_cost);
				let mut entries = Due::<T>::take(head, page);
				while let Some(&job) = entries.last() {
					if used.saturating_add(room).any_gt(limit) {
						Due::<T>::insert(head, page, entries);
						DuePages::<T>::insert(head, pages);
						QueueHead::<T>::put(head);
						return used;
					}
					entries.pop();
					QueueLen::<T>::mutate(|n| *n = n.saturating_sub(1));
					let datasets = Self::process_due(job, (head, page));
					used.saturating_accrue(Self::item_weight(datasets));
				}
				pages = page;
			}
			DuePages::<T>::remove(head);
			head = head.saturating_add(One::one());
		}
		QueueHead::<T>::put(head);
		used
	}

	/// Ends `job`, whose entry at `entry` was just taken off the queue: settles it if its
	/// challenge window closed unchallenged, refunds it if its deadline passed without a result,
	/// ends it unresolved if its challenge was not ruled on in time. A job whose entry moved
	/// meanwhile is left alone. Each job is processed once: a failure rolls back this job's
	/// changes and aborts it (every stake back to whoever put it up), so no job is retried
	/// forever and no backlog can build up behind one that cannot end.
	/// Returns the datasets in the job's attribution table (at least 1), which its cost grows
	/// with.
	fn process_due(job: JobId, entry: (BlockNumberFor<T>, u32)) -> u32 {
		let Some(mut record) = Jobs::<T>::get(job) else { return 1 };
		let datasets = (record.attribution.len() as u32).max(1);
		if record.queued != Some(entry) {
			return datasets;
		}
		record.queued = None;
		if let Err(error) = with_storage_layer(|| Self::end_due(job, record.clone())) {
			Self::abort(job, record, error);
		}
		datasets
	}

	/// What ending one due job with `datasets` datasets in its attribution table costs: the
	/// measured item, and what the revenue sink may need beyond the shallow state the benchmark
	/// ran in.
	pub(crate) fn item_weight(datasets: u32) -> Weight {
		T::WeightInfo::on_idle_item(datasets)
			.saturating_add(T::Revenue::job_settled_weight(datasets))
	}

	/// What a call that may settle a job (of at most `MAX_ATTRIBUTION_ENTRIES` datasets, as its
	/// benchmark measured) adds for the revenue sink beyond the shallow state it ran in.
	pub(crate) fn reward_weight() -> Weight {
		T::Revenue::job_settled_weight(MAX_ATTRIBUTION_ENTRIES)
	}

	/// What one job with `datasets` datasets in its attribution table can cost `on_idle` when it
	/// falls due, times `DueWorkFactor`: charged to `submit_job`, so that the queue drains at
	/// least as fast as calls fill it whatever share of each block they take (see
	/// `DueWorkFactor`). The worst case is a job alone in its block and page: the page count's
	/// and the page's reads and writes, and the item itself.
	pub(crate) fn due_work(datasets: u32) -> Weight {
		let db = T::DbWeight::get();
		Self::item_weight(datasets.max(1))
			.saturating_add(db.reads_writes(2, 2))
			.saturating_mul(T::DueWorkFactor::get().into())
	}
}
