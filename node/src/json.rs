//! Renders what the runtime APIs return as plain JSON, driven by the values' own type
//! information (`scale_info`), so the `lineage_*` views need no per-type code and stay in step with
//! the pallets' types.
//!
//! The shape, for clients that do not decode SCALE:
//! - a struct is an object keyed by its field names; a newtype is its inner value;
//! - an enum variant without data is its name (`"Active"`), one with data is `{ "Name": data }`;
//!   `Option` is `null` or the value;
//! - integers up to 64 bits are JSON numbers, wider ones (balances, in plancks) decimal strings;
//! - fixed byte arrays (hashes) are `0x` hex; byte strings are text when they are printable UTF-8
//!   (URIs, names) and `0x` hex otherwise;
//! - account ids are SS58 addresses with the chain's prefix.

use codec::{Compact, Decode, Encode};
use scale_info::{
	form::PortableForm, Field, PortableRegistry, Registry, TypeDef, TypeDefPrimitive, TypeInfo,
};
use serde_json::{Map, Value};
use sp_core::crypto::{AccountId32, Ss58AddressFormat, Ss58Codec};

/// Why a value could not be rendered (it did not match its own type information).
pub type Error = String;

/// Renders `value` as JSON, with account ids in SS58 under `ss58_prefix`.
pub fn to_json<T: Encode + TypeInfo + 'static>(
	value: &T,
	ss58_prefix: u16,
) -> Result<Value, Error> {
	let mut registry = Registry::new();
	let id = registry.register_type(&scale_info::meta_type::<T>()).id;
	let registry: PortableRegistry = registry.into();
	let bytes = value.encode();
	let mut input = &bytes[..];
	let renderer = Renderer { registry: &registry, ss58: Ss58AddressFormat::custom(ss58_prefix) };
	let json = renderer.value(id, &mut input)?;
	if !input.is_empty() {
		return Err(format!("{} bytes left over", input.len()));
	}
	Ok(json)
}

struct Renderer<'a> {
	registry: &'a PortableRegistry,
	ss58: Ss58AddressFormat,
}

fn decode<T: Decode>(input: &mut &[u8]) -> Result<T, Error> {
	T::decode(input).map_err(|e| e.to_string())
}

fn hex(bytes: &[u8]) -> Value {
	Value::String(format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&bytes)))
}

/// Printable UTF-8 becomes text, anything else hex.
fn byte_string(bytes: Vec<u8>) -> Value {
	match String::from_utf8(bytes) {
		Ok(text) if !text.chars().any(char::is_control) => Value::String(text),
		Ok(text) => hex(text.as_bytes()),
		Err(e) => hex(e.as_bytes()),
	}
}

impl Renderer<'_> {
	fn value(&self, id: u32, input: &mut &[u8]) -> Result<Value, Error> {
		let ty = self.registry.resolve(id).ok_or_else(|| format!("type {id} not registered"))?;
		let ident = ty.path.ident();
		match &ty.type_def {
			TypeDef::Composite(_) if ident.as_deref() == Some("AccountId32") => {
				let raw: [u8; 32] = decode(input)?;
				Ok(Value::String(AccountId32::from(raw).to_ss58check_with_version(self.ss58)))
			},
			TypeDef::Composite(composite) => self.fields(&composite.fields, input),
			TypeDef::Variant(variant) => {
				let index: u8 = decode(input)?;
				let chosen = variant
					.variants
					.iter()
					.find(|v| v.index == index)
					.ok_or_else(|| format!("no variant {index} in {ident:?}"))?;
				if ident.as_deref() == Some("Option") && ty.path.namespace().is_empty() {
					return match chosen.fields.first() {
						None => Ok(Value::Null),
						Some(field) => self.value(field.ty.id, input),
					};
				}
				if chosen.fields.is_empty() {
					return Ok(Value::String(chosen.name.clone()));
				}
				let mut object = Map::new();
				object.insert(chosen.name.clone(), self.fields(&chosen.fields, input)?);
				Ok(Value::Object(object))
			},
			TypeDef::Sequence(sequence) => {
				let len = decode::<Compact<u32>>(input)?.0 as usize;
				if self.is_u8(sequence.type_param.id) {
					let bytes = take(input, len)?;
					return Ok(byte_string(bytes.to_vec()));
				}
				self.items(sequence.type_param.id, len, input)
			},
			TypeDef::Array(array) => {
				let len = array.len as usize;
				if self.is_u8(array.type_param.id) {
					return Ok(hex(take(input, len)?));
				}
				self.items(array.type_param.id, len, input)
			},
			TypeDef::Tuple(tuple) if tuple.fields.is_empty() => Ok(Value::Null),
			TypeDef::Tuple(tuple) => tuple
				.fields
				.iter()
				.map(|field| self.value(field.id, input))
				.collect::<Result<Vec<_>, _>>()
				.map(Value::Array),
			TypeDef::Primitive(primitive) => primitive_value(primitive, input),
			TypeDef::Compact(compact) => {
				let n = decode::<Compact<u128>>(input)?.0;
				let inner = self.registry.resolve(compact.type_param.id);
				match inner.map(|t| &t.type_def) {
					Some(TypeDef::Primitive(TypeDefPrimitive::U128)) => {
						Ok(Value::String(n.to_string()))
					},
					_ => Ok(Value::from(n as u64)),
				}
			},
			TypeDef::BitSequence(_) => Err("bit sequences are not rendered".into()),
		}
	}

	fn is_u8(&self, id: u32) -> bool {
		matches!(
			self.registry.resolve(id).map(|t| &t.type_def),
			Some(TypeDef::Primitive(TypeDefPrimitive::U8))
		)
	}

	fn items(&self, id: u32, len: usize, input: &mut &[u8]) -> Result<Value, Error> {
		(0..len)
			.map(|_| self.value(id, input))
			.collect::<Result<Vec<_>, _>>()
			.map(Value::Array)
	}

	/// Named fields make an object, a single unnamed field is its value, several an array.
	fn fields(&self, fields: &[Field<PortableForm>], input: &mut &[u8]) -> Result<Value, Error> {
		if fields.iter().all(|f| f.name.is_some()) && !fields.is_empty() {
			let mut object = Map::new();
			for field in fields {
				let name = field.name.clone().unwrap_or_default();
				object.insert(name, self.value(field.ty.id, input)?);
			}
			return Ok(Value::Object(object));
		}
		match fields {
			[] => Ok(Value::Null),
			[only] => self.value(only.ty.id, input),
			_ => fields
				.iter()
				.map(|field| self.value(field.ty.id, input))
				.collect::<Result<Vec<_>, _>>()
				.map(Value::Array),
		}
	}
}

fn take<'a>(input: &mut &'a [u8], len: usize) -> Result<&'a [u8], Error> {
	if input.len() < len {
		return Err("input too short".into());
	}
	let (head, tail) = input.split_at(len);
	*input = tail;
	Ok(head)
}

fn primitive_value(primitive: &TypeDefPrimitive, input: &mut &[u8]) -> Result<Value, Error> {
	Ok(match primitive {
		TypeDefPrimitive::Bool => Value::Bool(decode(input)?),
		TypeDefPrimitive::Char => {
			let code: u32 = decode(input)?;
			Value::String(char::from_u32(code).ok_or("invalid char")?.to_string())
		},
		TypeDefPrimitive::Str => Value::String(decode(input)?),
		TypeDefPrimitive::U8 => Value::from(decode::<u8>(input)?),
		TypeDefPrimitive::U16 => Value::from(decode::<u16>(input)?),
		TypeDefPrimitive::U32 => Value::from(decode::<u32>(input)?),
		TypeDefPrimitive::U64 => Value::from(decode::<u64>(input)?),
		TypeDefPrimitive::U128 => Value::String(decode::<u128>(input)?.to_string()),
		TypeDefPrimitive::I8 => Value::from(decode::<i8>(input)?),
		TypeDefPrimitive::I16 => Value::from(decode::<i16>(input)?),
		TypeDefPrimitive::I32 => Value::from(decode::<i32>(input)?),
		TypeDefPrimitive::I64 => Value::from(decode::<i64>(input)?),
		TypeDefPrimitive::I128 => Value::String(decode::<i128>(input)?.to_string()),
		TypeDefPrimitive::U256 => hex(take(input, 32)?),
		TypeDefPrimitive::I256 => hex(take(input, 32)?),
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[derive(Encode, TypeInfo)]
	enum Kind {
		Plain,
		WithData { quality: u8 },
	}

	#[derive(Encode, TypeInfo)]
	struct Sample {
		owner: AccountId32,
		amount: u128,
		count: u32,
		hash: sp_core::H256,
		uri: Vec<u8>,
		blob: Vec<u8>,
		parent: Option<u32>,
		missing: Option<u32>,
		kinds: Vec<Kind>,
		pair: (u64, bool),
	}

	#[test]
	fn renders_every_shape() {
		let sample = Sample {
			owner: AccountId32::new([1; 32]),
			amount: u128::MAX,
			count: 7,
			hash: sp_core::H256::repeat_byte(0xab),
			uri: b"ipfs://x".to_vec(),
			blob: vec![0, 159, 146, 150],
			parent: Some(3),
			missing: None,
			kinds: vec![Kind::Plain, Kind::WithData { quality: 80 }],
			pair: (9, true),
		};
		let owner =
			AccountId32::new([1; 32]).to_ss58check_with_version(Ss58AddressFormat::custom(42));
		assert_eq!(
			to_json(&sample, 42).unwrap(),
			json!({
				"owner": owner,
				"amount": u128::MAX.to_string(),
				"count": 7,
				"hash": format!("0x{}", "ab".repeat(32)),
				"uri": "ipfs://x",
				"blob": "0x009f9296",
				"parent": 3,
				"missing": null,
				"kinds": ["Plain", { "WithData": { "quality": 80 } }],
				"pair": [9, true],
			})
		);
	}
}
