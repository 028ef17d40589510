//! Python's threads for Rust: `Thread` with names, daemon flags, `join`
//! with a timeout, `enumerate()`, `current_thread()`, `main_thread()`,
//! `excepthook` and `Local` — and the process waits for its non-daemon
//! threads at exit, as Python's does.
//!
//! The book's chapters: [Thread objects](../../book/threads.html), [Daemon
//! and non-daemon threads](../../book/daemon.html), [Enumerating all
//! threads](../../book/enumerate.html), [Subclassing Thread:
//! Runnable](../../book/runnable.html), [Thread-specific data:
//! Local](../../book/local.html); and [this crate's
//! page](../../book/crates/thread-core.html). `cargo xtask book` builds the
//! book from `docs/` into `target/book/`, beside this documentation when that
//! is built into the default `target/doc/` (the links are relative).
//!
//! This crate is the base of the [`threading`] workspace; the facade crate
//! `threading` re-exports all of it.
//!
//! ```
//! use thread_core::{current_thread, Thread};
//!
//! let t = Thread::builder().name("worker").target(|| {
//!     println!("{} Starting", current_thread().name());
//! });
//! t.start().unwrap();
//! t.join().unwrap();
//! ```
//!
//! Besides threads, it holds what every primitive of the workspace is built
//! on: the wait path that every blocking call goes through, over a parking
//! layer, and the clock its deadlines are measured on. They are internals:
//! sibling crates reach them through one module, `__private`, which is not
//! part of the supported API and may change in any release.
//!
//! The source is layered; each module uses only the ones in the layers
//! below it, so the module graph has no cycle:
//!
//! | layer | modules |
//! |-------|---------|
//! | leaves | `clock` (deadlines), `ident` (`get_ident`, `get_native_id`), `target` (what a thread waits on: `dump::{Kind, Holder, Target}`, `WaitTarget`), `display` (how durations and call sites print), `panics` (the panic hook, a payload's text) |
//! | on the leaves | `shim` (std or loom), `park` (the parking layer), `profile` (the contention profile) |
//! | the wait path | `wait` (spin, park, the wait records), then `completion` |
//! | the type | `thread`: `Thread` and its accessors, `Builder`, `ThreadError`, `PanicPayload`, `Runnable` |
//! | on `Thread` | `registry` (`current_thread`, `enumerate`, a thread's `stop`), `excepthook`, `local` |
//! | on top | `lifecycle` (`Builder::target`, `start`, `DeferredStart`, the OS thread's body, `join`), `dump` (the dump, the deadlock report, the watchdog) |
//!
//! [`threading`]: https://docs.rs/threading

mod clock;
mod completion;
mod display;
pub mod dump;
mod excepthook;
mod ident;
mod lifecycle;
mod local;
mod panics;
mod park;
#[cfg(not(loom))]
pub mod profile;
mod registry;
mod shim;
mod target;
mod thread;
mod wait;

#[cfg(all(test, loom))]
mod loom;

#[cfg(all(unix, not(loom)))]
pub use dump::dump_on_signal;
pub use dump::{deadlocks, dump, Deadlock, ThreadDump};

/// Deadlock reports: [`deadlocks()`](crate::deadlocks()) once, or a watchdog
/// that looks periodically ([`deadlock::watch`]).
pub mod deadlock {
    pub use crate::dump::watch::{watch, Watch};
    pub use crate::dump::{deadlocks, Deadlock, DeadlockedThread};
}
pub use excepthook::{default_excepthook, reset_excepthook, set_excepthook, ExceptHookArgs};
pub use ident::{get_ident, get_native_id};
pub use lifecycle::DeferredStart;
pub use local::Local;
pub use registry::{active_count, current_thread, enumerate, main_thread, shutdown};
pub use thread::{Builder, PanicPayload, Runnable, Thread, ThreadError};

/// The internals that the sibling crates of the `threading` workspace share:
/// the wait path, the clock, the loom shim and, under `cfg(loom)`, the model
/// clock's controls. **Not part of the supported API**: nothing here is
/// covered by semver, and it may change in any release. Depend on the
/// primitives instead.
#[doc(hidden)]
pub mod __private {
    pub use crate::clock::{Deadline, Instant};
    pub use crate::completion::Completion;
    pub use crate::panics::payload_text;
    pub use crate::shim::{atomic, cell, spin_loop, sync, thread_token, yield_now};

    /// The clock of every deadline (see `clock`).
    pub mod clock {
        pub use crate::clock::*;
    }

    /// The wait path (see `wait`).
    pub mod wait {
        pub use crate::wait::*;
    }

    /// Tells the dump that `thread` is a pending timer's: its interval and
    /// the point on the clock it fires at (`None`: never); `None` for both
    /// once it is no longer pending.
    pub fn note_timer(thread: &crate::Thread, timer: Option<(std::time::Duration, Option<crate::clock::Instant>)>) {
        thread.set_pending_timer(timer);
    }

    /// The model clock's controls, for loom models (see `park::model`).
    #[cfg(loom)]
    pub mod model {
        pub use crate::park::model::{fire, fire_final};
    }
}

use std::time::Duration;

/// The longest timeout a blocking call accepts (Python's `TIMEOUT_MAX`):
/// every call takes any `Duration`, so this is `Duration::MAX`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let t = thread_core::Thread::new(|| {});
/// t.start().unwrap();
/// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
/// // The longest timeout is accepted too: it neither overflows nor panics.
/// assert_eq!(t.join_timeout(thread_core::TIMEOUT_MAX), Ok(true));
/// assert_eq!(thread_core::TIMEOUT_MAX, Duration::MAX);
/// ```
pub const TIMEOUT_MAX: Duration = Duration::MAX;
