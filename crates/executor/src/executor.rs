//! `ThreadPoolExecutor`: a pool of this library's threads that runs
//! submitted tasks (Python's `concurrent.futures.ThreadPoolExecutor`).
//!
//! As Python's: a work queue ([`WorkQueue`](crate::queue::WorkQueue), whose
//! idle consumers take turns, one at a time sleeping on a [`Semaphore`]),
//! an idle semaphore that workers release before they block on the queue
//! and that `submit` tries first (an idle worker will take the task: no new
//! thread) while the pool can still grow, and a worker started by `submit`
//! otherwise, up to `max_workers`. `None` in the queue tells a
//! worker to stop; it puts it back for the next one.
//!
//! `submit` takes no lock unless it starts a worker: it passes the
//! [`Gate`], which `shutdown` and a failed initializer close (waiting for
//! the submits in flight) before they drain the queue or put the stop
//! marker in, so no task lands behind the marker.

use crate::cell::Guarded;
use crate::error::{BrokenThreadPool, FutureError, SubmitError};
use crate::future::{Future, Inner, Job};
use crate::gate::{Gate, BROKEN, SHUTDOWN};
use crate::queue::WorkQueue;
use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use sync_lock::Lock;
use sync_semaphore::Semaphore;
use thread_core::Thread;

/// `None` is Python's sentinel: "stop".
type Item = Option<Arc<dyn Job>>;

struct PoolState {
    threads: Vec<Thread>,
}

struct Shared {
    queue: WorkQueue<Item>,
    /// Python's `_idle_semaphore`: released by a worker about to block.
    idle: Semaphore,
    /// Behind a `Lock`: its holder may start a worker (see `cell`).
    state: Guarded<PoolState, Lock>,
    /// Admission of submits: closed by shutdown, exit and a broken pool.
    gate: Gate,
    /// `state.threads.len()`, readable without the lock (written under it).
    started: AtomicUsize,
    max_workers: usize,
    prefix: String,
    initializer: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Shared {
    fn put(&self, item: Item) {
        self.queue.push(item);
    }

    /// Takes every queued task out (leaving the sentinels).
    fn drain(&self) -> Vec<Arc<dyn Job>> {
        let mut jobs = Vec::new();
        while let Some(item) = self.queue.try_pop() {
            match item {
                Some(job) => jobs.push(job),
                None => {
                    self.put(None);
                    break;
                }
            }
        }
        jobs
    }

    /// Python's `_initializer_failed`: the pool is broken, and every task
    /// still queued fails with [`BrokenThreadPool`].
    fn initializer_failed(&self) {
        // After the gate is closed: a task is either refused or queued
        // before this drain takes it. Under the state's lock, as
        // `shutdown`'s drain. Failed outside it: the futures' callbacks may
        // call `submit`.
        self.gate.close(BROKEN);
        let jobs = self.state.with(|_| self.drain());
        for job in jobs {
            job.fail_broken();
        }
    }

    /// A worker's whole life.
    fn work(self: &Arc<Self>) {
        if let Some(init) = &self.initializer {
            if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(init)) {
                // Python logs "Exception in initializer:" and the traceback.
                eprintln!("Exception in initializer:\n{}", crate::future::panic_text(&*payload));
                self.initializer_failed();
                return;
            }
        }
        loop {
            let item = match self.queue.try_pop() {
                Some(item) => item,
                None => {
                    // Only while the pool can still grow does a submit look
                    // for an idle worker (see `adjust_thread_count`); a full
                    // pool leaves the semaphore alone, so a worker going
                    // idle and a submit do not meet on its word.
                    // Relaxed: `started` only grows; a stale read releases
                    // a permit a submit then has no use for.
                    if self.started.load(Ordering::Relaxed) < self.max_workers {
                        self.idle.release();
                    }
                    self.queue.pop()
                }
            };
            match item {
                Some(job) => job.run(),
                None => {
                    // Wake the next worker too.
                    self.put(None);
                    return;
                }
            }
        }
    }

    /// Python's `_adjust_thread_count`: an idle worker will take the new
    /// task; otherwise start one, up to `max_workers`. Called by a submit
    /// inside the gate; takes the state's lock only to start a worker.
    fn adjust_thread_count(self: &Arc<Self>) {
        // Relaxed: only a hint that saves the lock once the pool is full;
        // the count only grows, and the lock decides. A full pool starts
        // nothing, so whether a worker is idle no longer matters.
        if self.started.load(Ordering::Relaxed) >= self.max_workers {
            return;
        }
        if self.idle.try_acquire() {
            return;
        }
        self.state.with(|state| {
            let n = state.threads.len();
            if n < self.max_workers {
                let shared = self.clone();
                let t = Thread::builder().name(format!("{}_{n}", self.prefix)).target(move || shared.work());
                t.start().expect("can't start new thread");
                state.threads.push(t);
                // Relaxed: pairs with the Relaxed hint above (no data).
                self.started.store(n + 1, Ordering::Relaxed);
                exit::watch(self);
            }
        });
    }
}

/// Python's `ThreadPoolExecutor._counter`: the N of `ThreadPoolExecutor-N`.
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A pool of worker threads that runs submitted tasks (Python's
/// `concurrent.futures.ThreadPoolExecutor`).
///
/// Workers are this library's [`Thread`]s, named as Python names them —
/// `ThreadPoolExecutor-0_0`, `ThreadPoolExecutor-0_1`, ... (or
/// `PREFIX_0`, ... with [`thread_name_prefix`](Builder::thread_name_prefix))
/// — and listed by `enumerate()`. A worker is started by `submit` when no
/// worker is idle, up to `max_workers`; idle workers are reused.
///
/// Dropping the executor is `shutdown(true, false)`, as leaving Python's
/// `with` block: the queued tasks run, then the workers stop and are
/// joined. If the executor is never dropped (a `static`, `mem::forget`),
/// the process still runs the queued tasks at exit and then ends, as
/// Python's `atexit` hook does.
///
/// # Examples
///
/// ```
/// use executor::ThreadPoolExecutor;
///
/// let ex = ThreadPoolExecutor::new(4);
/// let squares: Vec<u64> = ex.map(|x: u64| x * x, 1..=5).unwrap().map(Result::unwrap).collect();
/// assert_eq!(squares, [1, 4, 9, 16, 25]);
/// let f = ex.submit(|| thread_core::current_thread().name()).unwrap();
/// assert!(f.result().unwrap().starts_with("ThreadPoolExecutor-"));
/// ```
pub struct ThreadPoolExecutor {
    shared: Arc<Shared>,
}

/// Builds a [`ThreadPoolExecutor`] with Python's optional arguments:
/// `max_workers`, `thread_name_prefix`, `initializer`.
///
/// # Examples
///
/// ```
/// use executor::ThreadPoolExecutor;
///
/// let ex = ThreadPoolExecutor::builder()
///     .max_workers(2)
///     .thread_name_prefix("db")
///     .initializer(|| println!("connecting"))
///     .build();
/// let name = ex.submit(|| thread_core::current_thread().name()).unwrap();
/// assert_eq!(name.result().unwrap(), "db_0");
/// ```
#[must_use]
#[derive(Default)]
pub struct Builder {
    max_workers: Option<usize>,
    prefix: Option<String>,
    initializer: Option<Box<dyn Fn() + Send + Sync>>,
}

impl Builder {
    /// The most workers the pool starts. Default: Python's
    /// `min(32, cpus + 4)`.
    ///
    /// # Panics
    ///
    /// In [`build`](Builder::build), if it is 0 ("max_workers must be
    /// greater than 0", Python's `ValueError`).
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::builder().max_workers(3).build();
    /// assert_eq!(ex.max_workers(), 3);
    /// ```
    pub fn max_workers(mut self, n: usize) -> Builder {
        self.max_workers = Some(n);
        self
    }

    /// The workers' names are `PREFIX_0`, `PREFIX_1`, ... instead of
    /// `ThreadPoolExecutor-N_0`, ... An empty prefix means the default, as
    /// in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::builder().thread_name_prefix("io").build();
    /// let f = ex.submit(|| thread_core::current_thread().name()).unwrap();
    /// assert_eq!(f.result().unwrap(), "io_0");
    /// ```
    pub fn thread_name_prefix(mut self, prefix: impl Into<String>) -> Builder {
        self.prefix = Some(prefix.into());
        self
    }

    /// A function every worker runs once, first. If it panics, the pool is
    /// broken (Python's `BrokenThreadPool`): the message "Exception in
    /// initializer: ..." goes to stderr, the queued tasks fail with
    /// [`FutureError::Broken`], and `submit` is refused from then on.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    ///
    /// let inits = Arc::new(AtomicUsize::new(0));
    /// let i = inits.clone();
    /// let ex = executor::ThreadPoolExecutor::builder()
    ///     .max_workers(1)
    ///     .initializer(move || { i.fetch_add(1, Ordering::SeqCst); })
    ///     .build();
    /// ex.submit(|| ()).unwrap().result().unwrap();
    /// assert_eq!(inits.load(Ordering::SeqCst), 1);
    /// ```
    pub fn initializer(mut self, f: impl Fn() + Send + Sync + 'static) -> Builder {
        self.initializer = Some(Box::new(f));
        self
    }

    /// The executor; no worker starts until the first `submit`.
    ///
    /// # Panics
    ///
    /// If `max_workers` is 0: "max_workers must be greater than 0".
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::builder().build();
    /// assert!(ex.max_workers() >= 5);
    /// ```
    #[must_use]
    pub fn build(self) -> ThreadPoolExecutor {
        let max_workers = self
            .max_workers
            .unwrap_or_else(|| (std::thread::available_parallelism().map_or(1, |n| n.get()) + 4).min(32));
        assert!(max_workers > 0, "max_workers must be greater than 0");
        let prefix = match self.prefix {
            Some(p) if !p.is_empty() => p,
            // Relaxed: a counter; only its uniqueness matters.
            _ => format!("ThreadPoolExecutor-{}", COUNTER.fetch_add(1, Ordering::Relaxed)),
        };
        ThreadPoolExecutor {
            shared: Arc::new(Shared {
                queue: WorkQueue::new(),
                idle: Semaphore::new(0),
                state: Guarded::new(PoolState { threads: Vec::new() }),
                gate: Gate::new(),
                started: AtomicUsize::new(0),
                max_workers,
                prefix,
                initializer: self.initializer,
            }),
        }
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("max_workers", &self.max_workers)
            .field("thread_name_prefix", &self.prefix)
            .field("initializer", &self.initializer.is_some())
            .finish()
    }
}

impl ThreadPoolExecutor {
    /// An executor of at most `max_workers` threads (Python's
    /// `ThreadPoolExecutor(max_workers)`). No worker starts until the first
    /// `submit`.
    ///
    /// # Panics
    ///
    /// If `max_workers` is 0: "max_workers must be greater than 0".
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(2);
    /// assert_eq!(ex.submit(|| 1 + 1).unwrap().into_result(), Ok(2));
    /// ```
    #[must_use]
    pub fn new(max_workers: usize) -> ThreadPoolExecutor {
        Builder::default().max_workers(max_workers).build()
    }

    /// A [`Builder`] for `max_workers`, `thread_name_prefix` and
    /// `initializer`.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::builder().max_workers(1).build();
    /// assert_eq!(ex.max_workers(), 1);
    /// ```
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The most workers this executor starts.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(executor::ThreadPoolExecutor::new(7).max_workers(), 7);
    /// ```
    pub fn max_workers(&self) -> usize {
        self.shared.max_workers
    }

    /// The workers started so far (the started ones stay listed until the
    /// executor is shut down and joined).
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(4);
    /// assert!(ex.threads().is_empty()); // started on demand
    /// ex.submit(|| ()).unwrap().result().unwrap();
    /// assert_eq!(ex.threads().len(), 1);
    /// ```
    pub fn threads(&self) -> Vec<Thread> {
        self.shared.state.with(|s| s.threads.clone())
    }

    /// Schedules `f` to run on a worker and returns its [`Future`]
    /// (Python's `submit(fn)`). A panic in `f` becomes the future's error;
    /// the worker lives on.
    ///
    /// # Errors
    ///
    /// [`SubmitError::Shutdown`] after [`shutdown`](Self::shutdown)
    /// ("cannot schedule new futures after shutdown"),
    /// [`SubmitError::Broken`] once an initializer has panicked,
    /// [`SubmitError::InterpreterShutdown`] once the process is exiting.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(2);
    /// let f = ex.submit(|| "done").unwrap();
    /// assert_eq!(f.result(), Ok(&"done"));
    /// ```
    pub fn submit<T, F>(&self, f: F) -> Result<Future<T>, SubmitError>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let task = Arc::new(Inner::with_task(f));
        let job: Arc<dyn Job> = task.clone();
        let future = Future::adopt(task);
        let entered = self.shared.gate.enter().map_err(|closed| {
            if closed & BROKEN != 0 {
                SubmitError::Broken(BrokenThreadPool)
            } else {
                SubmitError::Shutdown
            }
        })?;
        if exit::started() {
            return Err(SubmitError::InterpreterShutdown);
        }
        self.shared.put(Some(job));
        self.shared.adjust_thread_count();
        drop(entered);
        Ok(future)
    }

    /// Runs `f` on every item of `items` and yields the results in the
    /// items' order (Python's `map(fn, iterable)`): every task is submitted
    /// at once, then the iterator waits for each result in turn and yields
    /// `Ok(value)` or the task's error ([`FutureError::Panicked`], ...).
    /// Dropping the iterator early cancels the tasks not yet started.
    ///
    /// # Errors
    ///
    /// As [`submit`](Self::submit), when the executor refuses the tasks.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(3);
    /// let lens: Vec<_> = ex.map(|s: &str| s.len(), ["a", "bbb", "cc"]).unwrap().collect();
    /// assert_eq!(lens, [Ok(1), Ok(3), Ok(2)]);
    /// ```
    pub fn map<I, T, F>(&self, f: F, items: I) -> Result<Map<T>, SubmitError>
    where
        I: IntoIterator,
        I::Item: Send + 'static,
        T: Send + Sync + 'static,
        F: Fn(I::Item) -> T + Send + Sync + 'static,
    {
        self.map_timeout(f, items, None)
    }

    /// [`map`](Self::map) with Python's `timeout`: counted from this call,
    /// a result not ready by then is yielded as
    /// `Err(FutureError::TimedOut)` and the iteration ends (the remaining
    /// tasks are cancelled, as Python's generator does when the
    /// `TimeoutError` leaves it). `None` waits for ever.
    ///
    /// # Errors
    ///
    /// As [`submit`](Self::submit).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use executor::FutureError;
    ///
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let gate = std::sync::Arc::new(sync_event::Event::new());
    /// let g = gate.clone();
    /// let mut it = ex
    ///     .map_timeout(move |x: u32| { g.wait(); x }, [1, 2], Some(Duration::from_millis(20)))
    ///     .unwrap();
    /// assert_eq!(it.next(), Some(Err(FutureError::TimedOut)));
    /// assert_eq!(it.next(), None);
    /// gate.set();
    /// ```
    pub fn map_timeout<I, T, F>(&self, f: F, items: I, timeout: Option<Duration>) -> Result<Map<T>, SubmitError>
    where
        I: IntoIterator,
        I::Item: Send + 'static,
        T: Send + Sync + 'static,
        F: Fn(I::Item) -> T + Send + Sync + 'static,
    {
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let f = Arc::new(f);
        let mut futures = VecDeque::new();
        for item in items {
            let f = f.clone();
            match self.submit(move || f(item)) {
                Ok(fut) => futures.push_back(fut),
                Err(e) => {
                    for fut in futures {
                        fut.cancel();
                    }
                    return Err(e);
                }
            }
        }
        Ok(Map { futures, deadline })
    }

    /// Stops the executor (Python's `shutdown(wait, cancel_futures)`):
    /// `submit` is refused from now on. With `cancel_futures`, the tasks
    /// still queued are cancelled; the others run. With `wait`, returns
    /// once every queued task has run and every worker has ended (joined);
    /// without, returns at once and the workers end by themselves. Calling
    /// it again does no harm.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(2);
    /// let f = ex.submit(|| 1).unwrap();
    /// ex.shutdown(true, false);
    /// assert!(f.done());
    /// assert!(ex.threads().iter().all(|t| !t.is_alive()));
    /// ```
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        // First, outside the lock (a submit in flight may take it to start
        // a worker): from here, every submit is refused or has queued.
        self.shared.gate.close(SHUTDOWN);
        let (threads, cancelled) = self.shared.state.with(|s| {
            let cancelled = if cancel_futures { self.shared.drain() } else { Vec::new() };
            // Python's sentinel: every worker passes it on to the next.
            self.shared.put(None);
            (s.threads.clone(), cancelled)
        });
        // Outside the lock: the futures' callbacks may call `submit` (and
        // be refused).
        for job in cancelled {
            job.cancel();
        }
        if wait {
            for t in threads {
                // A worker joining its own pool (a task that drops the
                // executor) must not wait for itself.
                if t != thread_core::current_thread() {
                    let _ = t.join();
                }
            }
        }
    }
}

impl Default for ThreadPoolExecutor {
    /// `ThreadPoolExecutor()`: `min(32, cpus + 4)` workers at most.
    fn default() -> ThreadPoolExecutor {
        Builder::default().build()
    }
}

impl Drop for ThreadPoolExecutor {
    /// `shutdown(true, false)`: the end of Python's `with` block.
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}

impl fmt::Debug for ThreadPoolExecutor {
    /// `ThreadPoolExecutor { prefix: "ThreadPoolExecutor-0", max_workers: 4,
    /// threads: 1, shutdown: false, broken: false }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threads = self.shared.state.with(|s| s.threads.len());
        let closed = self.shared.gate.closed();
        let (shutdown, broken) = (closed & SHUTDOWN != 0, closed & BROKEN != 0);
        f.debug_struct("ThreadPoolExecutor")
            .field("prefix", &self.shared.prefix)
            .field("max_workers", &self.shared.max_workers)
            .field("threads", &threads)
            .field("shutdown", &shutdown)
            .field("broken", &broken)
            .finish()
    }
}

/// The iterator of [`ThreadPoolExecutor::map`]: each task's result in the
/// order of the items. Dropping it cancels the tasks not yet started.
///
/// # Examples
///
/// ```
/// let ex = executor::ThreadPoolExecutor::new(2);
/// let mut it = ex.map(|x: i32| 10 / x, [5, 0, 2]).unwrap();
/// assert_eq!(it.next(), Some(Ok(2)));
/// assert!(it.next().unwrap().unwrap_err().to_string().contains("divide by zero"));
/// assert_eq!(it.next(), Some(Ok(5)));
/// ```
#[must_use = "dropping the iterator cancels the tasks not yet started"]
pub struct Map<T> {
    futures: VecDeque<Future<T>>,
    deadline: Option<Instant>,
}

impl<T> Iterator for Map<T> {
    type Item = Result<T, FutureError>;

    fn next(&mut self) -> Option<Self::Item> {
        let f = self.futures.pop_front()?;
        if let Some(d) = self.deadline {
            if let Err(e) = f.result_timeout(d.saturating_duration_since(Instant::now())) {
                if e == FutureError::TimedOut {
                    f.cancel();
                    for rest in self.futures.drain(..) {
                        rest.cancel();
                    }
                    return Some(Err(e));
                }
            }
        }
        Some(f.into_result())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.futures.len(), Some(self.futures.len()))
    }
}

impl<T> Drop for Map<T> {
    fn drop(&mut self) {
        for f in &self.futures {
            f.cancel();
        }
    }
}

impl<T> fmt::Debug for Map<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map").field("remaining", &self.futures.len()).finish()
    }
}

#[cfg(not(loom))]
/// Python's `_python_exit`: at process exit, every executor still alive
/// (never dropped) gets the stop sentinel, so its workers finish the queued
/// tasks and end, and the exit's wait for non-daemon threads returns.
mod exit {
    use super::Shared;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Weak};
    use sync_lock::Lock;

    static STARTED: AtomicBool = AtomicBool::new(false);
    static LIVE: LiveList = LiveList { lock: Lock::new(), list: std::cell::UnsafeCell::new(Vec::new()) };

    struct LiveList {
        lock: Lock,
        list: std::cell::UnsafeCell<Vec<Weak<Shared>>>,
    }

    // SAFETY: the list is only touched in `with`, under the lock.
    unsafe impl Sync for LiveList {}

    impl LiveList {
        fn with<R>(&self, f: impl FnOnce(&mut Vec<Weak<Shared>>) -> R) -> R {
            let _held = self.lock.lock();
            // SAFETY: the lock is held; every access goes through here.
            f(unsafe { &mut *self.list.get() })
        }
    }

    /// Whether the process has begun exiting.
    pub(super) fn started() -> bool {
        // Acquire: pairs with the Release store in `on_exit`.
        STARTED.load(Ordering::Acquire)
    }

    /// Remembers `shared` for the exit hook, installed with its first
    /// worker: after thread-core's own exit wait, so it runs before it
    /// (`atexit` runs the last registered first).
    pub(super) fn watch(shared: &Arc<Shared>) {
        static ONCE: std::sync::Once = std::sync::Once::new();
        LIVE.with(|l| {
            l.retain(|w| w.strong_count() > 0);
            if !l.iter().any(|w| std::ptr::eq(w.as_ptr(), Arc::as_ptr(shared))) {
                l.push(Arc::downgrade(shared));
            }
        });
        ONCE.call_once(|| {
            // SAFETY: `on_exit` is an `extern "C" fn()` that never unwinds.
            unsafe {
                libc::atexit(on_exit);
            }
        });
    }

    extern "C" fn on_exit() {
        let _ = std::panic::catch_unwind(|| {
            // Release: pairs with the Acquire load in `started`.
            STARTED.store(true, Ordering::Release);
            let live: Vec<Arc<Shared>> = LIVE.with(|l| l.iter().filter_map(Weak::upgrade).collect());
            for shared in live {
                shared.gate.close(super::SHUTDOWN);
                shared.put(None);
            }
        });
    }
}

/// The loom build runs no process exit: nothing to watch.
#[cfg(loom)]
mod exit {
    pub(super) fn started() -> bool {
        false
    }

    pub(super) fn watch(_shared: &std::sync::Arc<super::Shared>) {}
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn types_are_send_and_sync() {
        assert_send_sync::<ThreadPoolExecutor>();
        assert_send_sync::<Future<String>>();
    }
}
