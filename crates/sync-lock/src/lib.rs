//! Python's `threading.Lock` and `threading.RLock` for Rust, as fast as
//! `parking_lot`'s mutex and model-checked with loom.
//!
//! The book's chapters: [Controlling access to resources:
//! Lock](../../book/lock.html), [Re-entrant locks:
//! RLock](../../book/rlock.html), [Locks as guards](../../book/guards.html);
//! and [this crate's page](../../book/crates/sync-lock.html). `cargo xtask
//! book` builds the book from `docs/` into `target/book/`, beside this
//! documentation when that is built into the default `target/doc/` (the links
//! are relative).
//!
//! * [`Lock`]: not re-entrant; any thread may [`release`](Lock::release) it;
//!   `release` of an unlocked lock is an `Err` ("release unlocked lock").
//! * [`RLock`]: the owner may re-acquire it, counting levels; `release` by a
//!   thread that does not own it is an `Err` ("cannot release un-acquired
//!   lock").
//! * [`Mutex<T>`]: a data-carrying mutex, `lock_api::Mutex` over
//!   [`RawLock`], for code that wants Rust's shape rather than Python's.
//!
//! Each lock keeps its state in one atomic word: an uncontended acquire is
//! one compare-and-swap, a release one swap; only a thread that must wait
//! goes to the parking layer (`parking_lot_core`). Waiters are woken oldest
//! first, and a fair hand-off to the oldest waiter every half millisecond or
//! so keeps threads that barge in from starving them. Guards release on
//! drop, also while unwinding: nothing is ever poisoned.
//!
//! This crate is part of the `threading` workspace; the facade crate
//! `threading` re-exports it, and it can be used alone (it depends only on
//! `thread-core` and `lock_api`).
//!
//! ```
//! use std::sync::Arc;
//! use sync_lock::{Lock, RLock};
//!
//! let lock = Arc::new(Lock::new());
//! let counter = Arc::new(std::sync::atomic::AtomicUsize::new(0));
//! let workers: Vec<_> = (0..4)
//!     .map(|_| {
//!         let (lock, counter) = (Arc::clone(&lock), Arc::clone(&counter));
//!         std::thread::spawn(move || {
//!             let _g = lock.lock();
//!             counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
//!         })
//!     })
//!     .collect();
//! for w in workers {
//!     w.join().unwrap();
//! }
//! assert_eq!(counter.load(std::sync::atomic::Ordering::Relaxed), 4);
//!
//! let r = RLock::new();
//! assert!(r.try_acquire() && r.try_acquire());
//! r.release().unwrap();
//! r.release().unwrap();
//! assert_eq!(r.release().unwrap_err().to_string(), "cannot release un-acquired lock");
//! ```

mod condition_lock;
mod error;
mod lock;
mod raw;
mod release_site;
mod rlock;

pub use condition_lock::ConditionLock;
pub use error::ReleaseError;
pub use lock::{Lock, LockGuard};
pub use raw::RawLock;
pub use rlock::{RLock, RLockGuard};

/// A mutex that owns its data, on [`RawLock`]: `lock_api::Mutex<RawLock, T>`.
///
/// Everything `lock_api` offers works: `lock`, `try_lock`, `try_lock_for`,
/// `MutexGuard::unlock_fair`, `into_inner`, `get_mut`, and a `const fn new`
/// for statics.
///
/// # Examples
///
/// ```
/// use sync_lock::Mutex;
///
/// static TOTAL: Mutex<u64> = Mutex::new(0);
/// std::thread::scope(|s| {
///     for _ in 0..4 {
///         s.spawn(|| *TOTAL.lock() += 1);
///     }
/// });
/// assert_eq!(*TOTAL.lock(), 4);
/// ```
#[cfg(not(loom))]
pub type Mutex<T> = lock_api::Mutex<RawLock, T>;

/// The guard of a [`Mutex`]: `lock_api::MutexGuard<'a, RawLock, T>`.
///
/// # Examples
///
/// ```
/// let m = sync_lock::Mutex::new(vec![1]);
/// let mut g: sync_lock::MutexGuard<'_, Vec<i32>> = m.lock();
/// g.push(2);
/// drop(g);
/// assert_eq!(m.into_inner(), [1, 2]);
/// ```
#[cfg(not(loom))]
pub type MutexGuard<'a, T> = lock_api::MutexGuard<'a, RawLock, T>;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn types_are_send_and_sync() {
        assert_send_sync::<Lock>();
        assert_send_sync::<RLock>();
        assert_send_sync::<RawLock>();
        assert_send_sync::<ReleaseError>();
    }
}
