//! Benchmarks live in `benches/`; this crate exists so criterion stays out of the libraries.
