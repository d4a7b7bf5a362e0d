//! [`JobInspect`]: what the models pallet reads of compute jobs.

use lineage_primitives::{JobInspect, ModelVersionId};

use crate::*;

impl<T: Config> JobInspect for Pallet<T> {
	fn open_jobs(version: ModelVersionId) -> u32 {
		OpenJobs::<T>::get(version)
	}
}
