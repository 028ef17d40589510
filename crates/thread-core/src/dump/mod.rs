//! The thread dump and the deadlock report: what every thread is doing,
//! read from the wait records that the one wait path keeps
//! (`crate::wait::record`).
//!
//! [`dump()`] lists every thread that [`enumerate()`](crate::enumerate)
//! lists (main, named, dummy, pending timers), and the threads that are
//! blocked in a primitive without being known to `enumerate()` (foreign
//! threads that never called `current_thread()`), each with what it waits
//! on. [`deadlocks()`] follows "waits for a thing held by" edges between
//! those threads and reports the cycles. Neither changes anything: the
//! threads stay as they are.
//!
//! The vocabulary of a wait ([`Kind`], [`Holder`], [`Target`]) is defined
//! below this module, in `crate::target`, so that the wait path and the
//! profile can name it without depending on the dump.

mod deadlock;
mod format;
pub(crate) mod watch;

pub use crate::target::{Holder, Kind, Target};
pub use deadlock::{deadlocks, Deadlock, DeadlockedThread};
#[cfg(all(unix, not(loom)))]
pub use watch::{dump_on_signal, dump_on_signal_with, SIGQUIT};

use crate::clock::{Deadline, Instant};
use crate::wait::record::{self, SeenWait};
use std::collections::HashMap;
use std::panic::Location;
use std::time::Duration;

/// A blocked thread's wait.
///
/// # Examples
///
/// ```
/// let d = thread_core::dump();
/// // The calling thread is running, not blocked.
/// let me = d.threads().iter().find(|t| t.ident == Some(thread_core::get_ident())).unwrap();
/// assert!(me.blocked.is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockedOn {
    /// What it waits on.
    pub target: Target,
    /// The operation: `acquire`, `wait`, `wait_for`, `join`, `barrier wait`,
    /// `wait (re-acquire)`, ...
    pub op: &'static str,
    /// The call site in the user's code.
    pub site: &'static Location<'static>,
    /// How long it has waited (since it first parked).
    pub waited: Duration,
    /// Time left before its deadline, for a timed wait (zero once passed).
    pub deadline: Option<Duration>,
}

impl BlockedOn {
    /// Whether the wait has a deadline.
    #[must_use]
    pub fn is_timed(&self) -> bool {
        self.deadline.is_some()
    }

    fn from_seen(w: SeenWait, now: Instant) -> BlockedOn {
        BlockedOn {
            target: w.target,
            op: w.op,
            site: w.site,
            waited: elapsed(w.since, now),
            deadline: w.deadline.instant().map(|at| remaining(now, at, w.deadline)),
        }
    }
}

#[cfg(not(loom))]
fn elapsed(since: Instant, now: Instant) -> Duration {
    now.saturating_duration_since(since)
}

#[cfg(loom)]
fn elapsed(_since: Instant, _now: Instant) -> Duration {
    Duration::ZERO
}

#[cfg(not(loom))]
fn remaining(now: Instant, at: Instant, _d: Deadline) -> Duration {
    at.saturating_duration_since(now)
}

#[cfg(loom)]
fn remaining(_now: Instant, _at: Instant, _d: Deadline) -> Duration {
    Duration::ZERO
}

/// A pending `Timer`'s thread: its interval and when it fires.
///
/// # Examples
///
/// ```
/// let t = thread_core::dump::PendingTimer { interval: std::time::Duration::from_secs(5), fires_in: None };
/// assert_eq!(t.interval.as_secs(), 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingTimer {
    /// The timer's interval.
    pub interval: Duration,
    /// Time left before it fires (`None` for an interval too long to
    /// represent; zero once due).
    pub fires_in: Option<Duration>,
}

/// One thread in a [`ThreadDump`].
///
/// # Examples
///
/// ```
/// let d = thread_core::dump();
/// assert!(d.threads().iter().any(|t| t.name == "MainThread"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadInfo {
    /// Its name (`Thread::name`), or `<unknown>` for a thread that
    /// `enumerate()` does not list.
    pub name: String,
    /// Its ident (`Thread::ident`), `None` before its OS thread runs.
    pub ident: Option<u64>,
    /// Its kernel id (`Thread::native_id`).
    pub native_id: Option<u64>,
    /// Whether it is a daemon.
    pub daemon: bool,
    /// Whether it is alive (`is_alive`).
    pub alive: bool,
    /// Whether `enumerate()` lists it (false for a foreign thread that
    /// never called `current_thread()`, seen only because it is blocked).
    pub listed: bool,
    /// What it waits on, if it is blocked in a primitive of this workspace.
    pub blocked: Option<BlockedOn>,
    /// For a pending `Timer`'s thread, its interval and when it fires.
    pub timer: Option<PendingTimer>,
}

/// Every thread and what it waits on, at one moment: [`dump()`]'s result.
/// It prints like a Java thread dump (see [`Display`](#impl-Display-for-ThreadDump)).
///
/// # Examples
///
/// ```
/// let d = thread_core::dump();
/// assert!(d.to_string().starts_with("Thread dump:"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreadDump {
    threads: Vec<ThreadInfo>,
}

impl ThreadDump {
    /// The threads, in `enumerate()`'s order, then the unlisted blocked
    /// ones.
    #[must_use]
    pub fn threads(&self) -> &[ThreadInfo] {
        &self.threads
    }

    /// The thread with this ident, if any.
    #[must_use]
    pub fn thread(&self, ident: u64) -> Option<&ThreadInfo> {
        self.threads.iter().find(|t| t.ident == Some(ident))
    }

    /// The name of the thread with this ident, for a holder's line.
    fn name_of(&self, ident: u64) -> Option<&str> {
        self.thread(ident).map(|t| t.name.as_str())
    }
}

/// Takes a thread dump: every thread that `enumerate()` lists, and every
/// other thread blocked in a primitive, with what it waits on. It never
/// blocks a primitive's fast path nor makes a waiter miss its wake-up; a
/// waiter that starts or ends its wait while the dump is taken is seen
/// either waiting or not, never half.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use thread_core::{dump::Kind, Thread};
///
/// let worker = Thread::builder().name("sleeper").target(|| std::thread::sleep(Duration::from_millis(300)));
/// worker.start().unwrap();
/// let w = worker.clone();
/// let joiner = Thread::builder().name("joiner").target(move || w.join().unwrap());
/// joiner.start().unwrap();
/// // Wait until the joiner is blocked in join.
/// let entry = loop {
///     let d = thread_core::dump();
///     let j = d.threads().iter().find(|t| t.name == "joiner").cloned();
///     if let Some(b) = j.and_then(|j| j.blocked) {
///         break b;
///     }
///     std::thread::sleep(Duration::from_millis(1));
/// };
/// assert_eq!((entry.target.kind, entry.op), (Kind::Thread, "join"));
/// joiner.join().unwrap();
/// ```
#[must_use]
pub fn dump() -> ThreadDump {
    take(record::snapshot(false))
}

pub(crate) fn take(slots: Vec<record::SeenSlot>) -> ThreadDump {
    let now = crate::clock::now();
    let mut by_ident: HashMap<u64, record::SeenSlot> = slots.into_iter().map(|s| (s.ident, s)).collect();
    let mut threads = Vec::new();
    for t in crate::enumerate() {
        let ident = t.ident();
        let blocked =
            ident.and_then(|i| by_ident.remove(&i)).and_then(|s| s.wait).map(|w| BlockedOn::from_seen(w, now));
        let timer = t.pending_timer().map(|(interval, at)| PendingTimer {
            interval,
            fires_in: at.map(|at| remaining(now, at, Deadline::at(at))),
        });
        threads.push(ThreadInfo {
            name: t.name(),
            ident,
            native_id: t.native_id(),
            daemon: t.is_daemon(),
            alive: t.is_alive(),
            listed: true,
            blocked,
            timer,
        });
    }
    let mut unlisted: Vec<_> = by_ident.into_values().filter(|s| s.wait.is_some()).collect();
    unlisted.sort_by_key(|s| s.ident);
    for s in unlisted {
        threads.push(ThreadInfo {
            name: "<unknown>".to_owned(),
            ident: Some(s.ident),
            native_id: Some(s.native_id),
            daemon: false,
            alive: true,
            listed: false,
            blocked: s.wait.map(|w| BlockedOn::from_seen(w, now)),
            timer: None,
        });
    }
    ThreadDump { threads }
}
