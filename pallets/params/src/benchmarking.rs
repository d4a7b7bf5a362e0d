//! Benchmarks of every call, at their worst cases.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};

#[benchmarks]
mod benchmarks {
	use super::*;

	/// With the history full, so the oldest version is dropped.
	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let params = Pallet::<T>::current().params;
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		for _ in 0..T::MaxHistory::get() {
			Pallet::<T>::set_parameters(origin.clone(), params)
				.map_err(|_| BenchmarkError::Weightless)?;
		}
		let version = Pallet::<T>::current().version;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);

		assert_eq!(Pallet::<T>::current().version, version + 1);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
