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
//! unparks every waiter: with no waiter it is one atomic swap. A waiter sets
//! `PARKED` and parks with the validation "`DONE` is still clear and `PARKED`
//! still set", so a `complete()` racing the park either is seen by the
//! validation (no sleep) or sees `PARKED` and unparks (no lost wake-up). A
//! waiter that times out as the last one on the key clears `PARKED` under the
//! queue lock.

use crate::park::{self, ParkResult, DEFAULT_PARK_TOKEN, DEFAULT_UNPARK_TOKEN};
use crate::shim::atomic::{AtomicU8, Ordering};
use crate::shim::{spin_loop, Deadline};

const DONE: u8 = 0b01;
const PARKED: u8 = 0b10;

/// How many times a waiter re-reads the word before it parks: enough to
/// catch a thread that finishes within a few microseconds on another core.
/// Under loom each spin is a yield, a scheduling point of the model: two
/// keep the spinning path explored without multiplying the interleavings.
#[cfg(not(loom))]
const SPINS: u32 = 64;
#[cfg(loom)]
const SPINS: u32 = 2;

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
        // SAFETY: the key is this flag's own address.
        unsafe {
            park::unpark_all(self.key(), DEFAULT_UNPARK_TOKEN);
        }
    }

    fn key(&self) -> usize {
        &self.state as *const AtomicU8 as usize
    }

    /// Blocks until the flag is set or `deadline` passes; returns whether it
    /// is set.
    pub fn wait_until(&self, deadline: Deadline) -> bool {
        for _ in 0..SPINS {
            if self.is_complete() {
                return true;
            }
            spin_loop();
        }
        self.wait_slow(deadline)
    }

    #[cold]
    fn wait_slow(&self, deadline: Deadline) -> bool {
        loop {
            // Acquire: pairs with the Release swap in `complete`.
            let s = self.state.load(Ordering::Acquire);
            if s & DONE != 0 {
                return true;
            }
            // Checked before PARKED is set: a poll that will not sleep must
            // not make the next `complete()` take the slow path for nothing.
            if deadline.has_passed() {
                return false;
            }
            if s & PARKED == 0
                && self.state.compare_exchange_weak(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed).is_err()
            {
                continue;
            }
            let validate = || self.state.load(Ordering::Relaxed) == PARKED;
            let timed_out = |_key, was_last: bool| {
                if was_last {
                    // Under the queue lock: no other waiter can be parking on
                    // this key now, and `complete` overwrites the bit anyway.
                    self.state.fetch_and(!PARKED, Ordering::Relaxed);
                }
            };
            // SAFETY: the key is this flag's own address; the callbacks only
            // touch the atomic word.
            let r = unsafe { park::park(self.key(), validate, || {}, timed_out, DEFAULT_PARK_TOKEN, deadline) };
            if r == ParkResult::TimedOut {
                return self.is_complete();
            }
        }
    }

    /// Blocks until the flag is set.
    pub fn wait(&self) {
        self.wait_until(Deadline::NEVER);
    }
}
