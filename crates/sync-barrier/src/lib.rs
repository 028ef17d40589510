//! Python's `threading.Barrier` for Rust: a fixed number of threads wait
//! for each other, then all go on together, round after round.
//!
//! The book's chapter: [Synchronising threads: Condition and
//! Barrier](../../book/synchronizing.html); and [this crate's
//! page](../../book/crates/sync-barrier.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! A [`Barrier`] keeps its whole state machine (filling, running the
//! action, broken, resetting) and a generation count in one atomic word, so
//! a round in which nobody has to block costs a few atomic instructions and
//! no lock. A waiting thread spins briefly on that word (only while there
//! are CPUs to spare for the parties still to come), then parks.
//!
//! This crate depends only on `thread-core`; the facade crate `threading`
//! re-exports it.
//!
//! ```
//! use std::sync::Arc;
//! use sync_barrier::Barrier;
//!
//! let barrier = Arc::new(Barrier::new(3));
//! let threads: Vec<_> = (0..3)
//!     .map(|_| {
//!         let b = barrier.clone();
//!         std::thread::spawn(move || b.wait().unwrap())
//!     })
//!     .collect();
//! let mut indices: Vec<usize> = threads.into_iter().map(|t| t.join().unwrap()).collect();
//! indices.sort();
//! assert_eq!(indices, [0, 1, 2]);
//! ```

mod barrier;

pub use barrier::{Barrier, BarrierBuilder, BrokenBarrierError};

#[cfg(all(test, loom))]
mod loom;
