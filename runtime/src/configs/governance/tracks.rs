//! Referenda tracks: `root`, `admin` (dispatches as `LineageAdmin`: parameters, takedowns,
//! revocations) and `referendum_canceller`.
//!
//! The periods are devnet values, so that a referendum goes from submission to enactment in
//! about a minute; a production network uses the values in the comments (those of the Polkadot
//! runtimes' corresponding tracks).
//!
//! The thresholds depend on the chain. A chain with a sudo key (the `development` preset) is a
//! development chain: its root is a key anyway, and the required support falls to 0% within the
//! decision period so that one developer can pass a referendum alone. A chain without one (the
//! `local_testnet` preset, and any real network) uses production thresholds: the Polkadot
//! approval curves, and support that never falls below 20% of active issuance for root and 10% for
//! the admin and canceller tracks (Polkadot reaches 0% only at the end of a 28-day decision
//! period; with shortened periods the floor keeps what the long period protected: no single
//! unopposed holder passes a root call).

use alloc::borrow::Cow;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as s, FixedI64};

use super::origins;
use crate::{Balance, BlockNumber, Runtime, RuntimeOrigin, LIN, MINUTES};

const fn percent(x: i32) -> FixedI64 {
	FixedI64::from_rational(x as u128, 100)
}

/// Approval: from 80% down to 50% over the decision period (aye share of the votes).
const APPROVAL: Curve = Curve::make_reciprocal(4, 28, percent(80), percent(50), percent(100));
/// Development support: from 5% of active issuance down to 0%.
const SUPPORT: Curve = Curve::make_linear(28, 28, percent(0), percent(5));
/// Production support on the root track: from 50% of active issuance down to 20%.
const SUPPORT_ROOT: Curve = Curve::make_linear(28, 28, percent(20), percent(50));
/// Production support on the admin and canceller tracks: from 50% down to 10%.
const SUPPORT_ADMIN: Curve = Curve::make_linear(28, 28, percent(10), percent(50));
/// Cancelling needs a clear majority throughout.
const APPROVAL_CANCEL: Curve = Curve::make_linear(17, 28, percent(50), percent(100));

/// The track ids, sorted (referenda's integrity test requires it).
pub const ROOT: u16 = 0;
pub const ADMIN: u16 = 10;
pub const CANCELLER: u16 = 20;

/// The tracks with the support curves of the root, admin and canceller tracks.
const fn tracks(
	root: Curve,
	admin: Curve,
	canceller: Curve,
) -> [Track<u16, Balance, BlockNumber>; 3] {
	[
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
				min_support: root,
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
				min_support: admin,
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
				min_support: canceller,
			},
		},
	]
}

/// A development chain's tracks.
const DEVELOPMENT: [Track<u16, Balance, BlockNumber>; 3] = tracks(SUPPORT, SUPPORT, SUPPORT);

/// The tracks of a chain without a sudo key.
const PRODUCTION: [Track<u16, Balance, BlockNumber>; 3] =
	tracks(SUPPORT_ROOT, SUPPORT_ADMIN, SUPPORT_ADMIN);

/// The tracks, and which origin goes on which.
pub struct TracksInfo;
impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TracksInfo {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as frame_support::traits::OriginTrait>::PalletsOrigin;

	/// The development tracks on a chain with a sudo key, the production ones otherwise.
	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		let development = pallet_sudo::Key::<Runtime>::exists();
		let tracks = if development { &DEVELOPMENT } else { &PRODUCTION };
		tracks.iter().map(Cow::Borrowed)
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
