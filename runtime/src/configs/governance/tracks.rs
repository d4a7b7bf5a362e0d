//! Referenda tracks: `root`, `admin` (dispatches as `LineageAdmin`: parameters, takedowns,
//! revocations) and `referendum_canceller`.
//!
//! The periods are devnet values, so that a referendum goes from submission to enactment in
//! about a minute on the dev chain; a production network uses the values in the comments
//! (those of the Polkadot runtimes' corresponding tracks).

use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, FixedI64};

use super::origins;
use crate::{Balance, BlockNumber, RuntimeOrigin, LIN, MINUTES};

const fn percent(x: i32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

/// Approval: from 80% down to 50% over the decision period (aye share of the votes).
const APPROVAL: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
/// Support: from 5% of active issuance down to 0% (production: 50% for root, 10% for admin).
const SUPPORT: Curve = Curve::make_linear(28, 28, percent(0), percent(5));
/// Cancelling needs a clear majority throughout.
const APPROVAL_CANCEL: Curve = Curve::make_linear(17, 28, percent(50), percent(100));

/// The track ids, sorted (referenda's integrity test requires it).
pub const ROOT: u16 = 0;
pub const ADMIN: u16 = 10;
pub const CANCELLER: u16 = 20;

const TRACKS: [Track<u16, Balance, BlockNumber>; 3] = [
	Track {
		id: ROOT,
		info: TrackInfo {
			name: s("root"),
			max_deciding: 1,
			decision_deposit: 1_000 * LIN,
			// Production: 2 hours, 28 days, 1 day, 1 day.
			prepare_period: 2,
			decision_period: 20 * MINUTES,
			confirm_period: 3,
			min_enactment_period: 2,
			min_approval: APPROVAL,
			min_support: SUPPORT,
		},
	},
	Track {
		id: ADMIN,
		info: TrackInfo {
			name: s("admin"),
			max_deciding: 10,
			decision_deposit: 100 * LIN,
			// Production: 2 hours, 28 days, 3 hours, 10 minutes.
			prepare_period: 2,
			decision_period: 20 * MINUTES,
			confirm_period: 3,
			min_enactment_period: 2,
			min_approval: APPROVAL,
			min_support: SUPPORT,
		},
	},
	Track {
		id: CANCELLER,
		info: TrackInfo {
			name: s("referendum_canceller"),
			max_deciding: 100,
			decision_deposit: 100 * LIN,
			// Production: 2 hours, 7 days, 3 hours, 10 minutes.
			prepare_period: 2,
			decision_period: 10 * MINUTES,
			confirm_period: 2,
			min_enactment_period: 1,
			min_approval: APPROVAL_CANCEL,
			min_support: SUPPORT,
		},
	},
];

/// The tracks, and which origin goes on which.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		TRACKS.iter().map(Cow::Borrowed)
	}

	fn track_for(id: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		if let Ok(system_origin) = frame_system::RawOrigin::try_from(id.clone()) {
			match system_origin {
				frame_system::RawOrigin::Root => Ok(ROOT),
				_ => Err(()),
			}
		} else if let Ok(custom_origin) = origins::Origin::try_from(id.clone()) {
			match custom_origin {
				origins::Origin::LineageAdmin => Ok(ADMIN),
				origins::Origin::ReferendumCanceller => Ok(CANCELLER),
			}
		} else {
			Err(())
		}
	}
}
