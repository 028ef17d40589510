//! `WorkQueue<T>`: the executor's unbounded queue of tasks (Python's
//! `SimpleQueue` in `ThreadPoolExecutor`), a lock-free `SegQueue` with a
//! [`Semaphore`] for the consumers that have to sleep.
//!
//! A consumer that finds the queue empty announces itself in `sleepers`,
//! looks once more, and only then waits on the semaphore; a producer, after
//! pushing, hands one permit to an announced sleeper, if any. Busy, the
//! queue costs a push and a pop: no permit changes hands.
//!
//! One consumer at a time waits for an item: the others wait for it on the
//! `consumer` lock (as the `threadpool` crate's workers wait on the lock of
//! their channel's receiver). A producer then wakes at most that one, and
//! the hand-over to the next waiting consumer is paid by the consumer that
//! got the item, not by the producer; idle workers do not all poll the
//! queue, each one's spin taking a CPU from the producer.
//!
//! No lost wake-up: the consumer's announcement and the producer's push are
//! each followed by a `SeqCst` fence before the other side's variable is
//! read, so either the consumer's second look finds the item, or the
//! producer sees the announcement and wakes it (Dekker's pattern). A
//! consumer whose second look succeeds withdraws its announcement; if a
//! producer took it first, that producer's permit is on its way, and the
//! consumer takes it so that the count stays true.

use crossbeam_queue::SegQueue;
use std::sync::atomic::{fence, AtomicUsize, Ordering};
use sync_lock::Lock;
use sync_semaphore::Semaphore;
use thread_core::__private::wait::{self, SpinPolicy};
use thread_core::__private::Deadline;

pub(crate) struct WorkQueue<T> {
    items: SegQueue<T>,
    /// Consumers announced as about to sleep, not yet handed a permit.
    sleepers: AtomicUsize,
    /// One permit per announcement a producer took.
    wake: Semaphore,
    /// Held by the one consumer waiting for an item (see the module
    /// documentation).
    consumer: Lock,
}

impl<T> WorkQueue<T> {
    pub(crate) fn new() -> WorkQueue<T> {
        WorkQueue {
            items: SegQueue::new(),
            sleepers: AtomicUsize::new(0),
            wake: Semaphore::new(0),
            consumer: Lock::named("ThreadPoolExecutor work queue"),
        }
    }

    pub(crate) fn push(&self, item: T) {
        self.items.push(item);
        // Pairs with the fence in `pop`: see the module documentation.
        fence(Ordering::SeqCst);
        if self.take_sleeper() {
            self.wake.release();
        }
    }

    /// Takes one announcement, if there is one.
    fn take_sleeper(&self) -> bool {
        // Relaxed: the fences order the announcement with the queue; the
        // count itself carries no data.
        self.sleepers.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok()
    }

    /// An item, if one is queued now.
    pub(crate) fn try_pop(&self) -> Option<T> {
        self.items.pop()
    }

    /// An item, waiting for one if the queue is empty.
    pub(crate) fn pop(&self) -> T {
        let _turn = self.consumer.lock();
        let mut spun = false;
        loop {
            if let Some(item) = self.items.pop() {
                return item;
            }
            if !spun {
                spun = true;
                // Looks a little longer before announcing itself: an item
                // pushed meanwhile costs its producer only the push.
                if wait::spin(SpinPolicy::BRIEF, 1, Deadline::NEVER, || !self.items.is_empty()) {
                    continue;
                }
            }
            // Relaxed, then the fence: pairs with the fence in `push`.
            self.sleepers.fetch_add(1, Ordering::Relaxed);
            fence(Ordering::SeqCst);
            if let Some(item) = self.items.pop() {
                if !self.take_sleeper() {
                    // A producer took an announcement (ours or, equally,
                    // another's) and is releasing its permit: take it.
                    self.wake.acquire();
                }
                return item;
            }
            self.wake.acquire();
        }
    }
}
