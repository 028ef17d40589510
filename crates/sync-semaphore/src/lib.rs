//! Python's `threading.Semaphore` and `threading.BoundedSemaphore` for
//! Rust.
//!
//! The book's chapter: [Limiting concurrent access:
//! Semaphore](../../book/semaphore.html); and [this crate's
//! page](../../book/crates/sync-semaphore.html). `cargo xtask book` builds
//! the book from `docs/` into `target/book/`, beside this documentation when
//! that is built into the default `target/doc/` (the links are relative).
//!
//! A [`Semaphore`] is a counter of permits in one atomic word: an
//! uncontended `acquire` or `release` is one compare-and-swap and no system
//! call; a thread that finds no permit spins briefly, then parks until a
//! `release` wakes it. A [`BoundedSemaphore`] also refuses a release that
//! would take it past its initial value ([`SemaphoreReleaseError`]).
//!
//! This crate depends only on `thread-core`; the facade crate `threading`
//! re-exports it.
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use sync_semaphore::Semaphore;
//!
//! let sem = Arc::new(Semaphore::new(2));
//! let inside = Arc::new(AtomicUsize::new(0));
//! let threads: Vec<_> = (0..4)
//!     .map(|_| {
//!         let (sem, inside) = (sem.clone(), inside.clone());
//!         std::thread::spawn(move || {
//!             let _permit = sem.permit();
//!             assert!(inside.fetch_add(1, Ordering::SeqCst) < 2);
//!             inside.fetch_sub(1, Ordering::SeqCst);
//!         })
//!     })
//!     .collect();
//! for t in threads {
//!     t.join().unwrap();
//! }
//! ```

mod bounded;
mod semaphore;

pub use bounded::{BoundedSemaphore, BoundedSemaphorePermit, SemaphoreReleaseError};

/// The former name of [`SemaphoreReleaseError`], which the design's API
/// table still uses. Renamed so that the `threading` facade re-exports it
/// under its own name, beside the locks' `ReleaseError`.
///
/// # Examples
///
/// ```
/// #[allow(deprecated)]
/// let _: Result<(), sync_semaphore::ReleaseError> = sync_semaphore::BoundedSemaphore::new(1).release();
/// ```
#[deprecated(since = "0.1.0", note = "renamed to `SemaphoreReleaseError`")]
pub type ReleaseError = SemaphoreReleaseError;
pub use semaphore::{Semaphore, SemaphorePermit};
