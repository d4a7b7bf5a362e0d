
//! Weights of `pallet_lineage_params`. Regenerate with `scripts/weights/generate.sh`; do not edit
//! by hand.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, RuntimeDbWeight, Weight},
};

/// The weight of each call of `pallet_lineage_params`.
pub trait WeightInfo {
	fn set_parameters() -> Weight;
}

/// The measured weights, with database accesses priced by `D`.
pub struct Weights<D>(PhantomData<D>);

/// The measured weights with the runtime's database weights.
pub type SubstrateWeight<T> = Weights<<T as frame_system::Config>::DbWeight>;

impl<D: Get<RuntimeDbWeight>> WeightInfo for Weights<D> {
	fn set_parameters() -> Weight {
		Weight::from_parts(40_000_000, 1553)
			.saturating_add(D::get().reads(1_u64))
			.saturating_add(D::get().writes(3_u64))
	}
}

/// For mocks and tests: the measured weights with ParityDB's database weights.
impl WeightInfo for () {
	fn set_parameters() -> Weight {
		Weights::<ParityDbWeight>::set_parameters()
	}
}
