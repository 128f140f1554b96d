//! The only crate in clawguard that may contain `unsafe` code.
//!
//! Everything else in the workspace is `#![forbid(unsafe_code)]` through the
//! workspace lints. Each `unsafe` block here carries a `// SAFETY:` comment.

pub mod clock;
pub mod hex;
pub mod passwd;
pub mod regular_file;
pub mod text;
pub mod walk;
