//! Python's `threading` module, rebuilt in Rust: the same names, the same
//! behaviour, the same printed output.
//!
//! The book's chapters: [Introduction](../../book/introduction.html),
//! [Porting from Python](../../book/porting.html); and [this crate's
//! page](../../book/crates/threading.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! This is the facade: it re-exports every primitive crate of the
//! workspace, so `use threading::{Thread, Lock, Event, ...}` is all a
//! program needs. Each primitive also lives in a crate of its own
//! (`thread-core`, `sync-lock`, `sync-event`, ...) for users who want only
//! that one.
//!
//! ```
//! use threading::{current_thread, Thread};
//!
//! let t = Thread::builder().name("worker").target(|| {
//!     println!("{} Starting", current_thread().name());
//! });
//! t.start().unwrap();
//! t.join().unwrap();
//! ```

pub use thread_core::{
    active_count, current_thread, deadlock, deadlocks, default_excepthook, dump, enumerate, get_ident, get_native_id,
    main_thread, reset_excepthook, set_excepthook, shutdown, Builder, Deadlock, DeferredStart, ExceptHookArgs, Local,
    PanicPayload, Runnable, Thread, ThreadDump, ThreadError, TIMEOUT_MAX,
};

#[cfg(unix)]
pub use thread_core::dump_on_signal;
pub use thread_core::profile;

pub use sync_barrier::{Barrier, BarrierBuilder, BrokenBarrierError};
pub use sync_condition::{Condition, ConditionError, ConditionGuard};
pub use sync_event::Event;
pub use sync_lock::{Lock, LockGuard, Mutex, MutexGuard, RLock, RLockGuard, RawLock, ReleaseError};
pub use sync_semaphore::{BoundedSemaphore, BoundedSemaphorePermit, Semaphore, SemaphorePermit, SemaphoreReleaseError};
pub use thread_log as logging;
pub use timer::{Timer, TimerBuilder};

/// Python's `queue` module: [`Queue`](queue::Queue),
/// [`LifoQueue`](queue::LifoQueue), [`PriorityQueue`](queue::PriorityQueue)
/// and [`SimpleQueue`](queue::SimpleQueue), with `task_done`, `join` and
/// 3.13's `shutdown` (the `sync-queue` crate).
///
/// # Examples
///
/// ```
/// use threading::queue::Queue;
///
/// let q = Queue::new(0);
/// q.put("job").unwrap();
/// assert_eq!(q.get(), Ok("job"));
/// q.task_done().unwrap();
/// q.join();
/// ```
pub use sync_queue as queue;

/// Python's `concurrent.futures` for threads:
/// [`ThreadPoolExecutor`](futures::ThreadPoolExecutor),
/// [`Future`](futures::Future), [`as_completed`](futures::as_completed) and
/// [`wait`](futures::wait) (the `threading-executor` crate).
///
/// # Examples
///
/// ```
/// use threading::futures::ThreadPoolExecutor;
///
/// let ex = ThreadPoolExecutor::new(2);
/// let f = ex.submit(|| 6 * 7).unwrap();
/// assert_eq!(f.into_result(), Ok(42));
/// ```
pub use executor as futures;
