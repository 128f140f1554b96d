//! Intentionally empty. The checks live in `tests/tidy.rs`, so that a plain
//! `cargo test --workspace` runs them; Cargo needs a library target to build
//! the package at all. Nothing depends on this crate.
