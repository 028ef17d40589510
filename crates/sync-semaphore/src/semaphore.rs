//! `Semaphore`: a counter of permits in one atomic word.

use std::fmt;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::wait::{self, SpinPolicy, UnparkToken, WaitAs, WaitTarget, Waiter, Wake};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

/// Some thread may be parked on the word's address.
const PARKED: usize = 0b1;
/// One permit (the value lives in bits 1 and up).
const ONE: usize = 0b10;
/// The largest value a semaphore can hold.
pub(crate) const MAX_VALUE: usize = usize::MAX >> 1;

/// A counter of permits (Python's `threading.Semaphore`): `acquire` takes
/// one, blocking while there is none; `release` gives one back and wakes a
/// waiter.
///
/// An unbounded semaphore accepts more releases than acquires (each adds a
/// permit, as in Python); see [`BoundedSemaphore`](crate::BoundedSemaphore)
/// for one that refuses them. Waiters are woken oldest first, but a thread
/// arriving while a woken waiter is being scheduled may take the permit
/// first (the woken waiter then waits again): no permit is ever lost, and
/// the value never goes below zero.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_semaphore::Semaphore;
///
/// let pool = Arc::new(Semaphore::new(2));
/// let workers: Vec<_> = (0..4)
///     .map(|_| {
///         let pool = pool.clone();
///         std::thread::spawn(move || {
///             let _permit = pool.permit(); // at most 2 threads in here
///         })
///     })
///     .collect();
/// for w in workers {
///     w.join().unwrap();
/// }
/// assert_eq!(pool.value(), 2);
/// ```
pub struct Semaphore {
    /// The whole state:
    ///
    /// | bits | name     | meaning                                           |
    /// |------|----------|---------------------------------------------------|
    /// | 0    | `PARKED` | some thread may be parked on this word's address  |
    /// | 1..  | value    | permits available (`ONE` per permit)              |
    ///
    /// A waiter parks only with the validation "value 0, `PARKED` set", so
    /// a `release` that adds permits either makes the validation fail or
    /// sees `PARKED` and wakes waiters. The last waiter to leave the queue
    /// (woken or timed out) clears `PARKED` under the queue lock.
    state: AtomicUsize,
    /// The name given by [`Semaphore::named`], for the thread dump.
    name: Option<&'static str>,
}

impl WaitTarget for Semaphore {
    fn describe(&self) -> Target {
        self.describe_as(Kind::Semaphore, self as *const Semaphore as usize)
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Semaphore, self.name)
    }
}

impl Semaphore {
    /// A semaphore holding `value` permits (Python's `Semaphore(value)`).
    ///
    /// # Panics
    ///
    /// If `value` exceeds `usize::MAX / 2` ("semaphore initial value too
    /// large").
    ///
    /// # Examples
    ///
    /// ```
    /// static POOL: sync_semaphore::Semaphore = sync_semaphore::Semaphore::new(3);
    /// assert_eq!(POOL.value(), 3);
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    pub const fn new(value: usize) -> Semaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        Semaphore { state: AtomicUsize::new(value * ONE), name: None }
    }

    /// A semaphore holding `value` permits (the loom build has no `const`
    /// atomics).
    #[cfg(loom)]
    #[must_use]
    pub fn new(value: usize) -> Semaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        Semaphore { state: AtomicUsize::new(value * ONE), name: None }
    }

    /// A semaphore with `value` permits and a name, which the thread dump
    /// shows (`threading::dump()`). Unnamed semaphores cost nothing more.
    ///
    /// # Panics
    ///
    /// As [`Semaphore::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::named(2, "connections");
    /// assert_eq!((s.value(), s.name()), (2, Some("connections")));
    /// ```
    #[must_use]
    pub fn named(value: usize, name: &'static str) -> Semaphore {
        Semaphore { name: Some(name), ..Semaphore::new(value) }
    }

    /// The semaphore's name, if it was given one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_semaphore::Semaphore::new(1).name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// The dump's description, as `kind` at `address` (a bounded
    /// semaphore describes itself through its inner one).
    pub(crate) fn describe_as(&self, kind: Kind, address: usize) -> Target {
        Target::new(kind, address, self.name, Holder::Semaphore { value: self.value() })
    }

    /// The permits available now (Python's private `_value`): a snapshot,
    /// never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// s.acquire();
    /// assert_eq!(s.value(), 0);
    /// ```
    #[inline]
    pub fn value(&self) -> usize {
        self.state.load(Ordering::Relaxed) / ONE
    }

    /// Takes a permit, blocking until one is available (Python's
    /// `acquire()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// s.acquire();
    /// assert!(!s.try_acquire());
    /// s.release();
    /// ```
    #[inline]
    #[track_caller]
    pub fn acquire(&self) {
        self.acquire_for(self, Location::caller());
    }

    /// `acquire`, a wait that parks being recorded as one on `target`.
    #[inline]
    pub(crate) fn acquire_for(&self, target: &dyn WaitTarget, site: &'static Location<'static>) {
        if !self.try_acquire() {
            self.acquire_slow(Deadline::NEVER, WaitAs::new(target, "acquire", site));
        }
    }

    /// Takes a permit if one is available now (Python's
    /// `acquire(blocking=False)`); never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// assert!(s.try_acquire());
    /// assert!(!s.try_acquire());
    /// ```
    #[must_use = "`false` means no permit was taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        while s >= ONE {
            // Acquire: pairs with the Release in `release_n`, so what the
            // releaser did before is visible to the new holder.
            match self.state.compare_exchange_weak(s, s - ONE, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(actual) => s = actual,
            }
        }
        false
    }

    /// Takes a permit, waiting at most `timeout` for one (Python's
    /// `acquire(timeout=t)`); returns whether it got one.
    /// `Duration::ZERO` tries once; any duration up to `Duration::MAX` is
    /// accepted.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::Semaphore::new(1);
    /// assert!(s.acquire_timeout(Duration::from_millis(5)));
    /// assert!(!s.acquire_timeout(Duration::from_millis(5)));
    /// ```
    #[must_use = "`false` means no permit was taken"]
    #[inline]
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.acquire_timeout_for(timeout, self, Location::caller())
    }

    /// `acquire_timeout`, a wait that parks being recorded as one on
    /// `target`.
    #[inline]
    pub(crate) fn acquire_timeout_for(
        &self,
        timeout: Duration,
        target: &dyn WaitTarget,
        site: &'static Location<'static>,
    ) -> bool {
        if self.try_acquire() {
            return true;
        }
        if timeout.is_zero() {
            return false;
        }
        self.acquire_slow(Deadline::after(timeout), WaitAs::new(target, "acquire", site))
    }

    #[cold]
    fn acquire_slow(&self, deadline: Deadline, what: WaitAs<'_>) -> bool {
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(&self.state, PARKED, deadline).on(what) };
        // A permit given back within a microsecond is taken without parking.
        if waiter.spin(SpinPolicy::BRIEF, 1, || self.try_acquire()) {
            return true;
        }
        loop {
            let s = self.state.load(Ordering::Relaxed);
            if s >= ONE {
                // Acquire: as in `try_acquire`.
                if self.state.compare_exchange_weak(s, s - ONE, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                    return true;
                }
                continue;
            }
            match waiter.park(s) {
                // Woken by a release, or the word changed: try again (past
                // the deadline the loop still takes a permit that is there).
                Wake::Woken(_) | Wake::Changed | Wake::Raced => continue,
                Wake::TimedOut => return self.try_acquire(),
            }
        }
    }

    /// Gives back one permit (Python's `release()`), waking one waiter.
    ///
    /// # Panics
    ///
    /// If the value would exceed `usize::MAX / 2`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(0);
    /// s.release();
    /// assert!(s.try_acquire());
    /// ```
    #[inline]
    pub fn release(&self) {
        self.release_n(1);
    }

    /// Gives back `n` permits (Python's `release(n)`), waking up to `n`
    /// waiters; `n == 0` does nothing.
    ///
    /// # Panics
    ///
    /// If the value would exceed `usize::MAX / 2`.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(0);
    /// s.release_n(3);
    /// assert_eq!(s.value(), 3);
    /// ```
    #[inline]
    pub fn release_n(&self, n: usize) {
        if n == 0 {
            return;
        }
        let r = self.add(n, MAX_VALUE);
        assert!(r.is_ok(), "semaphore value overflow");
    }

    /// Adds `n` permits unless the value would pass `bound`; on success
    /// wakes up to `n` waiters. Returns the value seen on failure.
    #[inline]
    pub(crate) fn add(&self, n: usize, bound: usize) -> Result<(), usize> {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            let value = s / ONE;
            if n > bound - value.min(bound) {
                return Err(value);
            }
            // Release: pairs with the Acquire in `try_acquire`.
            match self.state.compare_exchange_weak(s, s + n * ONE, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => s = actual,
            }
        }
        if s & PARKED != 0 {
            self.wake(n);
        }
        Ok(())
    }

    /// Wakes up to `n` parked threads, oldest first.
    #[cold]
    fn wake(&self, n: usize) {
        let callback = |r: wait::UnparkResult| {
            if !r.have_more_threads {
                // Under the queue lock: nobody else is parked. A woken
                // thread that finds no permit sets it again.
                self.state.fetch_and(!PARKED, Ordering::Relaxed);
            }
            UnparkToken::default()
        };
        // SAFETY: the callback only touches the atomic word; it neither
        // panics nor calls the wait path.
        unsafe {
            wait::wake_n(&self.state, n, callback);
        }
    }

    /// Takes a permit and returns a guard that gives it back when dropped
    /// (Python's `with sem:`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// {
    ///     let _p = s.permit();
    ///     assert_eq!(s.value(), 0);
    /// }
    /// assert_eq!(s.value(), 1);
    /// ```
    #[inline]
    #[track_caller]
    pub fn permit(&self) -> SemaphorePermit<'_> {
        self.acquire();
        SemaphorePermit { sem: self }
    }

    /// A guard for a permit if one is available now.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::Semaphore::new(1);
    /// let p = s.try_permit();
    /// assert!(p.is_some());
    /// assert!(s.try_permit().is_none());
    /// ```
    #[must_use = "if unused the permit is given back at once"]
    #[inline]
    pub fn try_permit(&self) -> Option<SemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.try_acquire().then(|| SemaphorePermit { sem: self })
    }

    /// A guard for a permit, waiting at most `timeout` for one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::Semaphore::new(0);
    /// assert!(s.try_permit_for(Duration::from_millis(5)).is_none());
    /// ```
    #[must_use = "if unused the permit is given back at once"]
    #[inline]
    #[track_caller]
    pub fn try_permit_for(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.acquire_timeout(timeout).then(|| SemaphorePermit { sem: self })
    }
}

impl Default for Semaphore {
    /// A semaphore holding one permit, as Python's `Semaphore()`.
    fn default() -> Semaphore {
        Semaphore::new(1)
    }
}

impl fmt::Debug for Semaphore {
    /// `Semaphore { value: 2 }`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore").field("value", &self.value()).finish()
    }
}

/// A permit of a [`Semaphore`], given back when dropped (also while
/// unwinding from a panic).
///
/// # Examples
///
/// ```
/// let s = sync_semaphore::Semaphore::new(1);
/// let p = s.permit();
/// drop(p);
/// assert_eq!(s.value(), 1);
/// ```
#[must_use = "if unused the permit is given back at once"]
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.sem.release();
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").field("semaphore", self.sem).finish()
    }
}
