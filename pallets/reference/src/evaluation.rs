//! The reference workload's evaluation (`evaluate` in `workload.js`): a held-out text's
//! cross-entropy and perplexity under a model, in the same fixed point and from the same integer
//! fractions, so the chain writes the same six decimals.
//!
//! The probability of a word after a context is an exact fraction:
//! p(w | c) = (count(c, w) + p(w | c shortened)) / (count(c) + 1), down to
//! p(w) = (count(w) + 1) / (words + vocabulary + 1). Numerators and denominators grow with the
//! model's order (a product of up to nine totals), so they are kept as unbounded integers
//! ([`U512`], below 2^512 for any model the chain evaluates); the logarithms are base 2 with 32 fractional bits, rounded down, as `log2Fixed`.
//! JavaScript reads the counts as doubles, exact up to 2^53 − 1: a model whose totals go beyond
//! that is left to the arbiter ([`Uncheckable::CountsTooLarge`]).

use alloc::{collections::BTreeMap, string::String, vec::Vec};
use serde::Deserialize;

use crate::{hex, json_string, words, Model, Uncheckable, MAX_ORDER, MODEL_FORMAT};

/// What an evaluation output declares itself to be.
pub const EVALUATION_FORMAT: &str = "lineage-evaluation/1";

/// The largest count JavaScript adds up exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Fractional bits of the fixed-point logarithms.
const F: u32 = 32;
const ONE: u64 = 1 << F;

/// An evaluation output: what the reference workload writes for a held-out text and a model.
#[derive(Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Evaluation {
	/// Bits per word, six decimals, rounded down.
	pub cross_entropy_bits: String,
	/// [`EVALUATION_FORMAT`].
	pub format: String,
	/// The model artifact's BLAKE2b-256, `0x` and lower-case hex.
	pub model: String,
	/// 2 to the bits per word, six decimals, rounded down.
	pub perplexity: String,
	/// The held-out text's words.
	pub words: u64,
}

/// Whether `output` is what the reference workload gives when it evaluates `model` on the
/// held-out text `input`: `Ok(true)` when every field matches, `Ok(false)` when anything differs,
/// `output` is not an evaluation, or the text has no words (the workload gives no output then),
/// an error when the chain cannot re-execute the job.
pub fn check_evaluation(model: &[u8], input: &[u8], output: &[u8]) -> Result<bool, Uncheckable> {
	let Some(expected) = evaluate(model, input)? else { return Ok(false) };
	Ok(serde_json::from_slice::<Evaluation>(output).is_ok_and(|claimed| claimed == expected))
}

/// The reference workload's evaluation of `model` on the held-out text `input`; `None` when the
/// text has no words.
pub fn evaluate(model: &[u8], input: &[u8]) -> Result<Option<Evaluation>, Uncheckable> {
	let parsed: Model = serde_json::from_slice(model).map_err(|_| Uncheckable::NotAModel)?;
	if parsed.format != MODEL_FORMAT || !(1..=MAX_ORDER).contains(&parsed.order) {
		return Err(Uncheckable::NotAModel);
	}
	let text = words(input)?;
	if text.is_empty() {
		return Ok(None);
	}

	// The counts, as the model's n-gram list gives them (a later entry replaces an earlier one),
	// and each context's total (saturating: only the totals the text reaches must be exact).
	let mut counts: BTreeMap<&str, (u64, BTreeMap<&str, u64>)> = BTreeMap::new();
	for (context, word, count) in &parsed.ngrams {
		counts.entry(context.as_str()).or_default().1.insert(word.as_str(), *count);
	}
	for (total, next) in counts.values_mut() {
		*total = next.values().fold(0u64, |s, c| s.saturating_add(*c));
	}
	let safe = |n: u64| if n <= MAX_SAFE { Ok(n) } else { Err(Uncheckable::CountsTooLarge) };
	let (base, unigrams) = match counts.get("") {
		Some((total, next)) => (*total, Some(next)),
		None => (0, None),
	};
	let vocabulary = unigrams.map_or(0, |u| u.len() as u64);
	let base = safe(base.saturating_add(vocabulary).saturating_add(1))?;

	// The words joined by single spaces: every context is a slice of it.
	let joined = text.join(" ");
	let mut starts = Vec::with_capacity(text.len());
	let mut at = 0;
	for word in &text {
		starts.push(at);
		at += word.len() + 1;
	}

	let mut bits: u64 = 0;
	for (i, word) in text.iter().enumerate() {
		let word = word.as_str();
		let unigram = unigrams.and_then(|u| u.get(word)).copied().unwrap_or(0);
		let mut num = U512::from(safe(unigram.saturating_add(1))?);
		let mut den = U512::from(base);
		let mut k = 1;
		while k < parsed.order as usize && k <= i {
			// The k words before this one.
			let context = &joined[starts[i - k]..starts[i] - 1];
			let Some((total, next)) = counts.get(context) else { break };
			let count = safe(next.get(word).copied().unwrap_or(0))?;
			let total = safe(*total)?;
			// (count + num/den) / (total + 1)
			num = den.times(count).and_then(|n| n.plus(&num)).ok_or(Uncheckable::CountsTooLarge)?;
			den = den.times(total + 1).ok_or(Uncheckable::CountsTooLarge)?;
			k += 1;
		}
		bits += log2_fixed(&den) - log2_fixed(&num);
	}
	let per_word = bits / text.len() as u64;
	Ok(Some(Evaluation {
		cross_entropy_bits: decimals6(U512::from(per_word))?,
		format: EVALUATION_FORMAT.into(),
		model: hex(&sp_crypto_hashing::blake2_256(model)),
		perplexity: decimals6(exp2_fixed(per_word)?)?,
		words: text.len() as u64,
	}))
}

/// An evaluation output's canonical bytes, as the reference workload writes them: JSON with
/// sorted keys, no spaces and one trailing newline.
pub fn serialize_evaluation(evaluation: &Evaluation) -> Vec<u8> {
	let mut out = String::from("{");
	for (key, value) in [
		("crossEntropyBits", &evaluation.cross_entropy_bits),
		("format", &evaluation.format),
		("model", &evaluation.model),
		("perplexity", &evaluation.perplexity),
	] {
		json_string(key, &mut out);
		out.push(':');
		json_string(value, &mut out);
		out.push(',');
	}
	out.push_str(&alloc::format!("\"words\":{}}}\n", evaluation.words));
	out.into_bytes()
}

/// The costliest evaluation of at most `bytes` bytes of model, input and output together, for
/// benchmarks: a model of the highest order whose every context of one word repeated is known,
/// with counts near 2^53 so the fractions grow longest, and a held-out text of that word
/// repeated, so each word walks every order. Returns `(model, input, right, wrong)`.
pub fn costliest_evaluation(bytes: u32) -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>) {
	let count = MAX_SAFE / 4;
	let mut ngrams = String::new();
	let mut context = String::new();
	for k in 0..MAX_ORDER {
		if k > 0 {
			ngrams.push(',');
			if k > 1 {
				context.push(' ');
			}
			context.push('w');
		}
		ngrams.push_str(&alloc::format!(
			"[\"{context}\",\"w\",{count}],[\"{context}\",\"x\",{count}]"
		));
	}
	let model = alloc::format!(
		"{{\"corpus\":[{{\"id\":\"1\",\"text\":\"w x\"}}],\"format\":\"{MODEL_FORMAT}\",\"ngrams\":[{ngrams}],\"order\":{MAX_ORDER}}}\n"
	)
	.into_bytes();
	// The output's length does not depend on the text's beyond its word count's digits.
	let room = (bytes as usize).saturating_sub(model.len() + 200);
	let mut input = Vec::with_capacity(room);
	while input.len() + 2 <= room {
		if !input.is_empty() {
			input.push(b' ');
		}
		input.push(b'w');
	}
	if input.is_empty() {
		input.push(b'w');
	}
	let right = evaluate(&model, &input).expect("a model of order 8").expect("a word");
	let mut wrong = right.clone();
	wrong.perplexity.push('1');
	(model, input, serialize_evaluation(&right), serialize_evaluation(&wrong))
}

/// log2(x) of a positive integer, times 2^32, rounded down, as `log2Fixed` computes it.
fn log2_fixed(x: &U512) -> u64 {
	let k = x.bits().saturating_sub(1);
	// x scaled to [2^32, 2^33): its 33 highest bits.
	let mut y = if k >= F { x.bits_from(k - F) } else { x.0[0] << (F - k) };
	let mut fraction = 0u64;
	for bit in (0..F).rev() {
		// (y * y) >> 32 in 64 bits: y = a·2^32 + b with a < 4.
		let (a, b) = (y >> F, y & (ONE - 1));
		y = ((a * a) << F) + 2 * a * b + ((b * b) >> F);
		if y >= 2 * ONE {
			y >>= 1;
			fraction |= 1 << bit;
		}
	}
	((k as u64) << F) + fraction
}

/// ⌊√n⌋.
fn isqrt(n: u128) -> u128 {
	if n < 2 {
		return n;
	}
	let bits = 128 - n.leading_zeros();
	let mut x: u128 = 1 << bits.div_ceil(2);
	loop {
		let y = (x + n / x) >> 1;
		if y >= x {
			return x;
		}
		x = y;
	}
}

/// 2^(h / 2^32) times 2^32, for h ≥ 0, as `exp2Fixed` computes it.
fn exp2_fixed(h: u64) -> Result<U512, Uncheckable> {
	// 2^(2^-i) times 2^32, for i = 1..32: each the square root of the one before.
	let mut root = 2 * ONE as u128;
	let mut result = ONE as u128;
	let fraction = h & (ONE - 1);
	for i in 0..F {
		root = isqrt(root << F);
		if fraction & (1 << (F - 1 - i)) != 0 {
			result = (result * root) >> F;
		}
	}
	U512::from(result as u64)
		.shifted((h >> F) as u32)
		.ok_or(Uncheckable::CountsTooLarge)
}

/// A fixed-point value (times 2^32) as text with six decimals, rounded down.
fn decimals6(fixed: U512) -> Result<String, Uncheckable> {
	let mut micro = fixed.times(1_000_000).ok_or(Uncheckable::CountsTooLarge)?.bits_above(F);
	let fraction = micro.div_rem_small(1_000_000);
	Ok(alloc::format!("{}.{fraction:06}", micro.decimal()))
}

/// A non-negative integer below 2^512: 64-bit limbs, least significant first. Each fraction of
/// an evaluation fits: a product of at most eight totals below 2^53.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct U512([u64; 8]);

impl From<u64> for U512 {
	fn from(value: u64) -> Self {
		let mut limbs = [0; 8];
		limbs[0] = value;
		U512(limbs)
	}
}

impl U512 {
	fn bits(&self) -> u32 {
		self.0
			.iter()
			.rposition(|l| *l != 0)
			.map_or(0, |i| 64 * i as u32 + 64 - self.0[i].leading_zeros())
	}

	/// The 64 bits from bit `n` up.
	fn bits_from(&self, n: u32) -> u64 {
		let (limb, shift) = ((n / 64) as usize, n % 64);
		let low = self.0.get(limb).copied().unwrap_or(0) >> shift;
		let high = match (shift, self.0.get(limb + 1)) {
			(0, _) | (_, None) => 0,
			(_, Some(h)) => h << (64 - shift),
		};
		low | high
	}

	/// Everything from bit `n` up: the value shifted right by `n`.
	fn bits_above(&self, n: u32) -> U512 {
		let mut out = [0; 8];
		for (i, limb) in out.iter_mut().enumerate() {
			*limb = self.bits_from(n + 64 * i as u32);
		}
		U512(out)
	}

	/// The value shifted left by `n`; `None` past 2^512.
	fn shifted(&self, n: u32) -> Option<U512> {
		if n >= 512 || self.bits() + n > 512 {
			return None;
		}
		let (limbs, shift) = ((n / 64) as usize, n % 64);
		let mut out = [0; 8];
		for (i, limb) in out.iter_mut().enumerate().skip(limbs) {
			let low = self.0[i - limbs] << shift;
			let carry =
				if shift == 0 || i == limbs { 0 } else { self.0[i - limbs - 1] >> (64 - shift) };
			*limb = low | carry;
		}
		Some(U512(out))
	}

	/// The product with `m`; `None` past 2^512.
	fn times(&self, m: u64) -> Option<U512> {
		let mut out = [0; 8];
		let mut carry: u128 = 0;
		for (o, limb) in out.iter_mut().zip(self.0) {
			let v = limb as u128 * m as u128 + carry;
			*o = v as u64;
			carry = v >> 64;
		}
		(carry == 0).then_some(U512(out))
	}

	/// The sum; `None` past 2^512.
	fn plus(&self, other: &U512) -> Option<U512> {
		let mut out = [0; 8];
		let mut carry = false;
		for (i, o) in out.iter_mut().enumerate() {
			let (v, c1) = self.0[i].overflowing_add(other.0[i]);
			let (v, c2) = v.overflowing_add(carry as u64);
			*o = v;
			carry = c1 || c2;
		}
		(!carry).then_some(U512(out))
	}

	/// Divides by `d` in place and returns the remainder.
	fn div_rem_small(&mut self, d: u64) -> u64 {
		let mut rem: u128 = 0;
		for limb in self.0.iter_mut().rev() {
			let v = (rem << 64) | *limb as u128;
			*limb = (v / d as u128) as u64;
			rem = v % d as u128;
		}
		rem as u64
	}

	fn decimal(&self) -> String {
		let mut rest = *self;
		let mut chunks = Vec::new();
		loop {
			chunks.push(rest.div_rem_small(1_000_000_000_000_000_000));
			if rest.bits() == 0 {
				break;
			}
		}
		let mut out = alloc::format!("{}", chunks.pop().unwrap_or(0));
		for chunk in chunks.iter().rev() {
			out.push_str(&alloc::format!("{chunk:018}"));
		}
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn wide_integers_shift_multiply_and_print_as_integers_do() {
		let x = U512::from(0xdead_beef_1234_5678);
		assert_eq!(x.shifted(77).unwrap().bits_above(77), x);
		assert_eq!(x.shifted(77).unwrap().bits_from(77 + 4), 0xdead_beef_1234_5678 >> 4);
		assert_eq!(x.bits(), 64);
		let y = U512::from(u64::MAX).times(u64::MAX).unwrap();
		assert_eq!((y.0[0], y.0[1]), (1, u64::MAX - 1));
		let z = U512::from(1).shifted(200).unwrap();
		assert_eq!(z.bits(), 201);
		assert_eq!(z.decimal(), "1606938044258990275541962092341162602522202993782792835301376");
		// 2^200 = 4 (mod 7), as 2^3 = 1.
		assert_eq!(z.clone().div_rem_small(7), 4);
		assert_eq!(U512::from(0).decimal(), "0");
		// Past 2^512: none.
		assert_eq!(U512::from(1).shifted(511).unwrap().times(2), None);
		assert_eq!(U512::from(1).shifted(512), None);
		let top = U512::from(1).shifted(511).unwrap();
		assert_eq!(top.plus(&top), None);
	}

	#[test]
	fn fixed_point_logarithms_and_powers_are_those_of_javascript() {
		let text = |fixed: U512| decimals6(fixed).unwrap();
		assert_eq!(log2_fixed(&U512::from(1)), 0);
		assert_eq!(log2_fixed(&U512::from(8)), 3 << 32);
		assert_eq!(text(U512::from(log2_fixed(&U512::from(3)))), "1.584962");
		assert_eq!(text(exp2_fixed(3 << 32).unwrap()), "8.000000");
		assert_eq!(text(exp2_fixed(1 << 31).unwrap()), "1.414213");
		assert_eq!(text(exp2_fixed(300 << 32).unwrap()).len(), 91 + 7);
		// A logarithm of a number hundreds of bits long.
		let big = U512::from(3).shifted(400).unwrap();
		assert_eq!(log2_fixed(&big), (400 << 32) + log2_fixed(&U512::from(3)));
	}
}
