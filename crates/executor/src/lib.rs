//! Python's `concurrent.futures` for threads, in Rust:
//! [`ThreadPoolExecutor`], [`Future`], [`as_completed`] and [`wait`], with
//! Python's names, semantics and messages.
//!
//! The book's chapter: [Thread pools: concurrent.futures](../../book/futures.html);
//! and [this crate's page](../../book/crates/executor.html). `cargo xtask
//! book` builds the book from `docs/` into `target/book/`, beside this
//! documentation when that is built into the default `target/doc/` (the
//! links are relative).
//!
//! The workers are this library's [`Thread`](thread_core::Thread)s
//! (`ThreadPoolExecutor-0_0`, ... listed by `enumerate()`); every wait —
//! a worker's for work, `result()`'s for the task, `wait()`'s for many —
//! goes through the workspace's own primitives (`Lock`, `Semaphore`,
//! `Event`). The facade crate `threading` re-exports this crate as
//! `threading::futures`.
//!
//! ```
//! use executor::{as_completed, ThreadPoolExecutor};
//!
//! let ex = ThreadPoolExecutor::new(4);
//! // submit: one task, one Future.
//! let f = ex.submit(|| 2 + 2).unwrap();
//! assert_eq!(f.result(), Ok(&4));
//! // map: results in the items' order.
//! let doubled: Vec<i32> = ex.map(|x: i32| x * 2, [1, 2, 3]).unwrap().map(Result::unwrap).collect();
//! assert_eq!(doubled, [2, 4, 6]);
//! // as_completed: futures as they finish.
//! let fs: Vec<_> = (0..4).map(|i| ex.submit(move || i).unwrap()).collect();
//! let sum: i32 = as_completed(&fs, None).map(|f| *f.unwrap().result().unwrap()).sum();
//! assert_eq!(sum, 6);
//! // Dropping the executor is Python's `with` block ending: shutdown(wait=True).
//! drop(ex);
//! ```
//!
//! # Python → Rust
//!
//! | Python | Rust |
//! |---|---|
//! | `ThreadPoolExecutor(max_workers=4)` | [`ThreadPoolExecutor::new(4)`](ThreadPoolExecutor::new) |
//! | `ThreadPoolExecutor(thread_name_prefix='p', initializer=f)` | [`ThreadPoolExecutor::builder()`](ThreadPoolExecutor::builder)`.thread_name_prefix("p").initializer(f).build()` |
//! | `with ThreadPoolExecutor() as ex:` | `let ex = ThreadPoolExecutor::default();` (dropped: `shutdown(wait=True)`) |
//! | `ex.submit(fn, *args)` | `ex.submit(move \|\| fn(args))` → `Result<Future<T>, SubmitError>` |
//! | `ex.map(fn, items, timeout=t)` | `ex.map(fn, items)` / `ex.map_timeout(fn, items, Some(t))` → an iterator of `Result<T, FutureError>` |
//! | `ex.shutdown(wait, cancel_futures=...)` | `ex.shutdown(wait, cancel_futures)` |
//! | `f.result()`, `f.result(timeout)` | `f.result()` → `Result<&T, FutureError>`, `f.result_timeout(d)`; `f.into_result()` → `Result<T, FutureError>` |
//! | `f.cancel()`, `cancelled()`, `running()`, `done()` | the same names |
//! | `f.add_done_callback(fn)` | `f.add_done_callback(\|f\| ...)` |
//! | `as_completed(fs, timeout)` | [`as_completed(&fs, timeout)`](as_completed) |
//! | `wait(fs, timeout, FIRST_COMPLETED)` | [`wait(&fs, timeout, ReturnWhen::FirstCompleted)`](wait) |
//! | `CancelledError`, `TimeoutError`, the task's exception | [`FutureError::Cancelled`], [`FutureError::TimedOut`], [`FutureError::Panicked`] |
//! | `BrokenThreadPool` | [`BrokenThreadPool`] |

mod cell;
mod error;
mod executor;
mod future;
mod gate;
mod queue;
mod wait;

pub use error::{BrokenThreadPool, FutureError, SubmitError, UnfinishedError};
pub use executor::{Builder, Map, ThreadPoolExecutor};
pub use future::Future;
pub use wait::{as_completed, wait, AsCompleted, DoneAndNotDone, ReturnWhen};

/// For the loom models only: a pending future and a worker's step, without
/// an executor (loom cannot run the pool's threads).
#[cfg(all(test, loom))]
mod __model {
    use crate::future::{Future, Inner, Outcome};

    /// A pending future, as `submit` makes one.
    pub(crate) fn pending<T>() -> Future<T> {
        Future::adopt(Inner::pending())
    }

    /// What a worker does with the future's task: run `f` unless the future
    /// was cancelled; returns whether it ran.
    pub(crate) fn run<T: Send + Sync + 'static>(future: &Future<T>, f: impl FnOnce() -> T) -> bool {
        if !future.inner().set_running() {
            return false;
        }
        let outcome = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
            Ok(v) => Outcome::Value(v),
            Err(payload) => Outcome::Panicked(crate::future::panic_text(&*payload)),
        };
        future.inner().finish(outcome);
        true
    }
}

#[cfg(all(test, loom))]
mod loom;
