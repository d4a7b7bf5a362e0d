//! Licences and consent, and the rules that decide which item may join which dataset and which
//! data may train which model.
//!
//! ## Which items a dataset accepts (`dataset.accepts_item(item)`)
//!
//! | item \ dataset | CC0 | CC-BY | CC-BY-SA | CC-BY-NC | Apache-2.0 | MIT | Proprietary | Custom(h) |
//! |---|---|---|---|---|---|---|---|---|
//! | CC0, CC-BY, Apache-2.0, MIT | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | CC-BY-SA | – | – | ✓ | – | – | – | – | – |
//! | CC-BY-NC | – | – | – | ✓ | – | – | – | – |
//! | Proprietary | – | – | – | – | – | – | ✓ | – |
//! | Custom(h) | – | – | – | – | – | – | – | ✓ (same h) |
//!
//! Permissive items (CC0, CC-BY, Apache-2.0, MIT) may be redistributed under any terms; the others
//! only under their own.
//!
//! ## Which models data may train (`data.permits_model(model, commercial)`)
//!
//! A model is *commercial* when it has a price or its licence allows commercial use (everything but
//! CC-BY-NC; a custom licence counts as commercial because the chain cannot read it).
//!
//! | data | non-commercial model | commercial model |
//! |---|---|---|
//! | CC0, CC-BY, Apache-2.0, MIT | ✓ | ✓ |
//! | CC-BY-SA | model under CC-BY-SA | model under CC-BY-SA |
//! | CC-BY-NC | ✓ | – (`CommercialUseForbidden`) |
//! | Proprietary | – (`ProprietaryData`) | – |
//! | Custom(h) | – (`CustomTerms`) | – |

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;

/// The licence of a data item, a dataset or a model.
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
	Debug,
)]
pub enum Licence {
	/// Public domain dedication (CC0 1.0): no conditions.
	Cc0,
	/// Creative Commons Attribution 4.0: any use, crediting the source.
	CcBy,
	/// Creative Commons Attribution-ShareAlike 4.0: derived works carry the same licence.
	CcBySa,
	/// Creative Commons Attribution-NonCommercial 4.0: no commercial use.
	CcByNc,
	/// Apache License 2.0.
	Apache2,
	/// MIT License.
	Mit,
	/// All rights reserved.
	Proprietary,
	/// Terms published off-chain; the hash of their text identifies them.
	Custom(H256),
}

/// Why a licence or consent combination is refused.
#[derive(Clone, Copy, Encode, Decode, TypeInfo, PartialEq, Eq, Debug)]
pub enum LicenceError {
	/// The item's licence does not allow it to be redistributed under the dataset's licence.
	IncompatibleItem,
	/// The data forbids commercial use, and the model is commercial (priced or under a commercial
	/// licence).
	CommercialUseForbidden,
	/// The data requires derived works to carry its own licence, and the model's licence differs.
	ShareAlikeViolated,
	/// The data is proprietary: it trains no model.
	ProprietaryData,
	/// The data is under custom terms the chain cannot check: it trains no model.
	CustomTerms,
	/// The contributors did not consent to training.
	NoTrainingConsent,
}

impl Licence {
	/// Whether the licence lets anyone redistribute the work under any terms.
	pub fn is_permissive(&self) -> bool {
		matches!(self, Licence::Cc0 | Licence::CcBy | Licence::Apache2 | Licence::Mit)
	}

	/// Whether a work under this licence may be used commercially. A custom licence counts as
	/// commercial: the chain cannot tell otherwise.
	pub fn allows_commercial(&self) -> bool {
		!matches!(self, Licence::CcByNc)
	}

	/// Whether a dataset under `self` may accept an item under `item`.
	pub fn accepts_item(&self, item: Licence) -> Result<(), LicenceError> {
		if item.is_permissive() || item == *self {
			Ok(())
		} else {
			Err(LicenceError::IncompatibleItem)
		}
	}

	/// Whether data under `self` may train a model under `model` that is sold when `priced`.
	pub fn permits_model(&self, model: Licence, priced: bool) -> Result<(), LicenceError> {
		match self {
			Licence::Proprietary => Err(LicenceError::ProprietaryData),
			Licence::Custom(_) => Err(LicenceError::CustomTerms),
			Licence::CcByNc if priced || model.allows_commercial() => {
				Err(LicenceError::CommercialUseForbidden)
			},
			Licence::CcBySa if model != Licence::CcBySa => Err(LicenceError::ShareAlikeViolated),
			_ => Ok(()),
		}
	}
}

/// What a contributor allows to be done with a contribution.
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
	Debug,
	Default,
)]
pub struct Consent {
	/// The item may be used to train models.
	pub training: bool,
	/// The item may be used in commercial models.
	pub commercial: bool,
}

impl Consent {
	/// Consent to everything.
	pub const FULL: Consent = Consent { training: true, commercial: true };

	/// What both consents allow: the consent a snapshot carries is the meet of its items'.
	pub fn meet(self, other: Consent) -> Consent {
		Consent {
			training: self.training && other.training,
			commercial: self.commercial && other.commercial,
		}
	}

	/// Whether data with this consent may train a model that is `commercial`.
	pub fn permits_model(&self, commercial: bool) -> Result<(), LicenceError> {
		if !self.training {
			return Err(LicenceError::NoTrainingConsent);
		}
		if commercial && !self.commercial {
			return Err(LicenceError::CommercialUseForbidden);
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::{Licence::*, LicenceError::*, *};

	const H1: H256 = H256::repeat_byte(1);
	const H2: H256 = H256::repeat_byte(2);

	/// Every licence, in the order of the table's columns.
	const ALL: [Licence; 8] = [Cc0, CcBy, CcBySa, CcByNc, Apache2, Mit, Proprietary, Custom(H1)];

	#[test]
	fn dataset_acceptance_table_cell_by_cell() {
		// Rows: item licence; columns: dataset licence in the order of `ALL`.
		let y = true;
		let n = false;
		let table: [(Licence, [bool; 8]); 9] = [
			(Cc0, [y, y, y, y, y, y, y, y]),
			(CcBy, [y, y, y, y, y, y, y, y]),
			(Apache2, [y, y, y, y, y, y, y, y]),
			(Mit, [y, y, y, y, y, y, y, y]),
			(CcBySa, [n, n, y, n, n, n, n, n]),
			(CcByNc, [n, n, n, y, n, n, n, n]),
			(Proprietary, [n, n, n, n, n, n, y, n]),
			(Custom(H1), [n, n, n, n, n, n, n, y]),
			(Custom(H2), [n, n, n, n, n, n, n, n]),
		];
		for (item, row) in table {
			for (dataset, accepted) in ALL.iter().zip(row) {
				let expected = if accepted { Ok(()) } else { Err(IncompatibleItem) };
				assert_eq!(dataset.accepts_item(item), expected, "item {item:?} into {dataset:?}");
			}
		}
	}

	#[test]
	fn training_table_cell_by_cell() {
		// For each data licence, the outcome for every model licence, unpriced then priced.
		for model in ALL {
			for priced in [false, true] {
				let commercial = priced || model.allows_commercial();
				for data in [Cc0, CcBy, Apache2, Mit] {
					assert_eq!(data.permits_model(model, priced), Ok(()));
				}
				let sa = if model == CcBySa { Ok(()) } else { Err(ShareAlikeViolated) };
				assert_eq!(CcBySa.permits_model(model, priced), sa, "CC-BY-SA into {model:?}");
				let nc = if commercial { Err(CommercialUseForbidden) } else { Ok(()) };
				assert_eq!(CcByNc.permits_model(model, priced), nc, "CC-BY-NC into {model:?}");
				assert_eq!(Proprietary.permits_model(model, priced), Err(ProprietaryData));
				assert_eq!(Custom(H1).permits_model(model, priced), Err(CustomTerms));
			}
		}
		// The one cell where non-commercial data trains: an unpriced CC-BY-NC model.
		assert_eq!(CcByNc.permits_model(CcByNc, false), Ok(()));
		assert_eq!(CcByNc.permits_model(CcByNc, true), Err(CommercialUseForbidden));
	}

	#[test]
	fn only_cc_by_nc_forbids_commercial_use() {
		let commercial: Vec<_> = ALL.iter().map(|l| l.allows_commercial()).collect();
		assert_eq!(commercial, vec![true, true, true, false, true, true, true, true]);
	}

	#[test]
	fn consent_is_checked_and_meets() {
		let research = Consent { training: true, commercial: false };
		let none = Consent::default();
		assert_eq!(Consent::FULL.permits_model(true), Ok(()));
		assert_eq!(research.permits_model(false), Ok(()));
		assert_eq!(research.permits_model(true), Err(CommercialUseForbidden));
		assert_eq!(none.permits_model(false), Err(NoTrainingConsent));
		assert_eq!(Consent::FULL.meet(research), research);
		assert_eq!(research.meet(none), none);
	}
}
