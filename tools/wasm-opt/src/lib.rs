//! The subset of [wasm-opt](https://crates.io/crates/wasm-opt)'s API that `substrate-wasm-builder`
//! uses to turn the runtime's "bloaty" blob into the compact one, without compiling Binaryen
//! (about 200 C++ files, most of a cold build's critical path on two cores).
//!
//! The wasm builder only ever asks Binaryen for optimisation level 0 with two passes:
//! [`Pass::StripDwarf`] (drop the `.debug_*` custom sections) and [`Pass::SignextLowering`] (rewrite
//! sign-extension operators into MVP ones), optionally limited to the MVP feature set. This crate
//! does the same on the section level:
//!
//! - the module is validated first ([`OptimizationError::ValidateWasmInput`] if it does not
//!   validate), under the MVP features when [`OptimizationOptions::mvp_features_only`] is set;
//! - `StripDwarf` drops the `.debug_*` custom sections; without
//!   [`OptimizationOptions::debug_info`] the `name` section goes too, as Binaryen would;
//! - `SignextLowering` is satisfied when the module has no sign-extension operator, which is
//!   always the case for the `wasm32v1-none` target (WebAssembly 1.0) that the wasm builder uses;
//!   a module that has one is refused with [`OptimizationError::SignExtension`] rather than
//!   rewritten, so a blob that needs lowering never passes silently;
//! - every other section is copied byte for byte.

use std::{fmt, fs, ops::Range, path::Path};

use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// A transformation the wasm builder asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pass {
	/// Remove the DWARF debug information (`.debug_*` custom sections).
	StripDwarf,
	/// Lower the sign-extension operators to MVP operators.
	SignextLowering,
}

/// What can go wrong.
#[derive(Debug)]
pub enum OptimizationError {
	/// The input module did not validate (under the MVP features if only those were allowed).
	ValidateWasmInput(String),
	/// The module uses sign-extension operators, which this crate does not rewrite: build the
	/// runtime for `wasm32v1-none`, which has none.
	SignExtension,
	/// The input could not be read.
	Read(std::io::Error),
	/// The output could not be written.
	Write(std::io::Error),
}

impl fmt::Display for OptimizationError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::ValidateWasmInput(why) => write!(f, "Failed to validate wasm: {why}"),
			Self::SignExtension => f.write_str(
				"The module uses sign-extension operators; build it for wasm32v1-none, which has none",
			),
			Self::Read(e) => write!(f, "Failed to read module: {e}"),
			Self::Write(e) => write!(f, "Failed to write module: {e}"),
		}
	}
}

impl std::error::Error for OptimizationError {}

/// The options of one run, built like wasm-opt's.
#[derive(Clone, Debug, Default)]
pub struct OptimizationOptions {
	mvp_only: bool,
	debug_info: bool,
	passes: Vec<Pass>,
}

impl OptimizationOptions {
	/// Optimisation level 0: only the passes added explicitly run.
	pub fn new_opt_level_0() -> Self {
		Self::default()
	}

	/// Accept only the WebAssembly MVP feature set.
	pub fn mvp_features_only(&mut self) -> &mut Self {
		self.mvp_only = true;
		self
	}

	/// Keep the `name` section (function names for backtraces).
	pub fn debug_info(&mut self, value: bool) -> &mut Self {
		self.debug_info = value;
		self
	}

	/// Run `pass`.
	pub fn add_pass(&mut self, pass: Pass) -> &mut Self {
		self.passes.push(pass);
		self
	}

	/// Reads the module at `infile`, applies the options and writes the result to `outfile` (which
	/// may be `infile`).
	pub fn run(
		&self,
		infile: impl AsRef<Path>,
		outfile: impl AsRef<Path>,
	) -> Result<(), OptimizationError> {
		let input = fs::read(infile).map_err(OptimizationError::Read)?;
		let output = self.apply(&input)?;
		fs::write(outfile, output).map_err(OptimizationError::Write)
	}

	/// Applies the options to the module `wasm`.
	pub fn apply(&self, wasm: &[u8]) -> Result<Vec<u8>, OptimizationError> {
		self.validate(wasm)?;
		let strip_dwarf = self.passes.contains(&Pass::StripDwarf);
		let mut out = wasm[..8].to_vec();
		for payload in Parser::new(0).parse_all(wasm) {
			let payload =
				payload.map_err(|e| OptimizationError::ValidateWasmInput(e.to_string()))?;
			let Some((id, range)) = payload.as_section() else { continue };
			if let Payload::CustomSection(custom) = &payload {
				let name = custom.name();
				if (strip_dwarf && name.starts_with(".debug_"))
					|| (!self.debug_info && (name == "name" || name == "sourceMappingURL"))
				{
					continue;
				}
			}
			copy_section(&mut out, id, wasm, range);
		}
		Ok(out)
	}

	fn validate(&self, wasm: &[u8]) -> Result<(), OptimizationError> {
		let mut features = if self.mvp_only { WasmFeatures::MVP } else { WasmFeatures::default() };
		if self.passes.contains(&Pass::SignextLowering) {
			features.remove(WasmFeatures::SIGN_EXTENSION);
		}
		let error = match Validator::new_with_features(features).validate_all(wasm) {
			Ok(_) => return Ok(()),
			Err(error) => error,
		};
		// Tell a sign-extension operator (which would need lowering) from any other fault.
		let with_sign_ext = features.union(WasmFeatures::SIGN_EXTENSION);
		if !features.contains(WasmFeatures::SIGN_EXTENSION)
			&& Validator::new_with_features(with_sign_ext).validate_all(wasm).is_ok()
		{
			return Err(OptimizationError::SignExtension);
		}
		Err(OptimizationError::ValidateWasmInput(error.to_string()))
	}
}

/// Appends the section `id` whose contents are `wasm[range]`.
fn copy_section(out: &mut Vec<u8>, id: u8, wasm: &[u8], range: Range<usize>) {
	out.push(id);
	let mut len = range.len() as u32;
	loop {
		let byte = (len & 0x7f) as u8;
		len >>= 7;
		if len == 0 {
			out.push(byte);
			break;
		}
		out.push(byte | 0x80);
	}
	out.extend_from_slice(&wasm[range]);
}

#[cfg(test)]
mod tests {
	use super::*;

	const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

	fn section(id: u8, contents: &[u8]) -> Vec<u8> {
		let mut out = Vec::new();
		copy_section(&mut out, id, contents, 0..contents.len());
		out
	}

	fn custom(name: &str, data: &[u8]) -> Vec<u8> {
		let mut contents = vec![name.len() as u8];
		contents.extend_from_slice(name.as_bytes());
		contents.extend_from_slice(data);
		section(0, &contents)
	}

	/// A module with one function `(i32) -> i32` whose body is `local.get 0` then `op`, and the
	/// given custom sections at the end.
	fn module(op: &[u8], customs: &[Vec<u8>]) -> Vec<u8> {
		let mut wasm = HEADER.to_vec();
		wasm.extend(section(1, &[0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]));
		wasm.extend(section(3, &[0x01, 0x00]));
		let mut body = vec![0x00, 0x20, 0x00];
		body.extend_from_slice(op);
		body.push(0x0b);
		let mut code = vec![0x01, body.len() as u8];
		code.extend(body);
		wasm.extend(section(10, &code));
		for c in customs {
			wasm.extend_from_slice(c);
		}
		wasm
	}

	fn compact() -> OptimizationOptions {
		let mut opts = OptimizationOptions::new_opt_level_0();
		opts.mvp_features_only()
			.debug_info(true)
			.add_pass(Pass::StripDwarf)
			.add_pass(Pass::SignextLowering);
		opts
	}

	#[test]
	fn strips_dwarf_and_keeps_names_and_code() {
		let names = custom("name", &[0x01, 0x02]);
		let dwarf = custom(".debug_info", &[0xaa; 40]);
		let line = custom(".debug_line", &[0xbb; 3]);
		let input = module(&[0x45], &[names.clone(), dwarf, line]);
		let output = compact().apply(&input).unwrap();
		assert_eq!(output, module(&[0x45], &[names]));
		// The result is itself valid under the MVP.
		assert!(Validator::new_with_features(WasmFeatures::MVP).validate_all(&output).is_ok());
	}

	#[test]
	fn without_debug_info_the_name_section_goes_too() {
		let input = module(&[0x45], &[custom("name", &[0x00]), custom("producers", &[0x00])]);
		let mut opts = compact();
		opts.debug_info(false);
		assert_eq!(opts.apply(&input).unwrap(), module(&[0x45], &[custom("producers", &[0x00])]));
	}

	#[test]
	fn an_mvp_module_without_passes_is_copied_unchanged() {
		let input = module(&[0x45], &[custom(".debug_info", &[0x01])]);
		let output = OptimizationOptions::new_opt_level_0().apply(&input).unwrap();
		assert_eq!(output, input);
	}

	#[test]
	fn sign_extension_is_refused_not_passed_through() {
		// i32.extend8_s
		let input = module(&[0xc0], &[]);
		assert!(matches!(compact().apply(&input), Err(OptimizationError::SignExtension)));
		let mut lower_only = OptimizationOptions::new_opt_level_0();
		lower_only.add_pass(Pass::SignextLowering);
		assert!(matches!(lower_only.apply(&input), Err(OptimizationError::SignExtension)));
		// Without the lowering pass and without the MVP limit, it is valid as it is.
		assert_eq!(OptimizationOptions::new_opt_level_0().apply(&input).unwrap(), input);
	}

	#[test]
	fn an_invalid_module_is_refused() {
		// The body ends without its `end`.
		let mut input = module(&[0x45], &[]);
		let at = input.len() - 1;
		input[at] = 0x1a; // drop instead of end
		assert!(matches!(compact().apply(&input), Err(OptimizationError::ValidateWasmInput(_))));
		assert!(matches!(compact().apply(b"\0asm"), Err(OptimizationError::ValidateWasmInput(_))));
	}

	#[test]
	fn run_reads_and_writes_files_in_place() {
		let dir = std::env::temp_dir().join(format!("wasm-opt-{}", std::process::id()));
		fs::create_dir_all(&dir).unwrap();
		let path = dir.join("blob.wasm");
		fs::write(&path, module(&[0x45], &[custom(".debug_info", &[0x01])])).unwrap();
		compact().run(&path, &path).unwrap();
		assert_eq!(fs::read(&path).unwrap(), module(&[0x45], &[]));
		assert!(matches!(
			compact().run(dir.join("missing.wasm"), &path),
			Err(OptimizationError::Read(_))
		));
		fs::remove_dir_all(dir).unwrap();
	}
}
