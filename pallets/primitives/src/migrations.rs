//! Multi-block migrations: a migration that walks user-grown storage moves one record at a time,
//! as many per block as the block's migration weight allows, and keeps a cursor between blocks
//! (`pallet-migrations` runs them; while one runs the chain takes no transactions).
//!
//! A pallet writes the record step ([`MigrationStep`]); [`VersionedStepped`] turns it into a
//! `SteppedMigration` that runs only while the pallet's on-chain storage version is `FROM` (a
//! chain already past it skips it at once) and writes `TO` when the last record is done.

#[cfg(feature = "try-runtime")]
use codec::{Decode, Encode};
use codec::{FullCodec, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{
	migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
	traits::{GetStorageVersion, PalletInfoAccess, StorageVersion},
	weights::{Weight, WeightMeter},
};

/// One record of a multi-block migration at a time.
pub trait MigrationStep {
	/// Where the migration stands: the last record migrated (with its stage, for a migration that
	/// walks several maps).
	type Cursor: FullCodec + MaxEncodedLen + Clone;

	/// The pallet in the migration's identifier (its name, padded with zeros).
	const PALLET: [u8; 16];

	/// The most the next record after `cursor` may cost (from the pallet's benchmarks).
	fn weight(cursor: &Option<Self::Cursor>) -> Weight;

	/// Migrates the record after `cursor` (the first one when `None`) and returns where the
	/// migration now stands, or `None` when no record is left.
	fn migrate_next(cursor: Option<Self::Cursor>) -> Option<Self::Cursor>;

	/// What `post_upgrade` compares (run on a test chain before the migration starts).
	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError>;

	/// Checks the state the migration left against what `pre_upgrade` captured.
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError>;
}

/// `Step`, run record by record while `Pallet`'s on-chain storage version is `FROM`; sets `TO`
/// when done.
pub struct VersionedStepped<const FROM: u16, const TO: u16, Step, Pallet>(
	PhantomData<(Step, Pallet)>,
);

/// Whether a stepped migration has work: the pallet is at its starting version.
fn due<const FROM: u16, P: GetStorageVersion<InCodeStorageVersion = StorageVersion>>() -> bool {
	P::on_chain_storage_version() == StorageVersion::new(FROM)
}

impl<const FROM: u16, const TO: u16, Step, P> SteppedMigration
	for VersionedStepped<FROM, TO, Step, P>
where
	Step: MigrationStep,
	P: GetStorageVersion<InCodeStorageVersion = StorageVersion> + PalletInfoAccess,
{
	type Cursor = Step::Cursor;
	type Identifier = MigrationId<16>;

	fn id() -> Self::Identifier {
		// Storage versions fit a byte for the life of any Lineage pallet.
		MigrationId { pallet_id: Step::PALLET, version_from: FROM as u8, version_to: TO as u8 }
	}

	fn step(
		mut cursor: Option<Self::Cursor>,
		meter: &mut WeightMeter,
	) -> Result<Option<Self::Cursor>, SteppedMigrationError> {
		if cursor.is_none() && !due::<FROM, P>() {
			return Ok(None);
		}
		let required = Step::weight(&cursor);
		if !meter.can_consume(required) {
			return Err(SteppedMigrationError::InsufficientWeight { required });
		}
		while meter.try_consume(Step::weight(&cursor)).is_ok() {
			match Step::migrate_next(cursor) {
				Some(next) => cursor = Some(next),
				None => {
					StorageVersion::new(TO).put::<P>();
					return Ok(None);
				},
			}
		}
		Ok(cursor)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		// A chain past `FROM` has nothing to compare.
		if !due::<FROM, P>() {
			return Ok(Done.encode());
		}
		Ok(Pending(Step::pre_upgrade()?).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		frame_support::ensure!(
			P::on_chain_storage_version() >= StorageVersion::new(TO),
			"the storage version did not move on"
		);
		match Decode::decode(&mut &state[..]).map_err(|_| "the pre-upgrade state decodes")? {
			PreUpgrade::Done => Ok(()),
			PreUpgrade::Pending(state) => Step::post_upgrade(state),
		}
	}
}

/// What `pre_upgrade` hands `post_upgrade`: nothing when the chain was past the migration.
#[cfg(feature = "try-runtime")]
#[derive(Encode, Decode)]
enum PreUpgrade {
	Done,
	Pending(alloc::vec::Vec<u8>),
}
#[cfg(feature = "try-runtime")]
use PreUpgrade::{Done, Pending};

/// The pallet name `name`, padded with zeros to a migration identifier's 16 bytes.
pub const fn pallet_id(name: &[u8]) -> [u8; 16] {
	let mut id = [0u8; 16];
	let mut i = 0;
	while i < name.len() && i < 16 {
		id[i] = name[i];
		i += 1;
	}
	id
}

/// Runs migration `M` to its end, each step with `limit` weight as a block would give it;
/// returns how many steps it took. (For tests and benchmarks: a chain runs it through
/// `pallet-migrations`.)
pub fn run_to_end<M: SteppedMigration>(limit: Weight) -> u32 {
	let mut cursor = None;
	let mut steps = 0;
	loop {
		steps += 1;
		let mut meter = WeightMeter::with_limit(limit);
		match M::step(cursor, &mut meter) {
			Ok(Some(next)) => cursor = Some(next),
			Ok(None) => return steps,
			Err(e) => panic!("migration step {steps} failed: {e:?}"),
		}
	}
}
