//! The timer service: one thread that keeps every pending timer's deadline
//! in a binary heap and parks until the earliest.
//!
//! * [`Service::schedule`] pushes an entry (`O(log n)`, under the queue
//!   mutex, which the service holds only to pop due entries) and, only when
//!   the new entry is the earliest, wakes the service so it parks again
//!   with the earlier deadline.
//! * Cancelling does not touch the heap: the entry's own state word says it
//!   is cancelled and the service drops it when it comes up. So that many
//!   cancelled far-off timers do not pile up, [`Service::note_cancelled`]
//!   sweeps them out once they are more than half of the heap (amortised
//!   `O(1)` per cancel).
//! * The service never holds the queue mutex while launching a thread.
//!
//! # The wake-up word
//!
//! One `AtomicU8` beside the queue:
//!
//! | bit | name       | meaning                                                     |
//! |-----|------------|-------------------------------------------------------------|
//! | 0   | `NOTIFIED` | an earlier deadline was scheduled since the service last looked at the queue |
//! | 1   | `PARKED`   | the service is parked, or about to park, on this word's address |
//!
//! The service clears `NOTIFIED` *before* it looks at the queue, and parks
//! only if the word is exactly `PARKED` (validated under the park layer's
//! lock). A scheduler pushes, then sets `NOTIFIED` and unparks if `PARKED`
//! was set. So a push the service did not see either leaves `NOTIFIED` for
//! the validation to find, or finds `PARKED` and wakes it: no lost wake-up.
//! Any wake-up, spurious or not, just makes the service look again.

use crate::clock::{self, Instant};
use std::cmp::Ordering as CmpOrdering;
use std::collections::BinaryHeap;
use std::sync::Arc;
use thread_core::__private::atomic::{AtomicU8, Ordering};
use thread_core::__private::sync::{Mutex, MutexGuard};
use thread_core::__private::wait::{self, Waiter};
use thread_core::__private::Deadline;

const NOTIFIED: u8 = 0b01;
const PARKED: u8 = 0b10;

/// Sweeping cancelled entries out of a heap smaller than this is not worth it.
const SWEEP_MIN: usize = 64;

/// What the service keeps in its queue: one pending timer.
pub(crate) trait Entry: Send + Sync + 'static {
    /// The entry is due (the service has popped it): move it to
    /// `LAUNCHING` and launch its thread, or do nothing if it was
    /// cancelled. Runs on the service thread, outside the queue mutex.
    fn launch(&self);

    /// Whether the entry was cancelled, so the service may drop it.
    fn is_cancelled(&self) -> bool;
}

struct Slot<E> {
    at: Instant,
    /// Ties broken in scheduling order.
    seq: u64,
    entry: Arc<E>,
}

impl<E> PartialEq for Slot<E> {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at && self.seq == other.seq
    }
}
impl<E> Eq for Slot<E> {}
impl<E> PartialOrd for Slot<E> {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Slot<E> {
    /// Reversed: `BinaryHeap` is a max-heap, the earliest deadline must top it.
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

struct Queue<E> {
    heap: BinaryHeap<Slot<E>>,
    next_seq: u64,
    /// Cancellations noted since the last sweep (an upper bound on the
    /// cancelled entries still in the heap).
    cancelled: usize,
}

/// The timer service's queue and wake-up word; [`Service::run`] is its
/// thread's body. Generic over the entry so the loom models can drive the
/// same queue and parking protocol with entries whose launch runs inline.
pub(crate) struct Service<E> {
    queue: Mutex<Queue<E>>,
    /// `NOTIFIED | PARKED`, see the module documentation.
    word: AtomicU8,
}

impl<E> std::fmt::Debug for Service<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = self.word.load(Ordering::Relaxed);
        f.debug_struct("Service").field("parked", &(word & PARKED != 0)).finish_non_exhaustive()
    }
}

impl<E: Entry> Default for Service<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Entry> Service<E> {
    /// An empty service (its thread is whoever calls [`run`](Self::run)).
    #[must_use]
    pub(crate) fn new() -> Self {
        Service {
            queue: Mutex::new(Queue { heap: BinaryHeap::new(), next_seq: 0, cancelled: 0 }),
            word: AtomicU8::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<E>> {
        // No code panics while holding the queue: ignore poisoning.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds `entry`, due at `at`; wakes the service if it is now the
    /// earliest. Never waits for the service beyond the queue mutex.
    pub(crate) fn schedule(&self, at: Instant, entry: Arc<E>) {
        let earliest = {
            let mut q = self.lock();
            let seq = q.next_seq;
            q.next_seq += 1;
            q.heap.push(Slot { at, seq, entry });
            q.heap.peek().is_some_and(|top| top.seq == seq)
        };
        if earliest {
            self.notify();
        }
    }

    #[inline]
    fn notify(&self) {
        // Release: pairs with the Acquire `fetch_and` in `step`, so a service
        // that consumes this notification then sees the push (which the
        // queue mutex also orders). The RMW reads the latest word, so it sees
        // a PARKED set before it.
        if self.word.fetch_or(NOTIFIED, Ordering::Release) & PARKED != 0 {
            self.wake();
        }
    }

    #[cold]
    fn wake(&self) {
        // The service thread is the word's only waiter.
        wait::wake_all(&self.word);
    }

    /// Records that an entry in the queue was cancelled; sweeps the
    /// cancelled entries out once they are more than half of the queue.
    pub(crate) fn note_cancelled(&self) {
        let mut q = self.lock();
        q.cancelled += 1;
        if q.cancelled * 2 > q.heap.len() && q.heap.len() >= SWEEP_MIN {
            q.heap.retain(|s| !s.entry.is_cancelled());
            q.cancelled = 0;
        }
    }

    /// How many entries the queue holds (cancelled ones not yet dropped
    /// included).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().heap.len()
    }

    /// Whether the queue is empty.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The service thread's body: launches due entries and parks until the
    /// next deadline, for ever.
    pub(crate) fn run(&self) -> ! {
        loop {
            let next = self.step();
            self.wait(next);
        }
    }

    /// As [`run`](Self::run), but returns as soon as `done()` holds after a
    /// round of launches (for the loom models).
    #[cfg(all(test, loom))]
    pub(crate) fn run_until(&self, done: impl Fn() -> bool) {
        loop {
            let next = self.step();
            if done() {
                return;
            }
            self.wait(next);
        }
    }

    /// One round: consume notifications, pop and launch every due entry;
    /// returns the earliest deadline left.
    fn step(&self) -> Option<Instant> {
        // Acquire: pairs with the Release `fetch_or` in `notify`. Cleared
        // before reading the queue, so a later push notifies again.
        self.word.fetch_and(!NOTIFIED, Ordering::Acquire);
        let mut due = Vec::new();
        let next = {
            let mut q = self.lock();
            let now = clock::now();
            while q.heap.peek().is_some_and(|top| clock::is_due(top.at, now)) {
                let slot = q.heap.pop().expect("peeked");
                if slot.entry.is_cancelled() {
                    q.cancelled = q.cancelled.saturating_sub(1);
                } else {
                    due.push(slot.entry);
                }
            }
            q.heap.peek().map(|top| top.at)
        };
        for entry in due {
            entry.launch();
        }
        next
    }

    /// Parks until `next` is due or a notification comes.
    fn wait(&self, next: Option<Instant>) {
        let deadline = next.map_or(Deadline::NEVER, clock::wake_deadline);
        // Acquire: pairs with the Release `fetch_or` in `notify`.
        let s = self.word.load(Ordering::Acquire);
        if s & NOTIFIED == 0 {
            Waiter::new(&self.word, PARKED, deadline).park(s);
        }
        // Woken, timed out or not parked at all: the caller looks again. The
        // service is the only waiter, so the bit goes now.
        self.word.fetch_and(!PARKED, Ordering::Relaxed);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    struct Nothing;

    fn slot(at: Instant, seq: u64) -> Slot<Nothing> {
        Slot { at, seq, entry: Arc::new(Nothing) }
    }

    #[test]
    fn slots_are_equal_exactly_when_they_order_equal() {
        let now = Instant::now();
        let later = now + std::time::Duration::from_millis(1);
        assert!(slot(now, 1) == slot(now, 1));
        assert!(slot(now, 1) != slot(now, 2));
        assert!(slot(now, 1) != slot(later, 1));
        // Reversed for the max-heap: the earlier deadline, then the lower
        // sequence number, is the greater.
        assert!(slot(now, 1) > slot(later, 0));
        assert!(slot(now, 1) > slot(now, 2));
        assert_eq!(slot(now, 1).partial_cmp(&slot(now, 1)), Some(CmpOrdering::Equal));
    }
}
