//! Python's `threading.Condition` for Rust: threads wait until another
//! thread, holding the same lock, notifies them.
//!
//! The book's chapter: [Synchronising threads: Condition and
//! Barrier](../../book/synchronizing.html); and [this crate's
//! page](../../book/crates/sync-condition.html). `cargo xtask book` builds
//! the book from `docs/` into `target/book/`, beside this documentation when
//! that is built into the default `target/doc/` (the links are relative).
//!
//! * [`Condition::new`] owns a re-entrant lock, as Python's does;
//!   [`Condition::with_lock`] / [`Condition::with_rlock`] share a
//!   [`Lock`](sync_lock::Lock) or [`RLock`](sync_lock::RLock) between
//!   several conditions.
//! * `let g = cond.lock();` (Python's `with cond:`) gives a
//!   [`ConditionGuard`] with `wait`, `wait_timeout`, `wait_for`,
//!   `wait_for_timeout`, `notify(n)` and `notify_all`.
//! * The same calls on the condition itself, after `cond.acquire()`, return
//!   a [`ConditionError`] when the calling thread does not hold the lock, as
//!   Python raises `RuntimeError`.
//!
//! Waiters are woken oldest first; `notify(n)` wakes exactly `min(n,
//! waiting)`; there are no spurious wake-ups; a wait releases an `RLock`
//! fully and restores its count; `notify_all` moves the waiters onto the
//! lock's queue instead of waking them all to fight for it.
//!
//! This crate is part of the `threading` workspace (the facade crate
//! `threading` re-exports it) and depends only on `thread-core` and
//! `sync-lock`.
//!
//! ```
//! use std::collections::VecDeque;
//! use std::sync::{Arc, Mutex};
//! use sync_condition::Condition;
//!
//! let cond = Arc::new(Condition::new());
//! let queue = Arc::new(Mutex::new(VecDeque::new()));
//! let (c2, q2) = (Arc::clone(&cond), Arc::clone(&queue));
//! let consumer = std::thread::spawn(move || {
//!     let g = c2.lock();
//!     g.wait_for(|| !q2.lock().unwrap().is_empty());
//!     q2.lock().unwrap().pop_front()
//! });
//! {
//!     let g = cond.lock();
//!     queue.lock().unwrap().push_back(42);
//!     g.notify(1);
//! }
//! assert_eq!(consumer.join().unwrap(), Some(42));
//! ```

mod condition;
mod error;

pub use condition::{Condition, ConditionGuard};
pub use error::ConditionError;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn types_are_send_and_sync() {
        assert_send_sync::<Condition>();
        assert_send_sync::<ConditionError>();
    }
}
