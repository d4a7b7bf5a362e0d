//! The custom origins that referenda tracks other than root dispatch with (the pattern of the
//! Polkadot runtimes' `pallet_custom_origins`).

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The origins of the non-root referenda tracks.
	#[derive(
		PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// Administers Lineage: parameters, takedowns, revocations (the `admin` track).
		LineageAdmin,
		/// Cancels referenda (the `referendum_canceller` track).
		ReferendumCanceller,
	}

	macro_rules! decl_unit_ensures {
		( $name:ident ) => {
			#[doc = concat!("Succeeds for `Origin::", stringify!($name), "`.")]
			pub struct $name;
			impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for $name {
				type Success = ();
				fn try_origin(o: O) -> Result<Self::Success, O> {
					o.into().and_then(|o| match o {
						Origin::$name => Ok(()),
						r => Err(O::from(r)),
					})
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		};
		( $( $name:ident ),+ ) => { $( decl_unit_ensures! { $name } )+ };
	}
	decl_unit_ensures!(LineageAdmin, ReferendumCanceller);
}
