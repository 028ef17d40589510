//! `Completion`: a one-shot flag that threads can wait for — "this thread
//! is running", "this thread has finished". `Thread::start` and
//! `Thread::join` wait through it; so can the sibling crates.
//!
//! # State machine
//!
//! One `AtomicU8`:
//!
//! | bit | name     | meaning                                        |
//! |-----|----------|------------------------------------------------|
//! | 0   | `DONE`   | `complete()` has run; never cleared            |
//! | 1   | `PARKED` | some thread may be parked on this word's address |
//!
//! `complete()` swaps the word to `DONE` and, only if `PARKED` was set,
//! wakes every waiter: with no waiter it is one atomic swap. A waiter spins
//! briefly, then waits through `crate::wait` while the word is `0`: it parks
//! with `PARKED` set, so a `complete()` racing the park either is seen by
//! the validation (no sleep) or sees `PARKED` and wakes it (no lost
//! wake-up).

use crate::clock::Deadline;
use crate::shim::atomic::{AtomicU8, Ordering};
use crate::wait::{self, SpinPolicy, WaitAs, Waiter, Wake};

const DONE: u8 = 0b01;
const PARKED: u8 = 0b10;

/// A one-shot flag that threads can block on until it is set.
pub struct Completion {
    /// See the module documentation for the bit layout.
    state: AtomicU8,
}

impl Default for Completion {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Completion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Completion").field("complete", &self.is_complete()).finish()
    }
}

impl Completion {
    /// A flag not yet set.
    #[must_use]
    pub fn new() -> Self {
        Completion { state: AtomicU8::new(0) }
    }

    /// Whether [`complete`](Self::complete) has run. An `Acquire` load: what
    /// the completing thread wrote before completing is visible after a
    /// `true`.
    #[inline]
    pub fn is_complete(&self) -> bool {
        // Acquire: pairs with the Release swap in `complete`.
        self.state.load(Ordering::Acquire) & DONE != 0
    }

    /// Sets the flag and wakes every waiter.
    #[inline]
    pub fn complete(&self) {
        // Release: publishes the completer's writes to waiters that see DONE.
        // Acquire: orders the swap before the unpark below.
        if self.state.swap(DONE, Ordering::AcqRel) & PARKED != 0 {
            self.wake_all();
        }
    }

    #[cold]
    fn wake_all(&self) {
        wait::wake_all(&self.state);
    }

    /// Blocks until the flag is set or `deadline` passes; returns whether it
    /// is set.
    pub fn wait_until(&self, deadline: Deadline) -> bool {
        self.is_complete() || self.wait_slow(deadline, None)
    }

    /// As [`wait_until`](Self::wait_until), recording the wait as `what`
    /// for the thread dump (a thread's join).
    pub fn wait_until_as(&self, deadline: Deadline, what: Option<WaitAs<'_>>) -> bool {
        self.is_complete() || self.wait_slow(deadline, what)
    }

    #[cold]
    fn wait_slow(&self, deadline: Deadline, what: Option<WaitAs<'_>>) -> bool {
        let mut waiter = Waiter::new(&self.state, PARKED, deadline);
        if let Some(what) = what {
            // SAFETY: the waiter is dropped before this call returns, while
            // its target is still borrowed (it is never leaked).
            waiter = unsafe { waiter.on(what) };
        }
        if waiter.spin(SpinPolicy::BRIEF, 1, || self.is_complete()) {
            return true;
        }
        loop {
            // Acquire: pairs with the Release swap in `complete`.
            let s = self.state.load(Ordering::Acquire);
            if s & DONE != 0 {
                return true;
            }
            if waiter.park(s) == Wake::TimedOut {
                return self.is_complete();
            }
        }
    }

    /// Blocks until the flag is set.
    pub fn wait(&self) {
        self.wait_until(Deadline::NEVER);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn complete_once_seen_by_every_look() {
        let c = Completion::new();
        assert!(!c.is_complete());
        assert_eq!(format!("{c:?}"), "Completion { complete: false }");
        assert!(!c.wait_until(Deadline::after(Duration::from_millis(10))));
        c.complete();
        assert!(c.is_complete());
        assert_eq!(format!("{c:?}"), "Completion { complete: true }");
        assert!(c.wait_until(Deadline::after(Duration::ZERO)));
        c.wait();
        c.complete(); // again: nothing changes
        assert!(c.is_complete());
    }

    #[test]
    fn a_sleeping_waiter_is_woken() {
        let c = Completion::default();
        std::thread::scope(|s| {
            let w = s.spawn(|| c.wait_until(Deadline::after(Duration::from_secs(60))));
            // Asleep once it announced itself, after its spin.
            let t0 = std::time::Instant::now();
            while c.state.load(Ordering::Relaxed) & PARKED == 0 {
                assert!(t0.elapsed() < Duration::from_secs(60));
                std::thread::yield_now();
            }
            c.complete();
            assert!(w.join().unwrap());
        });
    }
}
