//! A thread's life, as Python's `Thread.start` and `_bootstrap` run it:
//! the defaults a new thread takes (`Thread-N`, the creator's daemon flag),
//! `start` and the deferred start ([`DeferredStart`]), the OS thread's body
//! (bind its identity, run the target under `catch_unwind`, report a panic
//! to the excepthook, stop) and `join`'s checks. It is the layer above the
//! `Thread` type (`crate::thread`), the registry and the excepthook; the
//! registry's `stop` ends every life.
//!
//! `start()` moves `INITIAL → STARTED` with one atomic `fetch_or` (a second
//! call fails: "threads can only be started once"), registers the thread,
//! spawns the OS thread and waits until it runs. The OS thread runs the
//! target under `catch_unwind`, reports a panic to the excepthook, leaves
//! the registry, moves to `STOPPED` and completes `finished`, which is what
//! `join` waits for. So a thread whose `join()` has returned is never
//! listed.

use crate::clock::Deadline;
use crate::excepthook;
use crate::panics::{catching, install_panic_hook, payload_text};
use crate::registry;
use crate::thread::{lock, os_thread_name, Builder, Kind, PanicPayload, Runnable, Target, Thread, ThreadError};
use crate::wait::WaitAs;
use std::panic::{self, AssertUnwindSafe, Location};
use std::time::Duration;

impl Builder {
    /// Makes the thread, not started, that will run `f`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::Builder;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Builder::new().name("sum").target(move || tx.send((1..=10).sum::<u32>()).unwrap());
    /// assert!(!t.is_alive()); // made, not started
    /// t.start().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)), Ok(55));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn target<F: FnOnce() + Send + 'static>(self, f: F) -> Thread {
        let name = self.name.unwrap_or_else(|| registry::new_name("Thread"));
        let daemon = self.daemon.unwrap_or_else(|| crate::current_thread().is_daemon());
        Thread::make(Kind::Normal, name, daemon, self.stack_size, Some(Box::new(f)))
    }

    /// Makes the thread, not started, that will call `obj.run()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::{Builder, Runnable};
    ///
    /// struct Double(u32, mpsc::Sender<u32>);
    /// impl Runnable for Double {
    ///     fn run(self) {
    ///         self.1.send(self.0 * 2).unwrap();
    ///     }
    /// }
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Builder::new().name("doubler").runnable(Double(21, tx));
    /// t.start().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)), Ok(42));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn runnable<R: Runnable>(self, obj: R) -> Thread {
        self.target(move || obj.run())
    }
}

impl Thread {
    /// A thread, not started, that will run `f` (Python's
    /// `Thread(target=f)`), named `Thread-N` and with the daemon flag of
    /// the calling thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// // Unnamed threads are numbered in the order they are made, as in Python.
    /// let a = Thread::new(|| {});
    /// let b = Thread::new(|| {});
    /// assert_eq!(a.name(), "Thread-1");
    /// assert_eq!(b.name(), "Thread-2");
    /// assert!(!a.is_daemon()); // the main thread's flag
    /// assert!(!a.is_started());
    /// ```
    #[must_use]
    pub fn new<F: FnOnce() + Send + 'static>(f: F) -> Thread {
        Builder::new().target(f)
    }

    /// A thread, not started, that will call `obj.run()` (Python's
    /// `Thread` subclass overriding `run`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Runnable, Thread};
    ///
    /// struct Check;
    /// impl Runnable for Check {
    ///     fn run(self) {
    ///         assert!(current_thread().name().starts_with("Thread-"));
    ///     }
    /// }
    ///
    /// let t = Thread::from_runnable(Check);
    /// t.start().unwrap();
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use]
    pub fn from_runnable<R: Runnable>(obj: R) -> Thread {
        Builder::new().runnable(obj)
    }

    /// Starts the thread (Python's `start()`): registers it, so that
    /// `enumerate()` lists it, creates the OS thread (named after this
    /// thread) and returns once that thread is running.
    ///
    /// # Errors
    ///
    /// [`ThreadError::AlreadyStarted`] on a second call ("threads can only
    /// be started once"), [`ThreadError::Spawn`] if the OS has no thread to
    /// give.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// t.start().unwrap();
    /// assert!(t.ident().is_some()); // `start` returned once the OS thread ran
    /// assert_eq!(t.start().unwrap_err().to_string(), "threads can only be started once");
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn start(&self) -> Result<(), ThreadError> {
        self.start_deferred()?.launch_with(true)
    }

    /// Starts the thread as far as Python can see — it is alive, listed by
    /// `enumerate()` and holds the process at exit unless it is a daemon —
    /// but creates no OS thread yet: [`DeferredStart::launch`] does that
    /// later, or [`DeferredStart::abandon`] stops the thread without running
    /// its target. This is how a pending `Timer` is a thread without costing
    /// an OS thread.
    ///
    /// # Errors
    ///
    /// [`ThreadError::AlreadyStarted`] on a second start.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| {});
    /// let pending = t.start_deferred().unwrap();
    /// assert!(t.is_alive());
    /// assert!(thread_core::enumerate().contains(&t));
    /// pending.abandon();
    /// assert!(!t.is_alive());
    /// t.join().unwrap();
    /// ```
    pub fn start_deferred(&self) -> Result<DeferredStart, ThreadError> {
        if self.inner.kind != Kind::Normal || !self.mark_started() {
            return Err(ThreadError::AlreadyStarted);
        }
        registry::register(self);
        Ok(DeferredStart { thread: Some(self.clone()) })
    }

    /// Waits until the thread has finished (Python's `join()`).
    ///
    /// # Errors
    ///
    /// [`ThreadError::NotStarted`], [`ThreadError::JoinCurrent`],
    /// [`ThreadError::JoinDummy`], and [`ThreadError::Panicked`] when the
    /// target panicked (with its message; the first join to see the panic
    /// also gets its payload, see [`ThreadError::into_panic`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::{Thread, ThreadError};
    ///
    /// let t = Thread::new(|| std::thread::sleep(Duration::from_millis(20)));
    /// assert_eq!(t.join().unwrap_err().to_string(), "cannot join thread before it is started");
    /// t.start().unwrap();
    /// t.join().unwrap();
    /// assert!(!t.is_alive() && !thread_core::enumerate().contains(&t));
    ///
    /// let bad = Thread::builder().name("bad").target(|| panic!("boom"));
    /// bad.start().unwrap();
    /// assert_eq!(bad.join(), Err(ThreadError::Panicked { thread: "bad".into(), message: "boom".into(), payload: None }));
    /// ```
    #[track_caller]
    pub fn join(&self) -> Result<(), ThreadError> {
        self.join_until(Deadline::NEVER, "join", Location::caller()).map(|_| ())
    }

    /// Waits at most `timeout` for the thread to finish (Python's
    /// `join(timeout)` followed by `is_alive()`): `Ok(true)` if it has
    /// finished, `Ok(false)` if it is still running. Any `Duration` works;
    /// `Duration::MAX` waits for ever.
    ///
    /// # Errors
    ///
    /// As [`join`](Self::join).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::{Duration, Instant};
    /// use thread_core::Thread;
    ///
    /// let (tx, rx) = mpsc::channel::<()>();
    /// let t = Thread::new(move || drop(rx.recv_timeout(Duration::from_secs(60))));
    /// t.start().unwrap();
    /// let begun = Instant::now();
    /// assert_eq!(t.join_timeout(Duration::from_millis(100)), Ok(false)); // timed out
    /// assert!(begun.elapsed() >= Duration::from_millis(60) && begun.elapsed() <= Duration::from_secs(1));
    /// assert!(t.is_alive()); // still running
    /// drop(tx); // lets it finish
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    #[must_use = "`Ok(false)` means the thread is still running"]
    #[track_caller]
    pub fn join_timeout(&self, timeout: Duration) -> Result<bool, ThreadError> {
        self.join_until(Deadline::after(timeout), "join", Location::caller())
    }

    fn join_until(
        &self,
        deadline: Deadline,
        op: &'static str,
        site: &'static Location<'static>,
    ) -> Result<bool, ThreadError> {
        if !self.is_started() {
            return Err(ThreadError::NotStarted);
        }
        // Python's `_DummyThread.join` refuses before anything else, even
        // when a dummy thread joins itself.
        if self.inner.kind == Kind::Dummy {
            return Err(ThreadError::JoinDummy);
        }
        if *self == crate::current_thread() {
            return Err(ThreadError::JoinCurrent);
        }
        if !self.inner.finished.wait_until_as(deadline, Some(WaitAs::new(&*self.inner, op, site))) {
            return Ok(false);
        }
        match lock(&self.inner.panic).as_ref() {
            Some((thread, message)) => Err(ThreadError::Panicked {
                thread: thread.clone(),
                message: message.clone(),
                payload: lock(&self.inner.payload).0.take().map(PanicPayload::new),
            }),
            None => Ok(true),
        }
    }

    fn launch(&self, wait_running: bool) -> Result<(), ThreadError> {
        let target = lock(&self.inner.target).take();
        let me = self.clone();
        let mut b = std::thread::Builder::new().name(os_thread_name(&self.name()));
        if let Some(size) = self.inner.stack_size {
            b = b.stack_size(size);
        }
        install_panic_hook();
        match b.spawn(move || me.run(target)) {
            Ok(handle) => {
                // Detached, as Python's threads are: `join` waits on
                // `finished`, not on the OS thread.
                drop(handle);
                if wait_running {
                    self.inner.running.wait();
                }
                Ok(())
            }
            Err(e) => {
                self.stop();
                Err(ThreadError::Spawn(e))
            }
        }
    }

    /// The body of every OS thread this library starts.
    fn run(self, target: Option<Target>) {
        /// Stops the thread however `run` ends: even if dropping a panic
        /// payload panics in turn, joiners and the exit wait are released.
        struct StopOnDrop<'a>(&'a Thread);
        impl Drop for StopOnDrop<'_> {
            fn drop(&mut self) {
                self.0.stop();
            }
        }

        self.bind_os_thread();
        registry::set_current(self.clone());
        let _stop = StopOnDrop(&self);
        self.inner.running.complete();
        if let Some(target) = target {
            let result = catching(|| panic::catch_unwind(AssertUnwindSafe(target)));
            if let Err(payload) = result {
                let message = payload_text(&*payload);
                *lock(&self.inner.panic) = Some((self.name(), message.clone()));
                excepthook::report(&self, message);
                // Kept for the first join; if none takes it, `Payload`'s
                // drop contains a payload whose `drop` panics.
                lock(&self.inner.payload).0 = Some(payload);
            }
        }
    }
}

/// A thread started by [`Thread::start_deferred`] whose OS thread does not
/// exist yet. Dropping it abandons the thread.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use thread_core::Thread;
///
/// let t = Thread::new(|| {});
/// let pending = t.start_deferred().unwrap();
/// assert!(t.is_alive() && t.ident().is_none()); // alive, but no OS thread yet
/// pending.launch().unwrap();
/// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
///
/// let u = Thread::new(|| unreachable!("an abandoned thread never runs"));
/// drop(u.start_deferred().unwrap()); // dropping abandons
/// assert_eq!(u.join_timeout(Duration::from_secs(60)), Ok(true));
/// ```
#[must_use = "a deferred start is abandoned when dropped"]
#[derive(Debug)]
pub struct DeferredStart {
    thread: Option<Thread>,
}

impl DeferredStart {
    /// The thread this start belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// use thread_core::Thread;
    ///
    /// let t = Thread::builder().name("timer").target(|| {});
    /// let pending = t.start_deferred().unwrap();
    /// assert_eq!(pending.thread(), &t);
    /// assert_eq!(pending.thread().name(), "timer");
    /// pending.abandon();
    /// ```
    pub fn thread(&self) -> &Thread {
        self.thread.as_ref().expect("a DeferredStart holds its thread until consumed")
    }

    /// Creates the OS thread and runs the target on it; returns without
    /// waiting for it to run.
    ///
    /// # Errors
    ///
    /// [`ThreadError::Spawn`] if the OS has no thread to give (the thread
    /// is then stopped).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use std::time::Duration;
    /// use thread_core::{current_thread, Thread};
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let t = Thread::builder().name("later").target(move || tx.send(current_thread().name()).unwrap());
    /// let pending = t.start_deferred().unwrap();
    /// pending.launch().unwrap();
    /// assert_eq!(rx.recv_timeout(Duration::from_secs(60)).unwrap(), "later");
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
    /// ```
    pub fn launch(self) -> Result<(), ThreadError> {
        self.launch_with(false)
    }

    /// Stops the thread without running its target: it leaves the registry,
    /// is no longer alive, and its joiners return `Ok`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use thread_core::Thread;
    ///
    /// let t = Thread::new(|| unreachable!("an abandoned thread never runs its target"));
    /// t.start_deferred().unwrap().abandon();
    /// assert!(!t.is_alive() && !thread_core::enumerate().contains(&t));
    /// assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true)); // no panic: it never ran
    /// assert_eq!(t.start().unwrap_err().to_string(), "threads can only be started once");
    /// ```
    pub fn abandon(mut self) {
        self.abandon_inner();
    }

    fn abandon_inner(&mut self) {
        if let Some(t) = self.thread.take() {
            drop(lock(&t.inner.target).take());
            t.stop();
        }
    }

    fn launch_with(mut self, wait_running: bool) -> Result<(), ThreadError> {
        self.thread.take().expect("not yet consumed").launch(wait_running)
    }
}

impl Drop for DeferredStart {
    fn drop(&mut self) {
        self.abandon_inner();
    }
}
