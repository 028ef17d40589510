//! The wait words both queue designs share (`queue.rs`'s lock design and
//! `ring.rs`'s ring): event-count words on thread-core's wait path, whose
//! bit 0 (`PARKED`) says that a thread may be parked on the word and whose
//! other bits count changes (`BUMP`); the wakes that go with them; and the
//! spin a getter or putter does before it waits.
//!
//! What orders a waiter's announcement against a changer's look at
//! `PARKED` is each design's own (the lock in one, fences in the other):
//! see the module documentation of each.

use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::wait::{self, SpinPolicy, UnparkResult, UnparkToken};
use thread_core::__private::Deadline;

/// Bit 0 of a wait word: a thread may be parked on it.
pub(crate) const PARKED: usize = 0b1;
/// What a change adds to a wait word (the rest of it counts changes).
pub(crate) const BUMP: usize = 0b10;

/// Bumps `word`, so that a thread that announced itself on the old value
/// and has not parked yet finds it changed; then `wake_one` or `wake_all`
/// wakes those already parked.
#[inline]
pub(crate) fn bump(word: &AtomicUsize) {
    // Relaxed: the parking layer's queue lock orders the bump against a
    // waiter's validation: the wake that follows takes that lock, so either
    // the waiter validated (and queued) before it, and is woken, or it
    // validates after, and sees the bump.
    word.fetch_add(BUMP, Ordering::Relaxed);
}

/// Wakes one thread parked on `word` (after a bump).
#[cold]
pub(crate) fn wake_one(word: &AtomicUsize) {
    // SAFETY: the callback only touches the word; it neither panics nor
    // calls the wait path.
    unsafe {
        wait::wake_one(word, |r| clear_if_last(word, r));
    }
}

/// Wakes every thread parked on `word` (after a bump).
#[cold]
pub(crate) fn wake_all(word: &AtomicUsize) {
    // SAFETY: as in `wake_one`.
    unsafe {
        wait::wake_n(word, usize::MAX, |r| clear_if_last(word, r));
    }
}

/// A wake's callback, under the queue lock: nobody left parked, so
/// `PARKED` goes (a thread that set it and has not parked yet finds the
/// word bumped, or the bit gone, and checks again).
fn clear_if_last(word: &AtomicUsize, r: UnparkResult) -> UnparkToken {
    if !r.have_more_threads {
        // Relaxed: under the queue lock, which every park validates under.
        word.fetch_and(!PARKED, Ordering::Relaxed);
    }
    UnparkToken::default()
}

/// Before a thread waits: polls `ready` for a few microseconds, as every
/// primitive of the workspace spins before it parks — an item or room may
/// come at once from a thread running on another CPU. A thread that
/// catches it never announces itself, so the thread that put or got does
/// not have to wake it (a system call, and a context switch for the
/// woken). `spinners` counts the threads spinning on this queue now, and
/// `word` is the wait word the thread parks on next. The caller then
/// checks the real state; only time is at stake here, never correctness.
#[cold]
pub(crate) fn spin(spinners: &AtomicUsize, word: &AtomicUsize, deadline: Deadline, ready: impl Fn() -> bool) {
    // Relaxed: a count of spinners that only decides how to spin.
    let n = spinners.fetch_add(1, Ordering::Relaxed) + 1;
    // Relaxed: a hint that only decides how to spin.
    let crowded = n > 1 || word.load(Ordering::Relaxed) & PARKED != 0;
    if crowded {
        // Others already wait for the same thing, and the first item or
        // room goes to them as often as to us; with more threads on the
        // queue than CPUs (4 producers and 4 consumers on 2 CPUs), a long
        // spin burns the CPU that the thread we wait for needs: the lock's
        // short spin and yields only (about 1.7x faster there, measured
        // with the bench row `queue_mpmc_4x4`).
        wait::spin(SpinPolicy::BRIEF, n, deadline, &ready);
    } else if !wait::spin(SpinPolicy::CONDITION, n, deadline, &ready) && n >= wait::cpus() {
        // A condition waiter's spin, with its history (this wait is
        // Python's condition wait), did not pay, and more threads want a
        // CPU than there are: a few yields, each of which may let the
        // thread that puts or gets run.
        wait::spin(SpinPolicy::BRIEF, n, deadline, &ready);
    }
    spinners.fetch_sub(1, Ordering::Relaxed);
}
