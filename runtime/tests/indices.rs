//! Frozen indices: every pallet index, call index, event and error index and storage item of the
//! runtime is written in `runtime/tests/indices.txt`, and this test fails when one of them changes
//! or disappears. A signed transaction, an event subscriber or a client's decoder relies on these
//! numbers and names: a renamed or reordered call must never silently change meaning. Adding is
//! fine; `LINEAGE_FREEZE_INDICES=1 cargo test --release --workspace indices` writes the new
//! entries into the file, which is committed with them.

use std::collections::BTreeSet;

use frame_support::traits::{PalletsInfoAccess, StorageInfoTrait};
use lineage_runtime::{AllPalletsWithSystem, RuntimeCall, RuntimeError, RuntimeEvent};
use scale_info::{MetaType, TypeDef, TypeInfo};

/// `tests/indices.txt` of the checkout being tested: cargo names it when it runs the test (the
/// binary may have been built from another checkout sharing the target directory).
fn file() -> std::path::PathBuf {
	let dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or(env!("CARGO_MANIFEST_DIR").into());
	std::path::Path::new(&dir).join("tests/indices.txt")
}

/// The variants of an enum type, as `(name, index, the type of its first field)`.
fn variants(ty: MetaType) -> Vec<(String, u8, Option<MetaType>)> {
	match ty.type_info().type_def {
		TypeDef::Variant(def) => def
			.variants
			.into_iter()
			.map(|v| (v.name.to_string(), v.index, v.fields.first().map(|f| f.ty)))
			.collect(),
		_ => Vec::new(),
	}
}

/// `<kind> <Pallet>.<item> <index>` for each variant of each pallet's part of the outer enum.
fn outer<T: TypeInfo + 'static>(kind: &str, lines: &mut BTreeSet<String>) {
	for (pallet, _, inner) in variants(scale_info::meta_type::<T>()) {
		for (item, index, _) in inner.map(variants).unwrap_or_default() {
			lines.insert(format!("{kind} {pallet}.{item} {index}"));
		}
	}
}

/// Every index and name a client relies on, one per line.
fn current() -> BTreeSet<String> {
	let mut lines = BTreeSet::new();
	for pallet in AllPalletsWithSystem::infos() {
		lines.insert(format!("pallet {} {}", pallet.name, pallet.index));
	}
	outer::<RuntimeCall>("call", &mut lines);
	outer::<RuntimeEvent>("event", &mut lines);
	outer::<RuntimeError>("error", &mut lines);
	for info in AllPalletsWithSystem::storage_info() {
		let pallet = String::from_utf8_lossy(&info.pallet_name);
		let item = String::from_utf8_lossy(&info.storage_name);
		lines.insert(format!("storage {pallet}.{item}"));
	}
	lines
}

#[test]
fn no_index_or_storage_item_ever_changes() {
	// Some pallets read storage while describing themselves (the referenda tracks).
	let now = sp_io::TestExternalities::default().execute_with(current);
	let frozen: BTreeSet<String> = std::fs::read_to_string(file())
		.unwrap_or_default()
		.lines()
		.filter(|l| !l.is_empty() && !l.starts_with('#'))
		.map(str::to_string)
		.collect();
	let changed: Vec<_> = frozen.difference(&now).collect();
	assert!(
		changed.is_empty(),
		"these indices or storage items changed or disappeared (a released index never changes; \
		 add a new one instead):\n{}",
		changed.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
	);
	let added: Vec<_> = now.difference(&frozen).cloned().collect();
	if std::env::var_os("LINEAGE_FREEZE_INDICES").is_some() {
		let header = "# Frozen indices of the Lineage runtime (see runtime/tests/indices.rs).\n";
		let body: String = now.iter().map(|l| format!("{l}\n")).collect();
		std::fs::write(file(), format!("{header}{body}")).expect("indices.txt written");
	} else {
		assert!(
			added.is_empty(),
			"new indices are not frozen yet; run with LINEAGE_FREEZE_INDICES=1 and commit \
			 runtime/tests/indices.txt:\n{}",
			added.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
		);
	}
}
