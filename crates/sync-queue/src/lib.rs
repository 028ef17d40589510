//! Python's `queue` module for Rust: [`Queue`], [`LifoQueue`],
//! [`PriorityQueue`] and [`SimpleQueue`], with Python's names and
//! behaviour — `put` / `get` that block (or time out, or only try),
//! `task_done` and `join`, and Python 3.13's `shutdown`.
//!
//! The book's chapter: [Queues between threads](../../book/queue.html); and
//! [this crate's page](../../book/crates/sync-queue.html). `cargo xtask
//! book` builds the book from `docs/` into `target/book/`, beside this
//! documentation when that is built into the default `target/doc/` (the
//! links are relative).
//!
//! | Python | Rust |
//! |---|---|
//! | `Queue(maxsize)`, `LifoQueue(maxsize)`, `PriorityQueue(maxsize)` | [`Queue::new`](OrderedQueue::new), [`LifoQueue::new`](OrderedQueue::new-1), [`PriorityQueue::new`](OrderedQueue::new-2) (`maxsize` 0: unbounded) |
//! | `put(item)`, `put(item, timeout=t)`, `put_nowait(item)` | [`put`](OrderedQueue::put), [`put_timeout`](OrderedQueue::put_timeout), [`try_put`](OrderedQueue::try_put): `Err(PutError::Full(item))` / `Err(PutError::ShutDown(item))` give the item back |
//! | `get()`, `get(timeout=t)`, `get_nowait()` | [`get`](OrderedQueue::get) (`Err(ShutDown)`), [`get_timeout`](OrderedQueue::get_timeout), [`try_get`](OrderedQueue::try_get) (`Err(GetError::Empty)` / `Err(GetError::ShutDown)`) |
//! | `task_done()`, `join()` | [`task_done`](OrderedQueue::task_done) (`Err(TaskDoneError)`: "task_done() called too many times"), [`join`](OrderedQueue::join) |
//! | `shutdown(immediate=False)` (3.13) | [`shutdown(immediate)`](OrderedQueue::shutdown) |
//! | `qsize()`, `empty()`, `full()`, `maxsize`, `unfinished_tasks`, `is_shutdown` | [`qsize`](OrderedQueue::qsize), [`empty`](OrderedQueue::empty), [`full`](OrderedQueue::full), [`maxsize`](OrderedQueue::maxsize), [`unfinished_tasks`](OrderedQueue::unfinished_tasks), [`is_shut_down`](OrderedQueue::is_shut_down) |
//! | `SimpleQueue()` | [`SimpleQueue::new`]: `put` never blocks, no tasks, no shutdown |
//!
//! Python raises `Full`, `Empty` and `ShutDown` without a message; here
//! their `Display` says what happened ("queue is full", "queue is empty",
//! "queue is shut down").
//!
//! The design is CPython's `Lib/queue.py`: one lock over the items and
//! three things to wait for (`not_empty`, `not_full`, `all_tasks_done`).
//! The lock is this workspace's [`Lock`](sync_lock::Lock), except in a
//! bounded [`Queue`] whose slots fit in 1 MiB (`maxsize` up to 65,536 for
//! 8-byte items), which keeps its items in a
//! lock-free ring of slots with sequence numbers; and a blocked
//! `put`, `get` or `join` waits on thread-core's wait path like every other
//! primitive here, oldest first; the whole protocol is model-checked with
//! loom (`tests/loom.rs`). This crate is part of the `threading` workspace
//! (the facade re-exports it as `threading::queue`).
//!
//! ```
//! use std::sync::Arc;
//! use sync_queue::{PriorityQueue, Queue};
//!
//! let q = Arc::new(Queue::new(2));
//! let q2 = Arc::clone(&q);
//! let consumer = std::thread::spawn(move || {
//!     let mut got = Vec::new();
//!     while let Ok(item) = q2.get() {
//!         got.push(item);
//!         q2.task_done().unwrap();
//!     }
//!     got
//! });
//! for n in 0..5 {
//!     q.put(n).unwrap(); // waits while two items are queued
//! }
//! q.join();
//! q.shutdown(false);
//! assert_eq!(consumer.join().unwrap(), [0, 1, 2, 3, 4]);
//!
//! let jobs = PriorityQueue::new(0);
//! jobs.put((2, "write")).unwrap();
//! jobs.put((1, "read")).unwrap();
//! assert_eq!(jobs.get(), Ok((1, "read")));
//! ```

mod error;
mod order;
mod queue;
mod ring;
mod simple;
mod words;

pub use error::{Empty, Full, GetError, PutError, ShutDown, TaskDoneError};
pub use order::{Fifo, Lifo, Priority};
pub use queue::{LifoQueue, OrderedQueue, PriorityQueue, Queue};
pub use simple::SimpleQueue;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn types_are_send_and_sync() {
        assert_send_sync::<Queue<String>>();
        assert_send_sync::<LifoQueue<Box<u8>>>();
        assert_send_sync::<PriorityQueue<u64>>();
        assert_send_sync::<SimpleQueue<Vec<u8>>>();
        assert_send_sync::<PutError<String>>();
        assert_send_sync::<GetError>();
        assert_send_sync::<TaskDoneError>();
    }

    #[test]
    fn a_queue_of_non_sync_items_is_sync() {
        // Items are moved in and out, never shared: `Cell` is Send, not Sync.
        assert_send_sync::<Queue<std::cell::Cell<u8>>>();
    }
}
