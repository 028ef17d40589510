//! `Gate`: the executor's lock-free admission of submits.
//!
//! One word: two "closed" bits (shutdown, broken) and, above them, the
//! count of submits in flight. A submit enters (adds one, and sees the
//! bits as they were), queues its task and leaves (subtracts one). Closing
//! sets a bit, then waits until no submit is in flight, so that every
//! submit either saw the bit and was refused, or has queued its task
//! before `close` returns — before the stop marker that follows it.
//!
//! Both are read-modify-writes of the one word, so they are ordered: an
//! entry before the close is counted when the close looks, and the close
//! waits for its leave; an entry after the close sees the bit.

use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::yield_now;

/// `shutdown` (or the process's exit) closed the gate.
pub(crate) const SHUTDOWN: usize = 1;
/// An initializer panicked: the pool is broken.
pub(crate) const BROKEN: usize = 2;
/// One submit in flight.
const ONE: usize = 4;

pub(crate) struct Gate {
    word: AtomicUsize,
}

impl Gate {
    pub(crate) fn new() -> Gate {
        Gate { word: AtomicUsize::new(0) }
    }

    /// Enters, unless the gate is closed: then `Err` with the closed bits.
    /// Dropping the [`Entered`] leaves (on a panic too: a close never
    /// waits for a submit that is gone).
    pub(crate) fn enter(&self) -> Result<Entered<'_>, usize> {
        // Relaxed: the word orders entries against `close` by itself (one
        // location's read-modify-writes are totally ordered); what the
        // submit then does is published by the Release in `leave`.
        let prev = self.word.fetch_add(ONE, Ordering::Relaxed);
        let closed = prev & (SHUTDOWN | BROKEN);
        if closed != 0 {
            self.leave();
            return Err(closed);
        }
        Ok(Entered(self))
    }

    fn leave(&self) {
        // Release: pairs with the Acquire load in `close`, so that the task
        // this submit queued is in the queue when `close` returns.
        self.word.fetch_sub(ONE, Ordering::Release);
    }

    /// Sets `bit` (refusing every later entry), then waits for the submits
    /// in flight to leave. In flight, a submit only queues its task and
    /// maybe starts a worker (whose `start` waits for no task), so the
    /// wait is short.
    pub(crate) fn close(&self, bit: usize) {
        // Relaxed: see `enter`; the wait below acquires.
        self.word.fetch_or(bit, Ordering::Relaxed);
        // Acquire: pairs with the Release in `leave`.
        while self.word.load(Ordering::Acquire) >= ONE {
            yield_now();
        }
    }

    /// The closed bits now.
    pub(crate) fn closed(&self) -> usize {
        // Relaxed: a snapshot for `Debug`; nothing is read through it.
        self.word.load(Ordering::Relaxed) & (SHUTDOWN | BROKEN)
    }
}

/// A submit in flight: leaves the gate when dropped.
pub(crate) struct Entered<'a>(&'a Gate);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.0.leave();
    }
}
