//! `Future<T>`: the result of a task that may not have run yet.
//!
//! # State machine
//!
//! One `AtomicU8`: a phase and three flags.
//!
//! | bits | name        | meaning                                                  |
//! |------|-------------|----------------------------------------------------------|
//! | 0-1  | `PENDING`   | queued; [`Future::cancel`] may still win                 |
//! |      | `RUNNING`   | a worker took it (`PENDING → RUNNING`, a CAS)            |
//! |      | `CANCELLED` | `cancel` won (`PENDING → CANCELLED`, a CAS)              |
//! |      | `FINISHED`  | the outcome is written; it never changes again           |
//! | 2    | `HOOKS`     | a callback or a waiter was added (under the hooks' lock) |
//! | 3    | `SETTLING`  | set with the final phase when `HOOKS` was: `settled` follows the hooks |
//! | 4    | `WAITING`   | a thread may block on the `done` event                   |
//!
//! The worker's pick-up and `cancel` are both a compare-and-swap from
//! `PENDING`, so exactly one of them wins, and the winner owns the task's
//! function. The winner of `RUNNING` alone writes the outcome, before its
//! `Release` move to `FINISHED`; readers read the outcome only after an
//! `Acquire` load saw `FINISHED`.
//!
//! The final transition is one compare-and-swap that reads the flags:
//! with `HOOKS` it takes the hooks' lock and runs the callbacks and wakes
//! the waiters of [`wait`](crate::wait) and [`as_completed`](crate::as_completed)
//! (an adder sets `HOOKS` under that lock before it adds, and gives up if
//! the phase was already final: then it acts itself); with `WAITING` it sets
//! the `done` event (a blocking `result` sets `WAITING` first and returns at
//! once if the phase was already final). With neither — a result asked for
//! after the task finished — completing takes no lock and sets no event.
//! `settled` is set after the hooks ran, so that a callback's handle is gone
//! before `into_result` counts the handles.

use crate::cell::Guarded;
use crate::error::{BrokenThreadPool, FutureError};
use crate::wait::Waiter;
use std::fmt;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;
use sync_event::Event;
use thread_core::__private::atomic::{AtomicU8, AtomicUsize, Ordering};
use thread_core::__private::cell::UnsafeCell;
use thread_core::__private::wait::{WaitAs, WaitTarget};
use thread_core::__private::{Completion, Deadline};
use thread_core::dump::{Holder, Kind, Target};

/// The phase bits of the state word.
const PHASE: u8 = 0b011;
const PENDING: u8 = 0b000;
const RUNNING: u8 = 0b001;
const CANCELLED: u8 = 0b010;
const FINISHED: u8 = 0b011;
/// A callback or a waiter was added: the final transition must take the
/// hooks' lock. Without it (the common case) completing takes no lock.
const HOOKS: u8 = 0b100;
/// Set with the final phase when `HOOKS` was: callbacks or waiters are
/// being run, and `settled` is set after them (`into_result` waits for it).
const SETTLING: u8 = 0b1000;
/// Some thread may wait on the `done` event: the final transition sets it.
/// Without it (the result asked for after the task finished, the common
/// case) completing sets no event.
const WAITING: u8 = 0b1_0000;

/// What a finished task left.
pub(crate) enum Outcome<T> {
    Value(T),
    Panicked(String),
    Broken,
}

type Callback<T> = Box<dyn FnOnce(&Future<T>) + Send>;

/// What the hooks' lock guards.
struct Hooks<T> {
    callbacks: Vec<Callback<T>>,
    /// The waiters of `wait`/`as_completed`, each with this future's index
    /// in its list.
    waiters: Vec<(Arc<Waiter>, usize)>,
}

/// A task's function, called through a `dyn` pointer without a box of its
/// own: it lives in the future's allocation.
pub(crate) trait TaskFn<T>: Send {
    /// Calls the function, moving it out of `self`.
    ///
    /// # Safety
    ///
    /// At most once, and `self` must not be used (nor dropped) afterwards.
    unsafe fn call_taken(&mut self) -> T;
}

impl<T, F: FnOnce() -> T + Send> TaskFn<T> for F {
    unsafe fn call_taken(&mut self) -> T {
        // SAFETY: the caller calls this once and never touches `self` again,
        // so reading the function out moves it.
        (unsafe { std::ptr::read(self) })()
    }
}

/// The function of a future made without a task (the loom models'); never
/// called, as such a future is only cancelled or completed by hand.
#[cfg(all(test, loom))]
pub(crate) struct NoTask;

#[cfg(all(test, loom))]
impl<T> TaskFn<T> for NoTask {
    unsafe fn call_taken(&mut self) -> T {
        unreachable!("a future without a task is never run")
    }
}

/// The state shared by a future's handles and the task that completes it,
/// and the task's function itself (`F`; `dyn TaskFn<T>` seen from a
/// `Future<T>`): one allocation per task.
pub(crate) struct Inner<T, F: ?Sized = dyn TaskFn<T>> {
    /// The phase and `HOOKS`; see the module documentation.
    state: AtomicU8,
    /// Written once, by the thread that moved the phase to `RUNNING`,
    /// before the phase becomes `FINISHED`; taken by `into_result` only.
    outcome: UnsafeCell<Option<Outcome<T>>>,
    /// Boxed on first use: most futures never get a callback or a waiter,
    /// and a small allocation is a fast one.
    hooks: Guarded<Option<Box<Hooks<T>>>>,
    /// Set once the phase is final.
    done: Event,
    /// Set once the callbacks of the final transition have run (only when
    /// there were hooks: `SETTLING`).
    settled: Completion,
    /// How many `Future` handles exist (the queue's reference is not one).
    handles: AtomicUsize,
    /// The task's function: owned by whoever moves the phase out of
    /// `PENDING` (the worker calls it, `cancel` drops it), or dropped with
    /// the allocation if nobody ever did. A plain `UnsafeCell`: only that
    /// one thread touches it.
    task: core::cell::UnsafeCell<ManuallyDrop<F>>,
}

// SAFETY: the outcome cell is written by one thread before the `Release`
// swap to `FINISHED` and read only after an `Acquire` load of it (or taken
// by the last handle once everything else is done); the task cell is
// touched only by the thread that moved the phase out of `PENDING`; the
// rest is atomics and locked cells. `T: Send` because the value moves from
// the worker to the reader, `T: Sync` because every handle may read `&T`,
// `F: Send` because the function moves to the worker.
unsafe impl<T: Send + Sync, F: ?Sized + Send> Sync for Inner<T, F> {}
// SAFETY: as above; sending the state sends the value and the function.
unsafe impl<T: Send, F: ?Sized + Send> Send for Inner<T, F> {}

impl<T, F> Inner<T, F> {
    /// A pending future whose task is `task`.
    pub(crate) fn with_task(task: F) -> Inner<T, F> {
        Inner {
            state: AtomicU8::new(PENDING),
            outcome: UnsafeCell::new(None),
            hooks: Guarded::new(None),
            done: Event::new(),
            settled: Completion::new(),
            // The one `Future` that `Future::adopt` makes.
            handles: AtomicUsize::new(1),
            task: core::cell::UnsafeCell::new(ManuallyDrop::new(task)),
        }
    }
}

impl<T, F: ?Sized> Inner<T, F> {
    fn phase(&self) -> u8 {
        // Acquire: pairs with the Release swap to FINISHED in `finish`, so
        // the outcome is visible after FINISHED is seen.
        self.state.load(Ordering::Acquire) & PHASE
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(self.phase(), CANCELLED | FINISHED)
    }

    /// Python's `set_running_or_notify_cancel`: the worker's pick-up.
    /// Returns whether the task may run (false: it was cancelled); on
    /// `true` the caller owns the task's function.
    pub(crate) fn set_running(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        while s & PHASE == PENDING {
            // Relaxed: winning only gives the right to the function and to
            // write the outcome; nothing is read from the cancelling side. The
            // flags (HOOKS, WAITING) stay: the final transition reads them.
            match self.state.compare_exchange_weak(s, (s & !PHASE) | RUNNING, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(actual) => s = actual,
            }
        }
        false
    }

    /// Drops the task's function unrun.
    ///
    /// # Safety
    ///
    /// The caller moved the phase out of `PENDING` and has not called or
    /// dropped the function.
    unsafe fn drop_task(&self) {
        // SAFETY: per the contract, this thread owns the function now.
        unsafe { ManuallyDrop::drop(&mut *self.task.get()) }
    }

    /// Whether the future finished with a panic or a broken pool (what
    /// `FirstException` waits for); false while not finished.
    pub(crate) fn has_failed(&self) -> bool {
        self.phase() == FINISHED && self.read_outcome(|o| !matches!(o, Some(Outcome::Value(_))))
    }

    fn read_outcome<R>(&self, f: impl FnOnce(&Option<Outcome<T>>) -> R) -> R {
        // SAFETY: called only after an Acquire load saw FINISHED: the
        // writer is done, and the outcome is taken only by the last handle.
        self.outcome.with(|p| f(unsafe { &*p }))
    }

    /// Runs `add` on the hooks unless the future is done: `add` is called
    /// under the hooks' lock after `HOOKS` is set, so a final transition
    /// that follows takes the lock and finds what it added. Returns whether
    /// it was added (`false`: done already, the caller acts at once).
    fn add_hook(&self, add: impl FnOnce(&mut Hooks<T>)) -> bool {
        self.hooks.with(|h| {
            // Relaxed: the lock, taken by the final transition when it sees
            // HOOKS, orders what `add` writes; a done phase seen here is
            // read again with Acquire by whoever uses the outcome.
            let before = self.state.fetch_or(HOOKS, Ordering::Relaxed);
            if matches!(before & PHASE, CANCELLED | FINISHED) {
                false
            } else {
                add(h.get_or_insert_with(|| Box::new(Hooks { callbacks: Vec::new(), waiters: Vec::new() })));
                true
            }
        })
    }

    /// Adds a waiter, unless the future is done already (then the caller
    /// counts it done itself). Returns whether it was added.
    pub(crate) fn add_waiter(&self, waiter: &Arc<Waiter>, index: usize) -> bool {
        self.add_hook(|h| h.waiters.push((waiter.clone(), index)))
    }

    pub(crate) fn remove_waiter(&self, waiter: &Arc<Waiter>) {
        self.hooks.with(|h| {
            if let Some(h) = h {
                h.waiters.retain(|(w, _)| !Arc::ptr_eq(w, waiter));
            }
        });
    }

    /// Under the hooks' lock, after the final transition: wakes the waiters
    /// and takes the callbacks.
    fn notify_waiters(&self, h: &mut Option<Box<Hooks<T>>>) -> Vec<Callback<T>> {
        let Some(h) = h.take() else {
            return Vec::new();
        };
        let failed = self.has_failed();
        for (waiter, index) in h.waiters {
            waiter.notify(index, failed);
        }
        h.callbacks
    }
}

impl<T, F: ?Sized> Drop for Inner<T, F> {
    fn drop(&mut self) {
        // Nobody moved the phase out of PENDING (the task was never taken
        // from the queue): the function is still here.
        // Relaxed: `&mut self`, after the last reference's drop (which
        // synchronises with every other), so no other thread touches it.
        if self.state.load(Ordering::Relaxed) & PHASE == PENDING {
            // SAFETY: `&mut self`: no other thread can claim it now.
            unsafe { ManuallyDrop::drop(self.task.get_mut()) }
        }
    }
}

impl<T> Inner<T> {
    /// A pending future with no task (the loom models').
    #[cfg(all(test, loom))]
    pub(crate) fn pending() -> Arc<Inner<T>> {
        Arc::new(Inner::with_task(NoTask))
    }

    /// Writes the outcome and makes the phase `FINISHED`; only the thread
    /// whose `set_running` succeeded calls it, once.
    pub(crate) fn finish(self: &Arc<Self>, outcome: Outcome<T>) {
        // SAFETY: this thread won `PENDING → RUNNING`, so it is the only
        // writer, and no reader reads before seeing FINISHED, stored below.
        self.outcome.with_mut(|p| unsafe { *p = Some(outcome) });
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            let new = if s & HOOKS != 0 { FINISHED | SETTLING } else { FINISHED };
            // Release: publishes the outcome to the Acquire loads of the
            // state. Acquire: a HOOKS seen here is followed by taking the
            // lock anyway.
            match self.state.compare_exchange_weak(s, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => s = actual,
            }
        }
        let callbacks = if s & HOOKS != 0 { Some(self.hooks.with(|h| self.notify_waiters(h))) } else { None };
        self.settle(s & WAITING != 0, callbacks);
    }

    /// Python's `cancel()`.
    pub(crate) fn cancel(self: &Arc<Self>) -> bool {
        let won = self.hooks.with(|h| {
            let mut s = self.state.load(Ordering::Relaxed);
            loop {
                match s & PHASE {
                    PENDING => {}
                    phase => return Err(phase == CANCELLED),
                }
                // Relaxed: the cancelled phase carries no data; the lock
                // orders it with the hooks (HOOKS is dropped: they are
                // taken here).
                let new = if s & HOOKS != 0 { CANCELLED | SETTLING } else { CANCELLED };
                match self.state.compare_exchange_weak(s, new, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => return Ok((s, self.notify_waiters(h))),
                    Err(actual) => s = actual,
                }
            }
        });
        match won {
            Ok((before, callbacks)) => {
                // SAFETY: this thread moved the phase out of PENDING.
                unsafe { self.drop_task() };
                self.settle(before & WAITING != 0, (before & HOOKS != 0).then_some(callbacks));
                true
            }
            Err(already_cancelled) => already_cancelled,
        }
    }

    /// After the final transition: wakes `result` if it may be waiting,
    /// then, if there were hooks (`SETTLING`), runs the callbacks and wakes
    /// `into_result`.
    fn settle(self: &Arc<Self>, waiting: bool, callbacks: Option<Vec<Callback<T>>>) {
        if waiting {
            self.done.set();
        }
        let Some(callbacks) = callbacks else {
            return;
        };
        if !callbacks.is_empty() {
            let handle = Future::from_inner(self.clone());
            for cb in callbacks {
                run_callback(cb, &handle);
            }
        }
        self.settled.complete();
    }

    /// Blocks until the future is done or `timeout` passes (`None`: for
    /// ever); returns whether it is done.
    pub(crate) fn wait_done(&self, timeout: Option<Duration>) -> bool {
        if self.is_done() {
            return true;
        }
        // Announce the wait. Acquire: pairs with the final transition's
        // Release, as `phase` does.
        let before = self.state.fetch_or(WAITING, Ordering::AcqRel);
        if matches!(before & PHASE, CANCELLED | FINISHED) {
            return true;
        }
        match timeout {
            None => self.done.wait(),
            Some(t) => self.done.wait_timeout(t) || self.is_done(),
        }
    }
}

/// A future's `settled` flag as the thread dump shows a thread waiting for
/// it (in `into_result`, while the callbacks still run): an event, not set
/// until they have. The flag is a one-byte `Completion`, which has no dump
/// entry of its own.
struct Settling<'a>(&'a Completion);

impl WaitTarget for Settling<'_> {
    fn describe(&self) -> Target {
        Target::new(
            Kind::Event,
            self.0 as *const Completion as usize,
            None,
            Holder::Event { set: self.0.is_complete() },
        )
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Event, None)
    }
}

/// A task in the executor's queue, whatever its result type: the future's
/// own allocation, seen from the worker.
pub(crate) trait Job: Send + Sync {
    /// Runs the task (unless its future was cancelled); a panic is caught
    /// and becomes the outcome.
    fn run(self: Arc<Self>);
    /// Cancels its future (`shutdown(cancel_futures = true)`).
    fn cancel(self: Arc<Self>);
    /// Fails its future with `BrokenThreadPool` (unless it was cancelled).
    fn fail_broken(self: Arc<Self>);
}

impl<T: Send + Sync + 'static, F: FnOnce() -> T + Send + 'static> Job for Inner<T, F> {
    fn run(self: Arc<Self>) {
        if !self.set_running() {
            return;
        }
        // SAFETY: `set_running` gave this thread the function; it is called
        // once, here.
        let outcome = match catch_unwind(AssertUnwindSafe(|| unsafe { (*self.task.get()).call_taken() })) {
            Ok(v) => Outcome::Value(v),
            Err(payload) => Outcome::Panicked(panic_text(&*payload)),
        };
        let me: Arc<Inner<T>> = self;
        me.finish(outcome);
    }

    fn cancel(self: Arc<Self>) {
        let me: Arc<Inner<T>> = self;
        me.cancel();
    }

    fn fail_broken(self: Arc<Self>) {
        if self.set_running() {
            // SAFETY: `set_running` gave this thread the function.
            unsafe { self.drop_task() };
            let me: Arc<Inner<T>> = self;
            me.finish(Outcome::Broken);
        }
    }
}

/// Runs one done-callback; a panic in it is reported and the next one
/// runs, as Python logs "exception calling callback for ..." and goes on.
fn run_callback<T>(cb: Callback<T>, future: &Future<T>) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| cb(future))) {
        eprintln!("exception calling callback for {future:?}: {}", panic_text(&*payload));
    }
}

pub(crate) use thread_core::__private::payload_text as panic_text;

/// The result of a task submitted to a
/// [`ThreadPoolExecutor`](crate::ThreadPoolExecutor) (Python's
/// `concurrent.futures.Future`).
///
/// A `Future` is a cheap handle: clones share one task, as Python's future
/// objects are shared by reference. It is pending, then running, then
/// finished — or cancelled, if [`cancel`](Future::cancel) came before a
/// worker took it.
///
/// # How the value is handed out
///
/// Python's `result()` can be called any number of times, from any thread
/// and from done-callbacks. [`result`](Future::result) does the same by
/// lending the value: it returns `Result<&T, FutureError>`, with no
/// `Clone` bound on `T` and no copy. When you want the value itself,
/// [`into_result`](Future::into_result) moves it out of the last handle
/// (the common `submit(...).into_result()`); with other handles still alive
/// it returns [`FutureError::Shared`] rather than guess which one should
/// lose it — clone the borrowed value instead.
///
/// # Examples
///
/// ```
/// use executor::ThreadPoolExecutor;
///
/// let ex = ThreadPoolExecutor::new(2);
/// let f = ex.submit(|| 6 * 7).unwrap();
/// assert_eq!(f.result(), Ok(&42)); // borrows; may be asked again
/// assert!(f.done() && !f.cancelled());
/// assert_eq!(f.into_result(), Ok(42)); // the last handle gives the value
/// ```
pub struct Future<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Future<T> {
    /// The first handle of a new future (its count starts at one).
    pub(crate) fn adopt(inner: Arc<Inner<T>>) -> Future<T> {
        Future { inner }
    }

    pub(crate) fn from_inner(inner: Arc<Inner<T>>) -> Future<T> {
        // Relaxed: a count; `into_result` reads it after `settled`, whose
        // set/wait order every handle made before it.
        inner.handles.fetch_add(1, Ordering::Relaxed);
        Future { inner }
    }

    pub(crate) fn inner(&self) -> &Arc<Inner<T>> {
        &self.inner
    }

    /// Whether the two handles are of the same task.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let a = ex.submit(|| 1).unwrap();
    /// let b = ex.submit(|| 1).unwrap();
    /// assert!(a.ptr_eq(&a.clone()));
    /// assert!(!a.ptr_eq(&b));
    /// ```
    pub fn ptr_eq(&self, other: &Future<T>) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Attempts to cancel the task (Python's `cancel()`): succeeds only
    /// while it is pending — queued, not yet taken by a worker. Returns
    /// `true` if the future is cancelled (now or before), `false` if it is
    /// running or finished. Cancelling runs the done-callbacks and wakes
    /// every waiter; the task will never run.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use executor::{FutureError, ThreadPoolExecutor};
    /// use sync_event::Event;
    ///
    /// let ex = ThreadPoolExecutor::new(1);
    /// let gate = Arc::new(Event::new());
    /// let g = gate.clone();
    /// let busy = ex.submit(move || g.wait()).unwrap(); // keeps the one worker
    /// let queued = ex.submit(|| 1).unwrap();
    /// assert!(queued.cancel());
    /// assert!(queued.cancelled() && queued.done());
    /// assert_eq!(queued.result(), Err(FutureError::Cancelled));
    /// gate.set();
    /// assert_eq!(busy.result(), Ok(&true));
    /// assert!(!busy.cancel()); // finished: too late
    /// ```
    pub fn cancel(&self) -> bool {
        self.inner.cancel()
    }

    /// Whether the future was cancelled (Python's `cancelled()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let f = ex.submit(|| ()).unwrap();
    /// f.result().unwrap();
    /// assert!(!f.cancelled());
    /// ```
    pub fn cancelled(&self) -> bool {
        self.inner.phase() == CANCELLED
    }

    /// Whether a worker is running the task now (Python's `running()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_event::Event;
    ///
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let (started, gate) = (Arc::new(Event::new()), Arc::new(Event::new()));
    /// let (s, g) = (started.clone(), gate.clone());
    /// let f = ex.submit(move || { s.set(); g.wait(); }).unwrap();
    /// started.wait();
    /// assert!(f.running() && !f.done());
    /// gate.set();
    /// f.result().unwrap();
    /// assert!(!f.running());
    /// ```
    pub fn running(&self) -> bool {
        self.inner.phase() == RUNNING
    }

    /// Whether the future is finished or cancelled (Python's `done()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let f = ex.submit(|| 1).unwrap();
    /// f.result().unwrap();
    /// assert!(f.done());
    /// ```
    pub fn done(&self) -> bool {
        self.inner.is_done()
    }

    /// Blocks until the task has finished and lends its value (Python's
    /// `result()`): `Ok(&value)`, or the task's panic
    /// ([`FutureError::Panicked`] with its message), or
    /// [`FutureError::Cancelled`], or [`FutureError::Broken`]. May be called
    /// any number of times, from any handle.
    ///
    /// # Errors
    ///
    /// [`FutureError::Cancelled`], [`FutureError::Panicked`],
    /// [`FutureError::Broken`].
    ///
    /// # Examples
    ///
    /// ```
    /// use executor::{FutureError, ThreadPoolExecutor};
    ///
    /// let ex = ThreadPoolExecutor::new(2);
    /// let ok = ex.submit(|| String::from("spam")).unwrap();
    /// let bad = ex.submit(|| -> String { panic!("eggs") }).unwrap();
    /// assert_eq!(ok.result().map(String::as_str), Ok("spam"));
    /// assert_eq!(bad.result(), Err(FutureError::Panicked("eggs".into())));
    /// ```
    pub fn result(&self) -> Result<&T, FutureError> {
        self.inner.wait_done(None);
        self.read()
    }

    /// [`result`](Future::result) with a timeout (Python's
    /// `result(timeout)`): [`FutureError::TimedOut`] if the task has not
    /// finished when `timeout` passes (it goes on running).
    /// `Duration::ZERO` only looks.
    ///
    /// # Errors
    ///
    /// [`FutureError::TimedOut`], and those of [`result`](Future::result).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use executor::{FutureError, ThreadPoolExecutor};
    /// use sync_event::Event;
    ///
    /// let ex = ThreadPoolExecutor::new(1);
    /// let gate = Arc::new(Event::new());
    /// let g = gate.clone();
    /// let f = ex.submit(move || { g.wait(); 5 }).unwrap();
    /// assert_eq!(f.result_timeout(Duration::from_millis(10)), Err(FutureError::TimedOut));
    /// gate.set();
    /// assert_eq!(f.result_timeout(Duration::from_secs(60)), Ok(&5));
    /// ```
    pub fn result_timeout(&self, timeout: Duration) -> Result<&T, FutureError> {
        if !self.inner.wait_done(Some(timeout)) {
            return Err(FutureError::TimedOut);
        }
        self.read()
    }

    /// Blocks until the task has finished and moves its value out of this,
    /// the last handle; the way to get a `T` that is not `Clone`.
    ///
    /// # Errors
    ///
    /// Those of [`result`](Future::result), and [`FutureError::Shared`]
    /// when other handles of this future exist (clones, or those kept by
    /// [`wait`](crate::wait)'s sets): use [`result`](Future::result) there.
    ///
    /// # Examples
    ///
    /// ```
    /// use executor::{FutureError, ThreadPoolExecutor};
    ///
    /// let ex = ThreadPoolExecutor::new(1);
    /// let f = ex.submit(|| vec![1, 2, 3]).unwrap();
    /// let other = f.clone();
    /// assert_eq!(other.into_result(), Err(FutureError::Shared));
    /// assert_eq!(f.into_result(), Ok(vec![1, 2, 3]));
    /// ```
    pub fn into_result(self) -> Result<T, FutureError> {
        self.inner.wait_done(None);
        // Relaxed: SETTLING comes with the final phase, which `wait_done`
        // saw with Acquire.
        if self.inner.state.load(Ordering::Relaxed) & SETTLING != 0 {
            let settling = Settling(&self.inner.settled);
            let what = WaitAs::new(&settling, "wait", std::panic::Location::caller());
            self.inner.settled.wait_until_as(Deadline::NEVER, Some(what));
        }
        // Acquire: pairs with the Release decrement in `drop`, so a handle
        // dropped elsewhere has finished with the value.
        if self.inner.handles.load(Ordering::Acquire) != 1 {
            return Err(FutureError::Shared);
        }
        // The last handle goes without `Drop`'s decrement: no handle is
        // left to read the count (one atomic read-modify-write less per
        // result collected).
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never used again nor dropped: its `Arc` moves
        // out here, once, and is dropped at the end of this call.
        let inner = unsafe { std::ptr::read(&this.inner) };
        match inner.phase() {
            CANCELLED => Err(FutureError::Cancelled),
            // SAFETY: FINISHED was seen (Acquire), and this was the only
            // handle: nobody else can be reading the value, and no handle
            // can be made from it any more.
            _ => match inner.outcome.with_mut(|p| unsafe { (*p).take() }) {
                Some(Outcome::Value(v)) => Ok(v),
                Some(Outcome::Panicked(msg)) => Err(FutureError::Panicked(msg)),
                Some(Outcome::Broken) => Err(FutureError::Broken(BrokenThreadPool)),
                None => unreachable!("a settled future that is not cancelled has an outcome"),
            },
        }
    }

    /// The outcome of a done future.
    fn read(&self) -> Result<&T, FutureError> {
        match self.inner.phase() {
            CANCELLED => Err(FutureError::Cancelled),
            FINISHED => {
                // SAFETY: FINISHED was seen with Acquire; the outcome is never
                // written again while a handle (this one) exists, so the
                // borrow may live as long as `&self`.
                let outcome = self.inner.outcome.with(|p| unsafe { &*p });
                match outcome {
                    Some(Outcome::Value(v)) => Ok(v),
                    Some(Outcome::Panicked(msg)) => Err(FutureError::Panicked(msg.clone())),
                    Some(Outcome::Broken) => Err(FutureError::Broken(BrokenThreadPool)),
                    None => unreachable!("a finished future has an outcome"),
                }
            }
            _ => unreachable!("read() only after done"),
        }
    }

    /// Adds a function to call with this future once it is done —
    /// finished or cancelled (Python's `add_done_callback`). Callbacks run
    /// in the order added, once each: on the thread that completes the
    /// future (a worker, or the caller of `cancel`), or at once on the
    /// calling thread if the future is done already. A callback that panics
    /// is reported on stderr ("exception calling callback for ...") and the
    /// others still run.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::mpsc;
    /// use executor::ThreadPoolExecutor;
    ///
    /// let ex = ThreadPoolExecutor::new(1);
    /// let (tx, rx) = mpsc::channel();
    /// let f = ex.submit(|| 3).unwrap();
    /// let tx2 = tx.clone();
    /// f.add_done_callback(move |f| tx2.send(*f.result().unwrap()).unwrap());
    /// assert_eq!(rx.recv().unwrap(), 3);
    /// // Done already: runs at once, here.
    /// f.add_done_callback(move |f| tx.send(*f.result().unwrap() + 1).unwrap());
    /// assert_eq!(rx.try_recv().unwrap(), 4);
    /// ```
    pub fn add_done_callback(&self, f: impl FnOnce(&Future<T>) + Send + 'static) {
        let mut f = Some(f);
        let added = self.inner.add_hook(|h| {
            if let Some(f) = f.take() {
                h.callbacks.push(Box::new(f));
            }
        });
        if !added {
            if let Some(f) = f {
                run_callback(Box::new(f), self);
            }
        }
    }
}

impl<T> Clone for Future<T> {
    /// Another handle of the same task.
    fn clone(&self) -> Future<T> {
        Future::from_inner(self.inner.clone())
    }
}

impl<T> Drop for Future<T> {
    fn drop(&mut self) {
        // Release: pairs with the Acquire load in `into_result`.
        self.inner.handles.fetch_sub(1, Ordering::Release);
    }
}

impl<T> fmt::Debug for Future<T> {
    /// Python's repr without the address: `<Future state=pending>`,
    /// `<Future state=running>`, `<Future state=cancelled>`,
    /// `<Future state=finished returned i32>`, `<Future state=finished
    /// raised Panicked>`. Never blocks on the task.
    ///
    /// # Examples
    ///
    /// ```
    /// let ex = executor::ThreadPoolExecutor::new(1);
    /// let f = ex.submit(|| 1u8).unwrap();
    /// f.result().unwrap();
    /// assert_eq!(format!("{f:?}"), "<Future state=finished returned u8>");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.inner.phase() {
            PENDING => f.write_str("<Future state=pending>"),
            RUNNING => f.write_str("<Future state=running>"),
            CANCELLED => f.write_str("<Future state=cancelled>"),
            _ => match self.read() {
                Ok(_) => write!(f, "<Future state=finished returned {}>", short_type_name::<T>()),
                Err(FutureError::Broken(_)) => f.write_str("<Future state=finished raised BrokenThreadPool>"),
                Err(_) => f.write_str("<Future state=finished raised Panicked>"),
            },
        }
    }
}

/// `alloc::string::String` → `String`; generic arguments keep their paths.
fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let head = full.split('<').next().unwrap_or(full);
    match head.rfind("::") {
        Some(i) => &full[i + 2..],
        None => full,
    }
}
