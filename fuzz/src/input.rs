//! The fuzzer's input: a byte string read as a stream of small decisions. Every byte string is a
//! valid input; once the bytes run out every read gives zero and the run ends.

/// Reads decisions from the input bytes.
pub struct Input<'a> {
	bytes: &'a [u8],
}

impl<'a> Input<'a> {
	/// Reads from `bytes`.
	pub fn new(bytes: &'a [u8]) -> Self {
		Self { bytes }
	}

	/// Whether every byte has been read.
	pub fn is_empty(&self) -> bool {
		self.bytes.is_empty()
	}

	/// The next byte, or zero.
	pub fn u8(&mut self) -> u8 {
		match self.bytes.split_first() {
			Some((first, rest)) => {
				self.bytes = rest;
				*first
			},
			None => 0,
		}
	}

	/// The next two bytes, little-endian.
	pub fn u16(&mut self) -> u16 {
		u16::from_le_bytes([self.u8(), self.u8()])
	}

	/// The next four bytes, little-endian.
	pub fn u32(&mut self) -> u32 {
		u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
	}

	/// A number in `0..n` (zero when `n` is zero).
	pub fn below(&mut self, n: u32) -> u32 {
		match n {
			0 => 0,
			1..=256 => u32::from(self.u8()) % n,
			257..=65_536 => u32::from(self.u16()) % n,
			_ => self.u32() % n,
		}
	}

	/// True `percent` times in a hundred.
	pub fn chance(&mut self, percent: u8) -> bool {
		self.u8() % 100 < percent
	}

	/// One of `items` (which must not be empty).
	pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u32) as usize].clone()
	}

	/// Up to `max` raw bytes, the length read first.
	pub fn bytes(&mut self, max: usize) -> &'a [u8] {
		let len = (self.below(max as u32 + 1) as usize).min(self.bytes.len());
		let (taken, rest) = self.bytes.split_at(len);
		self.bytes = rest;
		taken
	}
}

/// SplitMix64: the seeded random mode's generator, so a seed replays its inputs exactly.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// `len` random bytes.
	pub fn bytes(&mut self, len: usize) -> Vec<u8> {
		(0..len.div_ceil(8))
			.flat_map(|_| self.next_u64().to_le_bytes())
			.take(len)
			.collect()
	}
}
