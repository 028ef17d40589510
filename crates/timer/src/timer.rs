//! `Timer`: Python's `threading.Timer` — a thread that runs a function
//! after an interval unless it is cancelled first.
//!
//! A timer *is* a thread: `start()` starts its [`Thread`] deferred
//! (`Thread::start_deferred`), so it is alive, listed by `enumerate()` and,
//! unless a daemon, holds the process at exit, while costing no OS thread.
//! Its deadline goes to the shared service ([`crate::service`]). When the
//! deadline is near, the service launches the thread, which waits for the
//! exact deadline and then runs the function if it wins `LAUNCHING →
//! FIRED` ([`crate::state`]). `cancel()` moves the same word to `CANCELLED`
//! and, if the thread was not launched yet, abandons the deferred start.

use crate::clock::{self, Instant};
use crate::service::{Entry, Service};
use crate::state::{Cancel, TimerState};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use thread_core::{DeferredStart, Thread, ThreadError};

/// What the timer's thread needs at run time; kept apart from [`Shared`]
/// (which holds the thread) so the thread's target does not own the thread.
struct Core {
    state: TimerState,
    /// Set by `start()` before the state leaves `IDLE`, when finite.
    deadline: OnceLock<Instant>,
}

struct Shared {
    core: Arc<Core>,
    thread: Thread,
    interval: Duration,
    /// The deferred start, from `start()` until the state word's winner
    /// (the service's `begin_launch` or a `cancel`) takes it.
    start: Mutex<Option<DeferredStart>>,
}

impl Shared {
    fn take_start(&self) -> Option<DeferredStart> {
        self.start.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Entry for Shared {
    fn launch(&self) {
        if !self.core.state.begin_launch() {
            return;
        }
        if let Some(start) = self.take_start() {
            if let Err(e) = start.launch() {
                // The thread is stopped by `launch`; there is no caller to
                // return the error to, so say it as Python would.
                eprintln!("timer {}: {e}", self.thread.name());
            }
        }
    }

    fn is_cancelled(&self) -> bool {
        self.core.state.is_cancelled()
    }
}

/// The process's timer service, once its thread runs.
static SERVICE: OnceLock<&'static Service<Shared>> = OnceLock::new();

/// The process's timer service, its thread started on first use.
fn service() -> Result<&'static Service<Shared>, ThreadError> {
    static INIT: Mutex<()> = Mutex::new(());
    if let Some(s) = SERVICE.get() {
        return Ok(s);
    }
    let _init = INIT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = SERVICE.get() {
        return Ok(s);
    }
    let s: &'static Service<Shared> = Box::leak(Box::default());
    // A plain std thread: it is not a Python thread, is never listed by
    // `enumerate()` and never asks for `current_thread()`.
    std::thread::Builder::new().name("timer-service".into()).spawn(move || s.run()).map_err(ThreadError::Spawn)?;
    let _ = SERVICE.set(s);
    Ok(s)
}

/// A thread that runs a function after an interval, unless cancelled first
/// (Python's `threading.Timer`).
///
/// It is a thread in every way Python shows: from `start()` until the
/// function has returned or the timer was cancelled it is alive, listed by
/// `enumerate()` and counted by `active_count()`; `current_thread()` inside
/// the function is the timer's thread, with its name; a pending non-daemon
/// timer keeps the process alive at exit, a daemon one does not. But while
/// it waits it costs no OS thread: one service thread keeps every pending
/// deadline, and the timer's own thread is created just before it fires.
///
/// The function runs no earlier than `interval` after `start()`. A clone is
/// another handle to the same timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use timer::Timer;
///
/// let t = Timer::new(Duration::from_millis(10), || {
///     println!("{} fired", thread_core::current_thread().name());
/// });
/// t.start().unwrap();
/// t.join().unwrap();
/// ```
#[derive(Clone)]
pub struct Timer {
    shared: Arc<Shared>,
}

/// Builds a [`Timer`] with a name, a daemon flag and an interval, like
/// Python's `Timer(interval, function)` followed by `name = ...` and
/// `daemon = ...`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use timer::Timer;
///
/// let t = Timer::builder().name("t1").daemon(true).interval(Duration::from_millis(300)).function(|| {});
/// assert_eq!(t.name(), "t1");
/// assert!(t.is_daemon());
/// assert_eq!(t.interval(), Duration::from_millis(300));
/// ```
#[derive(Debug, Default)]
#[must_use = "a builder does nothing until `function` makes the timer"]
pub struct TimerBuilder {
    thread: thread_core::Builder,
    interval: Duration,
}

impl TimerBuilder {
    /// A builder with Python's defaults: name `Thread-N`, the daemon flag of
    /// the creating thread, and a zero interval.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::TimerBuilder::new().function(|| {});
    /// assert!(t.name().starts_with("Thread-"));
    /// assert_eq!(t.interval(), Duration::ZERO);
    /// assert!(!t.is_daemon()); // the main thread is not a daemon
    /// ```
    pub fn new() -> TimerBuilder {
        TimerBuilder::default()
    }

    /// The timer thread's name (default `Thread-N`), which
    /// `current_thread()` reports inside the function.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::builder()
    ///     .name("t1")
    ///     .function(|| assert_eq!(thread_core::current_thread().name(), "t1"));
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(30)).unwrap());
    /// ```
    pub fn name(mut self, name: impl Into<String>) -> TimerBuilder {
        self.thread = self.thread.name(name);
        self
    }

    /// Whether the timer is a daemon (default: the creating thread's flag).
    /// A pending daemon timer does not hold the process at exit.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// // Due in an hour: as a daemon it does not keep this program alive.
    /// let t = timer::Timer::builder().daemon(true).interval(Duration::from_secs(3600)).function(|| {});
    /// t.start().unwrap();
    /// assert!(t.is_daemon());
    /// ```
    pub fn daemon(mut self, daemon: bool) -> TimerBuilder {
        self.thread = self.thread.daemon(daemon);
        self
    }

    /// How long after `start()` the function runs (default: zero, as soon
    /// as possible). Any `Duration` works; one too large for the clock
    /// never fires.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let t = timer::Timer::builder().interval(Duration::from_millis(50)).function(|| {});
    /// let started = Instant::now();
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(30)).unwrap());
    /// assert!(started.elapsed() >= Duration::from_millis(50)); // never early
    /// ```
    pub fn interval(mut self, interval: Duration) -> TimerBuilder {
        self.interval = interval;
        self
    }

    /// The stack size of the timer's OS thread in bytes (default: std's).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::builder().stack_size(256 * 1024).function(|| {});
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(30)).unwrap());
    /// ```
    pub fn stack_size(mut self, size: usize) -> TimerBuilder {
        self.thread = self.thread.stack_size(size);
        self
    }

    /// Makes the timer, not started, that will run `f`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    ///
    /// let ran = Arc::new(AtomicBool::new(false));
    /// let r = ran.clone();
    /// let t = timer::Timer::builder().function(move || r.store(true, Ordering::SeqCst));
    /// assert!(!t.is_alive()); // made, not started
    /// t.start().unwrap();
    /// assert!(t.join_timeout(Duration::from_secs(30)).unwrap());
    /// assert!(ran.load(Ordering::SeqCst));
    /// ```
    #[must_use]
    pub fn function<F: FnOnce() + Send + 'static>(self, f: F) -> Timer {
        let core = Arc::new(Core { state: TimerState::new(), deadline: OnceLock::new() });
        let c = core.clone();
        let thread = self.thread.target(move || {
            if let Some(&at) = c.deadline.get() {
                clock::sleep_until(at);
            }
            if c.state.fire() {
                // No longer pending, for the thread dump.
                thread_core::__private::note_timer(&thread_core::current_thread(), None);
                f();
            }
        });
        Timer { shared: Arc::new(Shared { core, thread, interval: self.interval, start: Mutex::new(None) }) }
    }
}

impl Timer {
    /// A timer, not started, that will run `f` once `interval` has passed
    /// after [`start`](Self::start) (Python's `Timer(interval, f)`). It is
    /// named `Thread-N` and has the calling thread's daemon flag.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::new(Duration::from_secs(1), || {});
    /// assert!(!t.is_alive());
    /// ```
    #[must_use]
    pub fn new<F: FnOnce() + Send + 'static>(interval: Duration, f: F) -> Timer {
        TimerBuilder::new().interval(interval).function(f)
    }

    /// A builder for a timer with a name, a daemon flag or a stack size.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::builder().name("t1").function(|| {});
    /// assert_eq!(t.name(), "t1");
    /// ```
    pub fn builder() -> TimerBuilder {
        TimerBuilder::new()
    }

    /// Starts the timer (Python's `start()`): from now on it is alive and
    /// listed by `enumerate()`, and its function runs once the interval has
    /// passed unless [`cancel`](Self::cancel) comes first. It returns at
    /// once: no OS thread is created now, and it never waits for the timer
    /// service. A timer cancelled before it was started starts and stops at
    /// once, without running its function, as in Python.
    ///
    /// # Errors
    ///
    /// [`ThreadError::AlreadyStarted`] on a second call ("threads can only
    /// be started once"); [`ThreadError::Spawn`] if the timer service's
    /// thread, created by the first timer of the process, cannot be.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::new(Duration::from_millis(5), || {});
    /// t.start().unwrap();
    /// assert!(t.is_alive());
    /// assert!(t.start().is_err());
    /// t.join().unwrap();
    /// ```
    pub fn start(&self) -> Result<(), ThreadError> {
        let s = &*self.shared;
        let service = if s.thread.is_started() { None } else { Some(service()?) };
        let pending = s.thread.start_deferred()?;
        let deadline = clock::after(clock::now(), s.interval);
        if let Some(at) = deadline {
            let _ = s.core.deadline.set(at);
        }
        // For the thread dump, until the function starts (before `arm`,
        // after which the thread may fire at any moment).
        thread_core::__private::note_timer(&s.thread, Some((s.interval, deadline)));
        *s.start.lock().unwrap_or_else(|e| e.into_inner()) = Some(pending);
        if !s.core.state.arm() {
            // Cancelled before it was started: Python's timer thread would
            // start, see `finished` set and end.
            if let Some(p) = s.take_start() {
                p.abandon();
            }
            return Ok(());
        }
        if let (Some(at), Some(service)) = (deadline, service) {
            service.schedule(at, self.shared.clone());
        }
        Ok(())
    }

    /// Stops the timer if its function has not started yet (Python's
    /// `cancel()`); returns `true` when this call kept the function from
    /// running. After it returns, the function either had already started
    /// (then `false`) or never will. A cancelled timer is no longer alive
    /// nor listed as soon as its thread has stopped, which for a pending
    /// timer is before `cancel` returns. It never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::new(Duration::from_secs(60), || unreachable!());
    /// t.start().unwrap();
    /// assert!(t.cancel());
    /// assert!(!t.cancel());
    /// assert!(!t.is_alive());
    /// t.join().unwrap();
    /// ```
    #[must_use = "`false` means the function had already started, or the timer was cancelled before"]
    pub fn cancel(&self) -> bool {
        let s = &*self.shared;
        let outcome = s.core.state.cancel();
        if outcome == Cancel::WhilePending {
            if let Some(p) = s.take_start() {
                p.abandon();
            }
            // Only a timer with a finite deadline is in the service's queue.
            if let (Some(_), Some(service)) = (s.core.deadline.get(), SERVICE.get()) {
                service.note_cancelled();
            }
        }
        outcome.kept_from_running()
    }

    /// Waits until the function has returned or the timer was cancelled
    /// (Python's `join()`).
    ///
    /// # Errors
    ///
    /// As [`Thread::join`]: [`ThreadError::NotStarted`] before `start()`,
    /// [`ThreadError::JoinCurrent`] from the timer's own function, and
    /// [`ThreadError::Panicked`] if the function panicked.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::new(std::time::Duration::ZERO, || {});
    /// assert!(t.join().is_err());
    /// t.start().unwrap();
    /// t.join().unwrap();
    /// ```
    #[track_caller]
    pub fn join(&self) -> Result<(), ThreadError> {
        self.shared.thread.join()
    }

    /// Waits at most `timeout` for the function to return or the timer to
    /// be cancelled (Python's `join(timeout)` then `is_alive()`):
    /// `Ok(true)` if it has finished, `Ok(false)` if it is still pending or
    /// running.
    ///
    /// # Errors
    ///
    /// As [`join`](Self::join).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::new(Duration::from_secs(60), || {});
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_millis(1)), Ok(false));
    /// assert!(t.cancel());
    /// assert_eq!(t.join_timeout(Duration::from_secs(10)), Ok(true));
    /// ```
    #[must_use = "`Ok(false)` means the timer is still pending or running"]
    #[track_caller]
    pub fn join_timeout(&self, timeout: Duration) -> Result<bool, ThreadError> {
        self.shared.thread.join_timeout(timeout)
    }

    /// Whether the timer is alive: started, and neither cancelled nor
    /// finished running its function (Python's `is_alive()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::new(std::time::Duration::from_secs(60), || {});
    /// assert!(!t.is_alive());
    /// t.start().unwrap();
    /// assert!(t.is_alive());
    /// assert!(t.cancel());
    /// assert!(!t.is_alive());
    /// ```
    pub fn is_alive(&self) -> bool {
        self.shared.thread.is_alive()
    }

    /// The timer thread's name (Python's `name` / `getName()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::builder().name("t1").function(|| {});
    /// assert_eq!(t.name(), "t1");
    /// ```
    pub fn name(&self) -> String {
        self.shared.thread.name()
    }

    /// Renames the timer thread (Python's `name = ...` / `setName()`); the
    /// function sees the new name in `current_thread().name()`.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::new(std::time::Duration::ZERO, || {});
    /// t.set_name("t2");
    /// assert_eq!(t.name(), "t2");
    /// ```
    pub fn set_name(&self, name: impl Into<String>) {
        self.shared.thread.set_name(name);
    }

    /// Whether the timer is a daemon (Python's `daemon`): a pending daemon
    /// timer does not keep the process alive.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::builder().daemon(true).function(|| {});
    /// assert!(t.is_daemon());
    /// ```
    pub fn is_daemon(&self) -> bool {
        self.shared.thread.is_daemon()
    }

    /// Sets the daemon flag (Python's `daemon = ...` / `setDaemon()`).
    ///
    /// # Errors
    ///
    /// [`ThreadError::DaemonStatusOfActive`] once the timer has started.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::new(std::time::Duration::from_secs(60), || {});
    /// t.set_daemon(true).unwrap();
    /// t.start().unwrap();
    /// assert!(t.set_daemon(false).is_err());
    /// assert!(t.cancel());
    /// ```
    pub fn set_daemon(&self, daemon: bool) -> Result<(), ThreadError> {
        self.shared.thread.set_daemon(daemon)
    }

    /// The interval the timer waits after `start()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let t = timer::Timer::new(Duration::from_millis(300), || {});
    /// assert_eq!(t.interval(), Duration::from_millis(300));
    /// ```
    pub fn interval(&self) -> Duration {
        self.shared.interval
    }

    /// The timer's thread handle: the same [`Thread`] that `enumerate()`
    /// lists and that `current_thread()` returns inside the function. Its
    /// `ident()` and `native_id()` are `None` until its OS thread exists,
    /// just before the function runs.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = timer::Timer::new(std::time::Duration::from_secs(60), || {});
    /// t.start().unwrap();
    /// assert!(thread_core::enumerate().contains(&t.thread()));
    /// assert_eq!(t.thread().ident(), None);
    /// assert!(t.cancel());
    /// ```
    pub fn thread(&self) -> Thread {
        self.shared.thread.clone()
    }
}

impl std::fmt::Debug for Timer {
    /// `Timer { name: "t1", interval: 300ms, state: "pending", daemon: false }`;
    /// never blocks on the timer.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &*self.shared;
        f.debug_struct("Timer")
            .field("name", &s.thread.name_arc())
            .field("interval", &s.interval)
            .field("state", &s.core.state.describe())
            .field("daemon", &s.thread.is_daemon())
            .finish()
    }
}
