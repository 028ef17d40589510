//! `deadlock::watch`: an opt-in watchdog that looks for deadlocks
//! periodically on its own daemon thread, and `dump_on_signal`: a thread
//! dump on stderr when the process gets a signal (Unix).

use super::{deadlocks, Deadlock};
use crate::clock::Deadline;
use crate::completion::Completion;
use crate::{Thread, ThreadError};
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A running deadlock watchdog ([`watch`]). Dropping the handle leaves the
/// watchdog running for the rest of the process; [`Watch::stop`] ends it.
#[must_use = "dropping the handle leaves the watchdog running; keep it to stop it"]
pub struct Watch {
    stop: Arc<Completion>,
    thread: Thread,
}

impl fmt::Debug for Watch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch").field("thread", &self.thread).finish()
    }
}

impl Watch {
    /// Stops the watchdog and waits for its thread to end (at most one
    /// check long).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let w = thread_core::deadlock::watch(Duration::from_millis(10), |d| eprintln!("{d}")).unwrap();
    /// w.stop();
    /// ```
    pub fn stop(self) {
        self.stop.complete();
        let _ = self.thread.join();
    }

    /// The watchdog's thread (a daemon named `deadlock-watch`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let w = thread_core::deadlock::watch(Duration::from_secs(1), |_| {}).unwrap();
    /// assert!(w.thread().is_daemon());
    /// w.stop();
    /// ```
    #[must_use]
    pub fn thread(&self) -> &Thread {
        &self.thread
    }
}

/// A cycle's identity: its threads and what each waits on.
fn key(d: &Deadlock) -> Vec<(u64, usize)> {
    d.threads().iter().map(|t| (t.ident, t.blocked.target.address)).collect()
}

/// Starts a watchdog: a daemon thread (`deadlock-watch`) that calls
/// [`deadlocks()`](super::deadlocks) every `period` and `handler` once for
/// each cycle it had not seen at its previous check. Like `deadlocks()`, it
/// changes nothing: the handler decides (print, log, abort the process).
/// A cycle that breaks (a timed wait ends) and forms again is reported
/// again.
///
/// # Errors
///
/// [`ThreadError::Spawn`] if the thread cannot be created.
///
/// # Examples
///
/// ```
/// use std::sync::{mpsc, Arc, Mutex};
/// use std::time::Duration;
/// use thread_core::Thread;
///
/// let (tx, rx) = mpsc::channel();
/// let tx = Mutex::new(tx);
/// let w = thread_core::deadlock::watch(Duration::from_millis(5), move |d| {
///     let _ = tx.lock().unwrap().send(d.threads().len());
/// })
/// .unwrap();
/// // Two daemon threads joining each other.
/// let slot: Arc<Mutex<Option<Thread>>> = Arc::default();
/// let s = slot.clone();
/// let a = Thread::builder().daemon(true).target(move || loop {
///     if let Some(b) = s.lock().unwrap().clone() {
///         let _ = b.join();
///         return;
///     }
///     std::thread::sleep(Duration::from_millis(1));
/// });
/// a.start().unwrap();
/// let a2 = a.clone();
/// let b = Thread::builder().daemon(true).target(move || drop(a2.join()));
/// b.start().unwrap();
/// *slot.lock().unwrap() = Some(b);
/// assert_eq!(rx.recv_timeout(Duration::from_secs(30)), Ok(2));
/// w.stop();
/// ```
pub fn watch(period: Duration, handler: impl Fn(&Deadlock) + Send + 'static) -> Result<Watch, ThreadError> {
    let stop = Arc::new(Completion::new());
    let s = stop.clone();
    let thread = Thread::builder().name("deadlock-watch").daemon(true).target(move || {
        let mut reported: HashSet<Vec<(u64, usize)>> = HashSet::new();
        while !s.wait_until(Deadline::after(period)) {
            let found = deadlocks();
            let now: HashSet<_> = found.iter().map(key).collect();
            for d in &found {
                if !reported.contains(&key(d)) {
                    handler(d);
                }
            }
            reported = now;
        }
    });
    thread.start()?;
    Ok(Watch { stop, thread })
}

/// `SIGQUIT`, the signal on which a Java virtual machine prints its thread
/// dump (`kill -3`, or Ctrl-\ in a terminal).
#[cfg(all(unix, not(loom)))]
pub const SIGQUIT: i32 = signal_hook::consts::SIGQUIT;

/// Prints a thread dump ([`dump()`](super::dump)) to stderr each time the
/// process gets `signal` (Unix; [`SIGQUIT`] as Java does). The signal
/// handler only wakes a helper thread (the `signal-hook` crate's self-pipe):
/// the dump is taken and printed on that thread, where it may allocate and
/// lock, never in the handler.
///
/// # Errors
///
/// The error `signal-hook` gives for a signal that cannot be handled
/// (`SIGKILL`, `SIGSTOP`, `SIGSEGV`, ...), or the helper thread's spawn
/// error.
///
/// # Examples
///
/// ```no_run
/// thread_core::dump_on_signal(thread_core::dump::SIGQUIT).unwrap();
/// // `kill -QUIT <pid>` now prints every thread and what it waits on.
/// ```
#[cfg(all(unix, not(loom)))]
pub fn dump_on_signal(signal: i32) -> std::io::Result<()> {
    dump_on_signal_with(signal, |d| eprint!("{d}"))
}

/// As [`dump_on_signal`], handing each dump to `handler` (on the helper
/// thread) instead of printing it: to log it, or write it to a file.
///
/// # Errors
///
/// As [`dump_on_signal`].
///
/// # Examples
///
/// ```
/// use std::sync::{mpsc, Mutex};
/// use std::time::Duration;
///
/// let (tx, rx) = mpsc::channel();
/// let tx = Mutex::new(tx);
/// thread_core::dump::dump_on_signal_with(libc::SIGUSR2, move |d| {
///     let _ = tx.lock().unwrap().send(d.threads().len());
/// })
/// .unwrap();
/// // SAFETY: raise has no preconditions; SIGUSR2 is handled just above.
/// unsafe { libc::raise(libc::SIGUSR2) };
/// assert!(rx.recv_timeout(Duration::from_secs(30)).unwrap() >= 1);
/// ```
#[cfg(all(unix, not(loom)))]
pub fn dump_on_signal_with(
    signal: i32,
    mut handler: impl FnMut(super::ThreadDump) + Send + 'static,
) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([signal])?;
    // A plain std thread, as the timer service's: not a Python thread, so
    // `enumerate()` and the dump itself do not list it.
    std::thread::Builder::new().name("dump-on-signal".into()).spawn(move || {
        for _ in signals.forever() {
            handler(super::dump());
        }
    })?;
    Ok(())
}
