//! Lineage primitives: the ids, content references, licences, consent and economic parameters
//! shared by the Lineage pallets, and the traits through which they meet. No pallet depends on another pallet crate;
//! the runtime wires the implementations of these traits together.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod licence;
pub mod migrations;
mod params;
mod traits;

pub use licence::{Consent, Licence, LicenceError};
pub use params::{
	ChallengePeriods, ComputeParams, DatasetParams, EmissionParams, ModelParams, Parameters, Split,
	VersionedParameters,
};
pub use traits::{
	AttributionEntry, DatasetInspect, JobInspect, ModelInspect, ModelVersionView, PointsSink,
	RevenueSink, SettlementReport, SnapshotMember, SnapshotStatus, SnapshotView, Taint,
};

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::{ConstU32, Get},
	BoundedVec,
};
use scale_info::TypeInfo;
use sp_core::H256;

/// A dataset ("datanet").
pub type DatasetId = u32;
/// A contribution to a dataset (one item, or one batch of items under a Merkle root).
pub type ContributionId = u64;
/// The version number of a dataset snapshot, starting at 1 for each dataset.
pub type SnapshotVersion = u32;

/// The most snapshots a dataset may take. Rewards keep each dataset's revenue in trees indexed by
/// snapshot version, so every revenue record, points change and claim costs at most
/// `log2(MAX_SNAPSHOTS + 1) + 1` tree nodes (17): one snapshot a day lasts 179 years.
pub const MAX_SNAPSHOTS: SnapshotVersion = 65_535;
/// A model.
pub type ModelId = u32;
/// A published model version; numbered across all models.
pub type ModelVersionId = u32;
/// A compute job.
pub type JobId = u64;
/// Contributor points earned in a dataset.
pub type Points = u64;

/// A snapshot of a dataset: the dataset and the snapshot's version.
#[derive(
	Clone,
	Copy,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
)]
pub struct SnapshotRef {
	/// The dataset the snapshot belongs to.
	pub dataset: DatasetId,
	/// The snapshot's version within the dataset.
	pub version: SnapshotVersion,
}

/// The most datasets a model version's attribution table lists, and so a job's record: the models
/// pallet's `MaxAttributionEntries` may not exceed it, and compute's records are sized for it.
pub const MAX_ATTRIBUTION_ENTRIES: u32 = 64;

/// The most ancestors a model version may have (its lineage's depth, each ancestor checked for
/// revocation whenever the version is used): the models pallet's `MaxLineageDepth` may not exceed
/// it, and compute's jobs are charged for it.
pub const MAX_LINEAGE_DEPTH: u32 = 8;

/// A version's attribution table as the other pallets receive it.
pub type Attribution = BoundedVec<AttributionEntry, ConstU32<MAX_ATTRIBUTION_ENTRIES>>;

/// The longest URI any Lineage call accepts; each pallet may set a lower limit (`MaxUriLen`).
pub const MAX_URI_LEN: u32 = 512;

/// A URI of off-chain content (`ipfs://…`, `https://…`, `ar://…`), at most [`MAX_URI_LEN`] bytes.
pub type Uri = BoundedVec<u8, ConstU32<MAX_URI_LEN>>;

/// A reference to content kept off-chain: its hash, where to fetch it, and its size.
///
/// The chain never stores the content itself; anyone can fetch it from `uri` and check it against
/// `hash`.
#[derive(
	Clone, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, PartialEq, Eq, Debug,
)]
pub struct ContentRef {
	/// Hash of the content (e.g. blake2-256 or sha2-256 of the bytes).
	pub hash: H256,
	/// Where the content can be fetched.
	pub uri: Uri,
	/// Size of the content in bytes.
	pub bytes: u64,
}

impl ContentRef {
	/// A reference to `bytes` bytes of content with hash `hash` at `uri`; `None` when `uri` is
	/// longer than [`MAX_URI_LEN`].
	pub fn new(hash: H256, uri: &[u8], bytes: u64) -> Option<Self> {
		Some(Self { hash, uri: Uri::try_from(uri.to_vec()).ok()?, bytes })
	}

	/// Whether its URI fits in `Max` bytes (see [`uri_fits`]).
	pub fn uri_fits<Max: Get<u32>>(&self) -> bool {
		uri_fits::<Max>(&self.uri)
	}
}

/// Whether `uri` fits in `Max` bytes: a pallet's `MaxUriLen`, at most [`MAX_URI_LEN`]. Every
/// Lineage call refuses a longer URI with its pallet's `UriTooLong`.
pub fn uri_fits<Max: Get<u32>>(uri: &Uri) -> bool {
	uri.len() as u32 <= Max::get()
}

/// The most ids a listing examines for one page: a listing whose records are sparse among the ids
/// it walks (a filter that few match, ids freed by removed records) may return a short page, or an
/// empty one, with a cursor to go on from, so that no query reads more than this many records.
pub const MAX_SCAN: u32 = 1_000;

/// One page of a runtime-API listing: its items and, while the listing may hold more, the cursor
/// to pass for the next page (`None`: nothing follows).
#[derive(Clone, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub struct Page<Item, Cursor> {
	/// The items, in the listing's order.
	pub items: alloc::vec::Vec<Item>,
	/// The last id the page examined: pass it back to continue after it.
	pub next: Option<Cursor>,
}

impl<Item, Cursor> Page<Item, Cursor> {
	/// Walks `ids` in order, keeping the item `find` returns for each, until `limit` items (at
	/// least one) or [`MAX_SCAN`] ids; `next` is the last id examined when more ids follow.
	pub fn walk(
		ids: impl Iterator<Item = Cursor>,
		limit: u32,
		mut find: impl FnMut(&Cursor) -> Option<Item>,
	) -> Self {
		let limit = limit.max(1) as usize;
		let mut ids = ids.peekable();
		let mut items = alloc::vec::Vec::new();
		let mut last = None;
		let mut scanned = 0;
		while items.len() < limit && scanned < MAX_SCAN {
			let Some(id) = ids.next() else { break };
			scanned += 1;
			items.extend(find(&id));
			last = Some(id);
		}
		let next = if ids.peek().is_some() { last } else { None };
		Self { items, next }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_page_stops_at_its_limit_or_the_scan_bound_and_says_where_to_go_on() {
		let even = |id: &u32| id.is_multiple_of(2).then_some(*id);
		let page = Page::walk(0..10u32, 3, even);
		assert_eq!(page, Page { items: vec![0, 2, 4], next: Some(4) });
		let rest = Page::walk(5..10u32, 3, even);
		assert_eq!(rest, Page { items: vec![6, 8], next: None });
		// A limit of zero still moves on.
		assert_eq!(Page::walk(0..10u32, 0, even).items, vec![0]);
		// Nothing matches in the first MAX_SCAN ids: an empty page that goes on.
		let sparse = Page::walk(0..MAX_SCAN * 2, 5, |id| (*id >= MAX_SCAN).then_some(*id));
		assert_eq!(sparse, Page { items: vec![], next: Some(MAX_SCAN - 1) });
		assert_eq!(Page::walk(0..0u32, 5, even), Page { items: vec![], next: None });
	}
	#[test]
	fn content_ref_bounds_its_uri() {
		let ok = ContentRef::new(H256::repeat_byte(1), b"ipfs://x", 10);
		assert_eq!(ok.map(|c| c.uri.into_inner()), Some(b"ipfs://x".to_vec()));
		assert!(ContentRef::new(H256::zero(), &[b'a'; MAX_URI_LEN as usize + 1], 10).is_none());
	}

	#[test]
	fn a_uri_fits_up_to_the_limit_it_is_checked_against() {
		let content = ContentRef::new(H256::zero(), &[b'a'; 8], 10).unwrap();
		assert!(content.uri_fits::<ConstU32<8>>());
		assert!(!content.uri_fits::<ConstU32<7>>());
		assert!(uri_fits::<ConstU32<8>>(&content.uri) && !uri_fits::<ConstU32<7>>(&content.uri));
	}

	#[test]
	fn content_ref_max_encoded_len_covers_the_longest_uri() {
		let long = ContentRef::new(H256::zero(), &[b'a'; MAX_URI_LEN as usize], u64::MAX).unwrap();
		assert_eq!(long.encoded_size(), ContentRef::max_encoded_len());
	}
}
