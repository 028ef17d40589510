//! `Condition`: Python's `threading.Condition` on the parking layer.
//!
//! # Design
//!
//! Waiters park on the address of [`Condition::waiters`], the number of
//! threads parked there. A wait:
//!
//! 1. parks with a validation that counts itself in `waiters` and records
//!    the current `requeues` epoch — the thread is now queued on the
//!    condition;
//! 2. in the park's `before_sleep` (the thread is queued, the queue lock
//!    released) releases the lock fully — an `RLock` held `n` times is
//!    released once, its count saved (Python's `_release_save`). Because the
//!    waiter was queued before the lock was released, and a notifier must
//!    hold the lock, no notify can fall between the release and the sleep;
//! 3. returns from `park` only when notified or timed out: the only unparks
//!    on the condition's key come from `notify` / `notify_all`, and a thread
//!    `notify_all` moved onto the lock's queue was notified already; so there
//!    are no spurious wake-ups;
//! 4. re-acquires the lock (restoring an `RLock`'s count, Python's
//!    `_acquire_restore`), also on timeout, unless the lock's release handed
//!    it over directly.
//!
//! A notify that is to wake every waiter (`notify_all`, or `notify(n)` with
//! at most `n` waiting) does not wake them to fight for the lock the
//! notifier holds: it *requeues* them onto the lock's own queue (marking the
//! lock `PARKED`), so each release of the lock wakes one of them, already
//! notified — the design of `parking_lot`'s `Condvar`. In a ping-pong that
//! is one wake-up per hand-over instead of two. `notify(n)` with more than
//! `n` waiting unparks the `n` oldest, which then take the lock as the
//! notifier lets go of it. A requeued waiter whose deadline passes on the
//! lock's queue counts as notified (it was), which it tells from the
//! `requeues` epoch bumped under the queue lock.
//!
//! Between 2 and 3, a waiter spins a little (`spin_before_sleep`) in case a
//! notify and the lock's release come within microseconds, as in a
//! producer/consumer hand-off: woken while still running, it skips the
//! context switch and the idle CPU's wake-up that make up most of a condvar
//! round trip. The spin only delays the sleep; an unpark that comes before
//! the sleep makes `park` return at once, so the protocol above is the
//! same with or without it (and loom's models run it as one look).

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use sync_lock::{ConditionLock, Lock, RLock, ReleaseError};
use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::wait::{
    self, Recording, RequeueOp, SpinPolicy, UnparkResult, UnparkToken, WaitAs, WaitTarget, Wake,
};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

use crate::ConditionError;

/// The token a notify hands to the waiters it wakes; distinct from the
/// lock's hand-off token (`ConditionLock::is_handoff` is false for it).
const TOKEN_NOTIFIED: UnparkToken = UnparkToken(0);

/// A condition variable, Python's `threading.Condition`: threads wait on it
/// until another thread, holding the same lock, notifies them.
///
/// [`Condition::new`] owns a re-entrant lock ([`RLock`]), as Python's does;
/// [`with_lock`](Condition::with_lock) and
/// [`with_rlock`](Condition::with_rlock) share a lock between several
/// conditions.
///
/// Two ways to use it:
///
/// * Rust's: [`lock`](Condition::lock) returns a [`ConditionGuard`] (Python's
///   `with cond:`) whose `wait*` and `notify*` need no error handling, since
///   the guard proves the lock is held.
/// * Python's: [`acquire`](Condition::acquire) / [`release`](Condition::release)
///   and the `wait*` / `notify*` methods on the condition itself, which
///   return [`ConditionError`] when the calling thread does not hold the
///   lock.
///
/// Waiters are woken oldest first; [`notify(n)`](ConditionGuard::notify)
/// wakes exactly `min(n, waiting)`; a waiter returns only when notified or
/// timed out (no spurious wake-ups), and always holds the lock again when it
/// returns — fully: an `RLock` held `n` times is released `n` times while
/// waiting and re-acquired `n` times.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
/// use sync_condition::Condition;
///
/// let cond = Arc::new(Condition::new());
/// let ready = Arc::new(AtomicBool::new(false));
/// let (c2, r2) = (Arc::clone(&cond), Arc::clone(&ready));
/// let consumer = std::thread::spawn(move || {
///     let g = c2.lock();
///     g.wait_for(|| r2.load(Ordering::Relaxed));
/// });
/// {
///     let g = cond.lock();
///     ready.store(true, Ordering::Relaxed);
///     g.notify_all();
/// }
/// consumer.join().unwrap();
/// ```
pub struct Condition {
    /// The lock: its own `RLock` (`Condition::new`), or a shared `Lock` or
    /// `RLock`. Everything the condition needs of it goes through the sealed
    /// [`ConditionLock`] trait, so the wait and notify logic is written once.
    lock: Arc<dyn ConditionLock>,
    /// How many threads are parked on this condition; its address is their
    /// parking key.
    ///
    /// Changed only under the key's queue lock (+1 by a waiter's
    /// validation, −k by the notify that unparks or requeues k, −1 by a
    /// waiter timing out there), so it is exact there; a notify reads it
    /// outside that lock only to skip the parking layer when nobody waits,
    /// which is safe because a waiter counts itself before it releases the
    /// lock the notifier holds (the lock's Release/Acquire orders the two).
    waiters: AtomicUsize,
    /// Bumped (wrapping) under the queue lock by every requeue that moved
    /// threads onto the lock's queue: a waiter that times out sees whether
    /// it was moved (notified) since it was queued.
    requeues: AtomicUsize,
    /// Bumped (wrapping) under the queue lock by every notify that woke or
    /// moved anyone. Only a hint, for a waiter's spin before it sleeps (see
    /// `spin_before_sleep`); nothing's correctness depends on it.
    notifies: AtomicUsize,
    /// The name given by [`Condition::named`] or
    /// [`with_name`](Condition::with_name), for the thread dump.
    name: Option<&'static str>,
}

impl WaitTarget for Condition {
    fn describe(&self) -> Target {
        let lock = Box::new(self.lock.describe());
        Target::new(Kind::Condition, self as *const Condition as usize, self.name, Holder::Condition { lock })
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Condition, self.name)
    }
}

// Constructors and the Python-level lock operations.
impl Condition {
    /// A condition with its own re-entrant lock (Python's `Condition()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// let _inner = cond.lock(); // re-entrant
    /// assert!(!g.wait_timeout(std::time::Duration::from_millis(1)));
    /// ```
    #[must_use]
    pub fn new() -> Condition {
        Condition::from_lock(Arc::new(RLock::new()))
    }

    /// A condition on a shared plain [`Lock`] (Python's
    /// `Condition(Lock())`); several conditions may share it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_condition::Condition;
    /// use sync_lock::Lock;
    ///
    /// let lock = Arc::new(Lock::new());
    /// let not_empty = Condition::with_lock(Arc::clone(&lock));
    /// let not_full = Condition::with_lock(Arc::clone(&lock));
    /// let g = not_empty.lock();
    /// assert!(lock.locked());
    /// g.notify_all();
    /// drop(g);
    /// let _g = not_full.lock();
    /// ```
    #[must_use]
    pub fn with_lock(lock: Arc<Lock>) -> Condition {
        Condition::from_lock(lock)
    }

    /// A condition on a shared re-entrant [`RLock`] (Python's
    /// `Condition(RLock())`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_condition::Condition;
    /// use sync_lock::RLock;
    ///
    /// let lock = Arc::new(RLock::new());
    /// let cond = Condition::with_rlock(Arc::clone(&lock));
    /// let _g = cond.lock();
    /// assert!(lock.is_owned());
    /// ```
    #[must_use]
    pub fn with_rlock(lock: Arc<RLock>) -> Condition {
        Condition::from_lock(lock)
    }

    fn from_lock(lock: Arc<dyn ConditionLock>) -> Condition {
        Condition {
            lock,
            waiters: AtomicUsize::new(0),
            requeues: AtomicUsize::new(0),
            notifies: AtomicUsize::new(0),
            name: None,
        }
    }

    /// A condition with a new `RLock` (as [`Condition::new`]) and a name,
    /// which the thread dump shows (`threading::dump()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let c = sync_condition::Condition::named("queue not empty");
    /// assert_eq!(c.name(), Some("queue not empty"));
    /// ```
    #[must_use]
    pub fn named(name: &'static str) -> Condition {
        Condition::new().with_name(name)
    }

    /// This condition, named for the thread dump (for one made with
    /// [`with_lock`](Condition::with_lock) or
    /// [`with_rlock`](Condition::with_rlock)).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let c = sync_condition::Condition::with_lock(Arc::new(sync_lock::Lock::new())).with_name("ready");
    /// assert_eq!(c.name(), Some("ready"));
    /// ```
    #[must_use]
    pub fn with_name(mut self, name: &'static str) -> Condition {
        self.name = Some(name);
        self
    }

    /// The condition's name, if it was given one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_condition::Condition::new().name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// Acquires the underlying lock, blocking (Python's `cond.acquire()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// cond.acquire();
    /// cond.notify(1).unwrap();
    /// cond.release().unwrap();
    /// ```
    #[inline]
    #[track_caller]
    pub fn acquire(&self) {
        self.lock.acquire(Location::caller())
    }

    /// Acquires the underlying lock if it is free (or, for an `RLock`,
    /// already the caller's); never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// assert!(cond.try_acquire());
    /// cond.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        self.lock.try_acquire()
    }

    /// Acquires the underlying lock within `timeout`; returns whether it did.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// assert!(cond.acquire_timeout(Duration::from_millis(10)));
    /// cond.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.lock.acquire_timeout(timeout, Location::caller())
    }

    /// Releases the underlying lock (Python's `cond.release()`).
    ///
    /// # Errors
    ///
    /// The underlying lock's [`ReleaseError`]: "cannot release un-acquired
    /// lock" for an `RLock` the caller does not own, "release unlocked lock"
    /// for a plain `Lock` that is not held.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// assert_eq!(cond.release().unwrap_err().to_string(), "cannot release un-acquired lock");
    /// ```
    #[inline]
    #[track_caller]
    pub fn release(&self) -> Result<(), ReleaseError> {
        self.lock.release(Location::caller())
    }

    /// Acquires the underlying lock and returns a guard that releases it
    /// when dropped (Python's `with cond:`); waits and notifies go through
    /// the guard.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// g.notify_all();
    /// ```
    #[inline]
    #[track_caller]
    pub fn lock(&self) -> ConditionGuard<'_> {
        self.acquire();
        ConditionGuard { cond: self, site: Location::caller(), _not_send: PhantomData }
    }

    /// Acquires the underlying lock if it is free and returns its guard.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// assert!(cond.try_lock().is_some());
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock(&self) -> Option<ConditionGuard<'_>> {
        self.try_acquire().then(|| ConditionGuard { cond: self, site: Location::caller(), _not_send: PhantomData })
    }

    /// Acquires the underlying lock within `timeout` and returns its guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// assert!(cond.try_lock_for(Duration::from_millis(10)).is_some());
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock_for(&self, timeout: Duration) -> Option<ConditionGuard<'_>> {
        self.acquire_timeout(timeout).then(|| ConditionGuard {
            cond: self,
            site: Location::caller(),
            _not_send: PhantomData,
        })
    }

    /// Whether the calling thread may wait or notify: it owns the `RLock`,
    /// or — for a plain `Lock`, as in Python — the lock is held at all.
    fn is_owned(&self) -> bool {
        self.lock.is_held()
    }
}

// Python-style wait and notify on the condition itself.
impl Condition {
    fn check(&self, err: ConditionError) -> Result<(), ConditionError> {
        if self.is_owned() {
            Ok(())
        } else {
            Err(err)
        }
    }

    /// Waits until notified (Python's `cond.wait()`), releasing the lock
    /// meanwhile and holding it again on return; returns `Ok(true)`.
    ///
    /// # Errors
    ///
    /// [`ConditionError::WaitUnacquired`] ("cannot wait on un-acquired
    /// lock") if the calling thread does not hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// assert_eq!(cond.wait().unwrap_err().to_string(), "cannot wait on un-acquired lock");
    /// ```
    #[track_caller]
    pub fn wait(&self) -> Result<bool, ConditionError> {
        self.check(ConditionError::WaitUnacquired)?;
        Ok(self.wait_until(Deadline::NEVER, "wait", Location::caller()))
    }

    /// Waits until notified or `timeout` has passed (Python's
    /// `cond.wait(t)`); `Ok(false)` if it timed out. The lock is held again
    /// on return either way.
    ///
    /// # Errors
    ///
    /// [`ConditionError::WaitUnacquired`] if the calling thread does not
    /// hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// cond.acquire();
    /// assert_eq!(cond.wait_timeout(Duration::from_millis(5)), Ok(false));
    /// cond.release().unwrap();
    /// ```
    #[track_caller]
    pub fn wait_timeout(&self, timeout: Duration) -> Result<bool, ConditionError> {
        self.check(ConditionError::WaitUnacquired)?;
        Ok(self.wait_until(Deadline::after(timeout), "wait", Location::caller()))
    }

    /// Waits until `predicate()` is true (Python's `cond.wait_for(pred)`);
    /// returns its last value (always `true`).
    ///
    /// # Errors
    ///
    /// [`ConditionError::WaitUnacquired`] if the calling thread does not
    /// hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// cond.acquire();
    /// assert_eq!(cond.wait_for(|| true), Ok(true));
    /// cond.release().unwrap();
    /// ```
    #[track_caller]
    pub fn wait_for(&self, predicate: impl FnMut() -> bool) -> Result<bool, ConditionError> {
        self.check(ConditionError::WaitUnacquired)?;
        Ok(self.wait_for_until(predicate, Deadline::NEVER, Location::caller()))
    }

    /// Waits until `predicate()` is true or `timeout` has passed (Python's
    /// `cond.wait_for(pred, t)`); returns the predicate's last value.
    ///
    /// # Errors
    ///
    /// [`ConditionError::WaitUnacquired`] if the calling thread does not
    /// hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// cond.acquire();
    /// assert_eq!(cond.wait_for_timeout(|| false, Duration::from_millis(5)), Ok(false));
    /// cond.release().unwrap();
    /// ```
    #[track_caller]
    pub fn wait_for_timeout(&self, predicate: impl FnMut() -> bool, timeout: Duration) -> Result<bool, ConditionError> {
        self.check(ConditionError::WaitUnacquired)?;
        Ok(self.wait_for_until(predicate, Deadline::after(timeout), Location::caller()))
    }

    /// Wakes up to `n` waiters, oldest first (Python's `cond.notify(n)`).
    ///
    /// # Errors
    ///
    /// [`ConditionError::NotifyUnacquired`] ("cannot notify on un-acquired
    /// lock") if the calling thread does not hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// assert_eq!(cond.notify(1).unwrap_err().to_string(), "cannot notify on un-acquired lock");
    /// ```
    pub fn notify(&self, n: usize) -> Result<(), ConditionError> {
        self.check(ConditionError::NotifyUnacquired)?;
        self.notify_n(n);
        Ok(())
    }

    /// Wakes the oldest waiter, if any: `notify(1)`, under the name std's
    /// and parking_lot's condition variables give it.
    ///
    /// # Errors
    ///
    /// [`ConditionError::NotifyUnacquired`] ("cannot notify on un-acquired
    /// lock") if the calling thread does not hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    ///
    /// let cond = Arc::new(sync_condition::Condition::new());
    /// let ready = Arc::new(AtomicBool::new(false));
    /// let (c, r) = (cond.clone(), ready.clone());
    /// let waiter = std::thread::spawn(move || {
    ///     c.acquire();
    ///     let seen = c.wait_for_timeout(|| r.load(Ordering::SeqCst), Duration::from_secs(60));
    ///     c.release().unwrap();
    ///     seen
    /// });
    /// cond.acquire();
    /// ready.store(true, Ordering::SeqCst);
    /// cond.notify_one().unwrap();
    /// cond.release().unwrap();
    /// assert_eq!(waiter.join().unwrap(), Ok(true));
    /// assert!(cond.notify_one().is_err()); // not held any more
    /// ```
    pub fn notify_one(&self) -> Result<(), ConditionError> {
        self.notify(1)
    }

    /// Wakes every waiter (Python's `cond.notify_all()`).
    ///
    /// # Errors
    ///
    /// [`ConditionError::NotifyUnacquired`] if the calling thread does not
    /// hold the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// cond.acquire();
    /// cond.notify_all().unwrap();
    /// cond.release().unwrap();
    /// assert!(cond.notify_all().is_err());
    /// ```
    pub fn notify_all(&self) -> Result<(), ConditionError> {
        self.check(ConditionError::NotifyUnacquired)?;
        self.notify_all_waiters();
        Ok(())
    }
}

// The protocol.
impl Condition {
    /// Waits (the caller holds the lock) until notified or `deadline`;
    /// returns whether it was notified. Holds the lock again on return.
    ///
    /// It parks through the wait path's `park_queued` rather than a
    /// `Waiter`: the waiters are counted in `waiters` (a notify must know how
    /// many there are, and a requeue moves them all), not announced by a bit.
    fn wait_until(&self, deadline: Deadline, op: &'static str, site: &'static Location<'static>) -> bool {
        let lock = &*self.lock;
        let saved = Cell::new(0usize);
        let epoch = Cell::new(0usize);
        let notifies = Cell::new(0usize);
        let requeued = Cell::new(false);
        let on_queue = || {
            // Under the condition's queue lock: we are being queued.
            self.waiters.fetch_add(1, Ordering::Relaxed);
            epoch.set(self.requeues.load(Ordering::Relaxed));
            notifies.set(self.notifies.load(Ordering::Relaxed));
            true
        };
        let before_sleep = || {
            // Queued: a notify from now on finds us. Let the lock go (its
            // Release publishes our writes, and our count, to the
            // notifier that takes it next).
            // SAFETY: the caller checked that this thread holds the lock, and
            // `restore_after_wait` below gets the saved value.
            saved.set(unsafe { lock.release_for_wait(site) });
            self.spin_before_sleep(notifies.get(), deadline);
        };
        let timed_out = |_was_last: bool| {
            // Under the queue lock of the key we were parked on. If a
            // requeue moved us onto the lock's queue since we were queued
            // (the epoch moved on while we were still queued: a requeue
            // moves every waiter), we were notified and no longer counted.
            // The lock's PARKED bit may then be left stale, which is
            // harmless.
            if self.requeues.load(Ordering::Relaxed) != epoch.get() {
                requeued.set(true);
            } else {
                self.waiters.fetch_sub(1, Ordering::Relaxed);
            }
        };
        // Shown in the thread dump until the wake-up (or the timeout).
        // SAFETY: `recording` is a local dropped before this call returns,
        // while `self` is still borrowed (it is never leaked).
        let recording = unsafe { Recording::new(WaitAs::new(self, op, site), deadline) };
        // SAFETY: `on_queue` and `timed_out` only touch the condition's
        // atomic words and neither panic nor call the wait path;
        // `before_sleep` runs outside the queue lock, where releasing a lock
        // (which may wake one of its waiters) and spinning are allowed, as
        // parking_lot's own Condvar does, and it never parks on `waiters`.
        let r = unsafe { wait::park_queued(&self.waiters, on_queue, before_sleep, timed_out, deadline) };
        // The wait on the condition is over; taking the lock again is a
        // wait of its own (`wait (re-acquire)`).
        drop(recording);
        let (notified, handed_off) = match r {
            Wake::Woken(token) => (true, lock.is_handoff(token.0)),
            Wake::TimedOut => (requeued.get(), false),
            // `on_queue` always queues; treat it as an immediate timeout
            // (the lock was not released).
            Wake::Changed | Wake::Raced => return false,
        };
        // SAFETY: `saved` is what this thread's `release_for_wait` returned;
        // `handed_off` comes from `is_handoff` of our wake-up token.
        unsafe { lock.restore_after_wait(saved.get(), handed_off, site) };
        notified
    }

    /// Called in a waiter's `before_sleep` (it is queued and has let the
    /// lock go): spins while a notify and the lock's release that hands
    /// the lock on may come within microseconds, so that the waiter is
    /// still running when it is woken. Waking a running thread costs the
    /// waker a system call and the woken thread nothing; waking a sleeping
    /// one costs a context switch and, on an idle machine, the CPU's exit
    /// from its idle state (microseconds, which is what a condvar
    /// ping-pong's round trip is made of).
    ///
    /// It stops once a notify has come (`notifies` moved on from `seen`)
    /// and then either the lock is free (the notifier let it go, and its
    /// release woke the first waiter on the lock's queue, normally this
    /// one) or the lock is held with `PARKED` clear, which normally means
    /// nobody is queued on it (this waiter, requeued there, has been taken
    /// off — a fair release handed it the lock — or was woken directly; a
    /// release between its swap and its wake-up can show the same). Then `park` returns at
    /// once (an unpark before the sleep is not lost) — or, if another
    /// thread was woken instead, sleeps as it would have. Only the time
    /// spent is at stake, never correctness.
    ///
    /// The spin is `thread_core::spin`'s adaptive one, so a waiter whose
    /// notifies come late soon stops spinning; it ends at `deadline`; and
    /// it counts every waiter of this condition as a spinner, so that with
    /// more waiters than spare CPUs (a pool of idle workers) none spins.
    fn spin_before_sleep(&self, seen: usize, deadline: Deadline) {
        let spinners = self.waiters.load(Ordering::Relaxed).max(1);
        let mut notified = false;
        wait::spin(SpinPolicy::CONDITION, spinners, deadline, || {
            // Acquire: pairs with the notify's Release bump, so a requeue's
            // PARKED (set before the bump) is seen with it.
            notified = notified || self.notifies.load(Ordering::Acquire) != seen;
            notified && !self.lock.is_locked_with_waiters()
        });
    }

    fn wait_for_until(
        &self,
        mut predicate: impl FnMut() -> bool,
        deadline: Deadline,
        site: &'static Location<'static>,
    ) -> bool {
        loop {
            if predicate() {
                return true;
            }
            if deadline.has_passed() {
                return false;
            }
            self.wait_until(deadline, "wait_for", site);
        }
    }

    /// Wakes up to `n` of the oldest waiters.
    fn notify_n(&self, n: usize) {
        if n == 0 || self.waiters.load(Ordering::Relaxed) == 0 {
            return;
        }
        // Everyone waiting is to be woken: requeue them onto the lock.
        if self.requeue(n) {
            return;
        }
        let callback = |r: UnparkResult| {
            self.waiters.fetch_sub(r.unparked_threads, Ordering::Relaxed);
            if r.unparked_threads != 0 {
                // Release: see `spin_before_sleep`.
                self.notifies.fetch_add(1, Ordering::Release);
            }
            TOKEN_NOTIFIED
        };
        // SAFETY: the callback only counts and touches the atomic words; it
        // neither panics nor calls the wait path.
        unsafe {
            wait::wake_n(&self.waiters, n, callback);
        }
    }

    /// Wakes every waiter by moving them onto the lock's queue.
    fn notify_all_waiters(&self) {
        if self.waiters.load(Ordering::Relaxed) != 0 {
            self.requeue(usize::MAX);
        }
    }

    /// If at most `n` threads wait, notifies them all by moving them onto
    /// the lock's queue (or, if the lock is free, waking the first to take
    /// it and moving the rest) and returns true; returns false, doing
    /// nothing, if more than `n` wait.
    fn requeue(&self, n: usize) -> bool {
        let lock = &*self.lock;
        let mut too_many = false;
        let validate = || {
            // Under both queue locks: `waiters` is exact.
            let waiting = self.waiters.load(Ordering::Relaxed);
            if waiting == 0 {
                RequeueOp::Abort
            } else if waiting > n {
                too_many = true;
                RequeueOp::Abort
            } else if lock.mark_waiters_if_locked() {
                // The lock is held (normally by the notifier): every waiter
                // queues on it and each release wakes one.
                RequeueOp::RequeueAll
            } else {
                // The lock is free: wake one to take it, queue the rest.
                RequeueOp::UnparkOneRequeueRest
            }
        };
        let callback = |op: RequeueOp, r: UnparkResult| {
            if op == RequeueOp::UnparkOneRequeueRest && r.requeued_threads != 0 {
                lock.mark_waiters();
            }
            self.waiters.fetch_sub(r.unparked_threads + r.requeued_threads, Ordering::Relaxed);
            if r.requeued_threads != 0 {
                self.requeues.fetch_add(1, Ordering::Relaxed);
            }
            if r.unparked_threads + r.requeued_threads != 0 {
                // Release: publishes the PARKED that `validate` set.
                self.notifies.fetch_add(1, Ordering::Release);
            }
            TOKEN_NOTIFIED
        };
        // SAFETY: the target is the lock's queue, whose waiters take the
        // condition's tokens as "compete for the lock"; the callbacks only
        // touch atomic words and neither panic nor call the wait path.
        unsafe {
            wait::requeue(&self.waiters, lock.queue_key(), validate, callback);
        }
        !too_many
    }
}

impl Default for Condition {
    fn default() -> Self {
        Condition::new()
    }
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("lock", &self.lock)
            .field("waiters", &self.waiters.load(Ordering::Relaxed))
            .finish()
    }
}

/// Holds a [`Condition`]'s lock (one level of it, for an `RLock`) and
/// releases it when dropped, also while unwinding; waits and notifies go
/// through it. Made by [`Condition::lock`], [`Condition::try_lock`],
/// [`Condition::try_lock_for`]. Not `Send`: an `RLock` must be released by
/// its owner.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// let cond = sync_condition::Condition::new();
/// let g = cond.lock();
/// assert!(!g.wait_timeout(Duration::from_millis(1)));
/// g.notify(1);
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct ConditionGuard<'a> {
    cond: &'a Condition,
    /// Where the guard was made: its release's site in the profile.
    site: &'static Location<'static>,
    _not_send: PhantomData<*const ()>,
}

impl ConditionGuard<'_> {
    /// Panics if the lock was released behind the guard's back (by manual
    /// `release` calls), as Python's `wait` raises then.
    #[inline]
    fn assert_held(&self) {
        if let Err(e) = self.cond.check(ConditionError::WaitUnacquired) {
            panic!("{e}");
        }
    }

    /// Waits until notified (Python's `cond.wait()` inside `with cond:`),
    /// releasing the lock fully meanwhile and holding it again on return.
    ///
    /// # Panics
    ///
    /// With "cannot wait on un-acquired lock" if the calling thread released
    /// the lock by hand while holding this guard (Python raises then).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// let cond = Arc::new(sync_condition::Condition::new());
    /// let g = cond.lock();
    /// let c2 = Arc::clone(&cond);
    /// let t = std::thread::spawn(move || c2.lock().notify(1));
    /// g.wait();
    /// # drop(g);
    /// t.join().unwrap();
    /// ```
    #[track_caller]
    pub fn wait(&self) {
        self.assert_held();
        self.cond.wait_until(Deadline::NEVER, "wait", Location::caller());
    }

    /// Waits until notified or `timeout` has passed; false if it timed out.
    /// The lock is held again on return either way.
    ///
    /// # Panics
    ///
    /// With "cannot wait on un-acquired lock" if the calling thread released
    /// the lock by hand while holding this guard (Python raises then).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// assert!(!g.wait_timeout(Duration::from_millis(5)));
    /// ```
    #[must_use = "`false` means it timed out without a notify"]
    #[track_caller]
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.assert_held();
        self.cond.wait_until(Deadline::after(timeout), "wait", Location::caller())
    }

    /// Waits until `predicate()` is true (checking it first, then after each
    /// wake-up), as Python's `wait_for(pred)`.
    ///
    /// # Panics
    ///
    /// With "cannot wait on un-acquired lock" if the calling thread released
    /// the lock by hand while holding this guard (Python raises then).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// g.wait_for(|| true);
    /// ```
    #[track_caller]
    pub fn wait_for(&self, predicate: impl FnMut() -> bool) {
        self.assert_held();
        self.cond.wait_for_until(predicate, Deadline::NEVER, Location::caller());
    }

    /// Waits until `predicate()` is true or `timeout` has passed; returns
    /// the predicate's last value (Python's `wait_for(pred, t)`).
    ///
    /// # Panics
    ///
    /// With "cannot wait on un-acquired lock" if the calling thread released
    /// the lock by hand while holding this guard (Python raises then).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// assert!(!g.wait_for_timeout(|| false, Duration::from_millis(5)));
    /// ```
    #[must_use = "`false` means the predicate still did not hold"]
    #[track_caller]
    pub fn wait_for_timeout(&self, predicate: impl FnMut() -> bool, timeout: Duration) -> bool {
        self.assert_held();
        self.cond.wait_for_until(predicate, Deadline::after(timeout), Location::caller())
    }

    /// Wakes up to `n` waiters, oldest first; exactly `n` if at least `n`
    /// wait. They run once this thread lets go of the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// cond.lock().notify(2);
    /// ```
    pub fn notify(&self, n: usize) {
        self.cond.notify_n(n);
    }

    /// Wakes the oldest waiter, if any: `notify(1)`, under the name std's
    /// and parking_lot's condition variables give it. It runs once this
    /// thread lets go of the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use std::time::Duration;
    ///
    /// let cond = Arc::new(sync_condition::Condition::new());
    /// let items = Arc::new(std::sync::Mutex::new(Vec::new()));
    /// let (c, it) = (cond.clone(), items.clone());
    /// let consumer = std::thread::spawn(move || {
    ///     let g = c.lock();
    ///     assert!(g.wait_for_timeout(|| !it.lock().unwrap().is_empty(), Duration::from_secs(60)));
    ///     it.lock().unwrap().pop()
    /// });
    /// let g = cond.lock();
    /// items.lock().unwrap().push("item");
    /// g.notify_one();
    /// drop(g);
    /// assert_eq!(consumer.join().unwrap(), Some("item"));
    /// ```
    pub fn notify_one(&self) {
        self.notify(1);
    }

    /// Wakes every waiter; they take the lock one after another as it is
    /// released (no thundering herd).
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// cond.lock().notify_all();
    /// ```
    pub fn notify_all(&self) {
        self.cond.notify_all_waiters();
    }

    /// The condition this guard belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// let cond = sync_condition::Condition::new();
    /// let g = cond.lock();
    /// assert!(std::ptr::eq(g.condition(), &cond));
    /// ```
    pub fn condition(&self) -> &Condition {
        self.cond
    }
}

impl Drop for ConditionGuard<'_> {
    fn drop(&mut self) {
        // The guard holds the level it releases; an `Err` could only come
        // from unbalanced manual releases, which leave nothing to undo.
        let _ = self.cond.lock.release(self.site);
    }
}

impl fmt::Debug for ConditionGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConditionGuard").field("condition", self.cond).finish()
    }
}
