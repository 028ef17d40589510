//! `OrderedQueue<T, S>`: Python's `queue.Queue` and, by its order `S`,
//! `LifoQueue` and `PriorityQueue`.
//!
//! A bounded first-in first-out queue whose slots fit in 1 MiB (`maxsize`
//! up to 65,536 for 8-byte items) is a lock-free ring (`ring.rs`, whose
//! module documentation has its state machine): a put or a get there is
//! one compare-and-swap and one store, where the lock design below costs two lock operations per item
//! and convoys when a holder is preempted. Every other queue keeps the
//! lock design: a `LifoQueue` or a `PriorityQueue` reorders its items (a
//! stack's top and a heap's root are one contended spot that a ring's
//! per-slot turns cannot spread, and a heap's sift moves several items at
//! once), and an unbounded queue would need a growing ring of segments
//! and their reclamation, or a larger bounded one a bigger array
//! allocated up front.
//!
//! The lock design is Python's own (`Lib/queue.py`): one lock over the items
//! and counters, and three things to wait for — `not_empty` (getters wait
//! there, a put wakes one), `not_full` (putters of a bounded queue wait
//! there, a get wakes one) and `all_tasks_done` (`join` waits there, the
//! last `task_done` wakes all). The lock is this workspace's [`Lock`]; the
//! three waits are words on thread-core's wait path, as every primitive's
//! waits are, rather than three `Condition`s: a `Condition`'s notify moves
//! its waiter onto the lock's queue, and a queue whose two sides hand the
//! lock back and forth a million times a second then forms a convoy (each
//! side parks behind the other's requeued waiter).
//!
//! # The wait protocol
//!
//! Each of `not_empty`, `not_full` and `all_done` is an event-count word:
//! bit 0 (`PARKED`) says that a thread may be parked on it, the rest count
//! changes (`BUMP`). A thread that must wait (the queue empty, full, or
//! tasks unfinished) sets `PARKED` *while it holds the lock*, keeps the
//! value as `seen`, lets the lock go and parks while the word is still
//! `seen`. A thread that changes what the waiters wait for does it under
//! the lock and then, still under it, bumps the word if `PARKED` is set,
//! and wakes after letting the lock go. The lock orders the two: either
//! the waiter's check saw the change (it does not wait), or the changer
//! sees `PARKED` and bumps, so the waiter's park finds the word changed or
//! is woken: no lost wake-up. The last waiter to leave (woken or timed out)
//! clears `PARKED` under the parking layer's queue lock; a thread that set
//! it and is not yet parked finds the word bumped and checks again.

use crate::error::{GetError, PutError, ShutDown, TaskDoneError};
use crate::order::{Fifo, Lifo, Order, Priority};
use crate::ring::{Ring, RingLen};
use crate::words::{self, PARKED};
use std::fmt;
use std::marker::PhantomData;
use std::panic::Location;
use std::time::Duration;
use sync_lock::{Lock, LockGuard};
use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::cell::UnsafeCell;
use thread_core::__private::wait::{WaitAs, WaitTarget, Waiter, Wake};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

/// What the thread dump sees of a queue while a thread waits on it: a view
/// on the waiter's stack, because the queue itself is `Sync` only for `Send`
/// items. It reads only the published size, never the queue's lock.
pub(crate) struct Seen<'a> {
    /// The queue's address.
    pub(crate) address: usize,
    /// Where its size is read.
    pub(crate) size: Size<'a>,
    pub(crate) maxsize: usize,
}

/// Where a [`Seen`] reads the queue's size.
pub(crate) enum Size<'a> {
    /// The lock design's `len_hint`.
    Hint(&'a AtomicUsize),
    /// A ring's positions.
    Ring(RingLen<'a>),
}

impl WaitTarget for Seen<'_> {
    fn describe(&self) -> Target {
        let qsize = match &self.size {
            // Relaxed: a snapshot for the dump.
            Size::Hint(hint) => hint.load(Ordering::Relaxed),
            Size::Ring(ring) => ring.get(),
        };
        Target::new(Kind::Queue, self.address, None, Holder::Queue { qsize, maxsize: self.maxsize })
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Queue, None)
    }
}

/// Proof that the calling thread holds the queue's lock (made only by
/// `OrderedQueue::lock`).
struct Held<'a>(#[allow(dead_code)] LockGuard<'a>);

/// What the lock guards.
struct State<S> {
    items: S,
    /// Items put and not yet marked done (Python's `unfinished_tasks`).
    unfinished: usize,
    /// Set once by `shutdown` (Python's `is_shutdown`).
    shut_down: bool,
}

/// A multi-producer, multi-consumer queue whose items come out in the order
/// `S` gives: [`Queue`] is `OrderedQueue<T, Fifo<T>>` (Python's
/// `queue.Queue`), [`LifoQueue`] and [`PriorityQueue`] the others. Every
/// method is here; the aliases are the names to use.
///
/// `maxsize` 0 means unbounded; otherwise [`put`](OrderedQueue::put)
/// blocks while `maxsize` items are in the queue. Every item put counts as
/// an unfinished task until a consumer calls
/// [`task_done`](OrderedQueue::task_done) for it; [`join`](OrderedQueue::join)
/// waits until none is left. [`shutdown`](OrderedQueue::shutdown) (Python
/// 3.13) stops it: puts fail, gets drain what is left and then fail.
///
/// Blocked getters and putters are woken oldest first; nothing is ever
/// poisoned (a panic in another thread leaves the queue usable).
///
/// # Examples
///
/// Python's worker pool: `join` returns once every item has been marked
/// done.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use sync_queue::Queue;
///
/// let q = Arc::new(Queue::new(0));
/// let total = Arc::new(AtomicUsize::new(0));
/// for _ in 0..2 {
///     let (q, total) = (Arc::clone(&q), Arc::clone(&total));
///     std::thread::spawn(move || {
///         while let Ok(n) = q.get() {
///             total.fetch_add(n, Ordering::Relaxed);
///             q.task_done().unwrap();
///         }
///     });
/// }
/// for n in 1..=10 {
///     q.put(n).unwrap();
/// }
/// q.join();
/// assert_eq!(total.load(Ordering::Relaxed), 55);
/// q.shutdown(false); // the workers' get() now fails: they return
/// ```
pub struct OrderedQueue<T, S> {
    maxsize: usize,
    /// The lock-free ring of a bounded FIFO queue (see the module
    /// documentation); then nothing below is used.
    ring: Option<Ring<T>>,
    /// Guards `state` (Python's `self.mutex`).
    lock: Lock,
    /// Touched only while `lock` is held (see `OrderedQueue::with`).
    state: UnsafeCell<State<S>>,
    /// Getters wait on this word; a put bumps it (see the module docs).
    not_empty: AtomicUsize,
    /// Putters of a bounded queue wait on this word; a get bumps it.
    not_full: AtomicUsize,
    /// `join` waits on this word; the `task_done` that reaches zero bumps it.
    all_done: AtomicUsize,
    /// The number of items, stored under the lock after every change and
    /// read without it by a thread spinning for an item or for room before
    /// it waits (`spin_for`). Only a hint: whoever sees it change takes the
    /// lock and checks the real state.
    len_hint: AtomicUsize,
    /// Threads in `spin_for` now, so that they do not spin when there are
    /// more of them than CPUs.
    spinners: AtomicUsize,
    _items: PhantomData<T>,
}

/// A first-in first-out queue (Python's `queue.Queue`): the
/// [`OrderedQueue`] with the order [`Fifo`], where every method is
/// documented.
///
/// # Examples
///
/// ```
/// let q = sync_queue::Queue::new(0);
/// q.put(1).unwrap();
/// q.put(2).unwrap();
/// assert_eq!(q.get(), Ok(1));
/// ```
pub type Queue<T> = OrderedQueue<T, Fifo<T>>;

/// A queue handing out the most recently put item first (Python's
/// `queue.LifoQueue`). Everything else is [`Queue`]'s.
///
/// # Examples
///
/// ```
/// use sync_queue::LifoQueue;
///
/// let q = LifoQueue::new(0);
/// for n in 0..3 {
///     q.put(n).unwrap();
/// }
/// assert_eq!([q.get(), q.get(), q.get()], [Ok(2), Ok(1), Ok(0)]);
/// ```
pub type LifoQueue<T> = OrderedQueue<T, Lifo<T>>;

/// A queue handing out the smallest item first (Python's
/// `queue.PriorityQueue`, a `heapq`); put `(priority, item)` tuples to order
/// by priority. Everything else is [`Queue`]'s.
///
/// # Examples
///
/// ```
/// use sync_queue::PriorityQueue;
///
/// let q = PriorityQueue::new(0);
/// q.put((3, "low")).unwrap();
/// q.put((1, "high")).unwrap();
/// q.put((2, "medium")).unwrap();
/// assert_eq!(q.get(), Ok((1, "high")));
/// assert_eq!(q.get(), Ok((2, "medium")));
/// ```
pub type PriorityQueue<T> = OrderedQueue<T, Priority<T>>;

// SAFETY: the items (of type `T`, inside `S`) move between threads through
// the queue, hence `T: Send, S: Send`; they are only ever reached while the
// lock is held (`OrderedQueue::with`), so shared references from
// several threads never touch them at the same time, and no `&T` is ever
// handed out, so `T: Sync` is not needed.
unsafe impl<T: Send, S: Send> Sync for OrderedQueue<T, S> {}

impl<T> OrderedQueue<T, Fifo<T>> {
    /// A first-in first-out queue holding at most `maxsize` items; 0 means
    /// unbounded (Python's `queue.Queue(maxsize)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(2);
    /// q.put('a').unwrap();
    /// q.put('b').unwrap();
    /// assert!(q.full());
    /// assert_eq!(q.get(), Ok('a'));
    /// ```
    #[must_use]
    pub fn new(maxsize: usize) -> Self {
        Self::with_maxsize(maxsize)
    }
}

impl<T> OrderedQueue<T, Lifo<T>> {
    /// A last-in first-out queue holding at most `maxsize` items; 0 means
    /// unbounded (Python's `queue.LifoQueue(maxsize)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::LifoQueue::new(0);
    /// q.put('a').unwrap();
    /// q.put('b').unwrap();
    /// assert_eq!(q.get(), Ok('b'));
    /// ```
    #[must_use]
    pub fn new(maxsize: usize) -> Self {
        Self::with_maxsize(maxsize)
    }
}

impl<T: Ord> OrderedQueue<T, Priority<T>> {
    /// A smallest-first queue holding at most `maxsize` items; 0 means
    /// unbounded (Python's `queue.PriorityQueue(maxsize)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::PriorityQueue::new(0);
    /// q.put(5).unwrap();
    /// q.put(2).unwrap();
    /// assert_eq!(q.get(), Ok(2));
    /// ```
    #[must_use]
    pub fn new(maxsize: usize) -> Self {
        Self::with_maxsize(maxsize)
    }
}

impl<T, S: Order<T>> OrderedQueue<T, S> {
    fn with_maxsize(maxsize: usize) -> Self {
        OrderedQueue {
            maxsize,
            ring: (S::RING && Ring::<T>::fits(maxsize)).then(|| Ring::new(maxsize)),
            lock: Lock::new(),
            state: UnsafeCell::new(State { items: S::default(), unfinished: 0, shut_down: false }),
            not_empty: AtomicUsize::new(0),
            not_full: AtomicUsize::new(0),
            all_done: AtomicUsize::new(0),
            len_hint: AtomicUsize::new(0),
            spinners: AtomicUsize::new(0),
            _items: PhantomData,
        }
    }

    /// Takes the lock.
    #[inline]
    fn lock(&self) -> Held<'_> {
        Held(self.lock.lock())
    }

    /// Runs `f` on the state; `_held` shows that the calling thread holds
    /// the lock.
    #[inline]
    fn with<R>(&self, _held: &Held<'_>, f: impl FnOnce(&mut State<S>) -> R) -> R {
        // SAFETY: `_held` guards this queue's lock (a `Held` is made only by
        // `lock`, and no code of this module passes one queue's to
        // another), so no other thread is in `with`, and the lock's
        // acquire/release orders this access after the previous one. `f`
        // never calls `with` again, so the `&mut` is the only reference.
        self.state.with_mut(|state| f(unsafe { &mut *state }))
    }

    /// Under the lock, by a thread about to wait on `word`: sets `PARKED`
    /// and returns the value to park on (see the module documentation).
    #[inline]
    fn announce(word: &AtomicUsize, _held: &Held<'_>) -> usize {
        // Relaxed: the lock orders this against the changer's bump, and the
        // parking layer's queue lock orders the park against the wake.
        word.fetch_or(PARKED, Ordering::Relaxed) | PARKED
    }

    /// Under the lock, after a change that `word`'s waiters wait for: bumps
    /// it if a waiter may be parked; then they must be woken
    /// (`words::wake_one`, `words::wake_all`) once the lock is let go.
    #[inline]
    fn bump(word: &AtomicUsize, _held: &Held<'_>) -> bool {
        // Relaxed: as in `announce`; the lock orders the two.
        if word.load(Ordering::Relaxed) & PARKED == 0 {
            return false;
        }
        words::bump(word);
        true
    }

    /// Whether a bounded queue has no room; never for an unbounded one.
    #[inline]
    fn is_full(&self, state: &State<S>) -> bool {
        self.maxsize != 0 && state.items.len() >= self.maxsize
    }

    /// Puts `item` (the lock held, room checked): an unfinished task
    /// more. Fails only if the queue is shut down. Returns whether a getter
    /// must be woken.
    #[inline]
    fn push_locked(&self, held: &Held<'_>, item: T) -> Result<bool, PutError<T>> {
        self.with(held, |s| {
            if s.shut_down {
                return Err(PutError::ShutDown(item));
            }
            s.items.push(item);
            s.unfinished += 1;
            // Relaxed: a hint (see `len_hint`); the lock orders the state.
            self.len_hint.store(s.items.len(), Ordering::Relaxed);
            Ok(())
        })?;
        Ok(Self::bump(&self.not_empty, held))
    }

    /// Puts `item` and lets the lock go, waking a getter if one waits.
    #[inline]
    fn push_and_wake(&self, held: Held<'_>, item: T) -> Result<(), PutError<T>> {
        let wake = self.push_locked(&held, item)?;
        drop(held);
        if wake {
            words::wake_one(&self.not_empty);
        }
        Ok(())
    }

    /// Takes the next item, if any, and lets the lock go, waking a putter
    /// of a bounded queue if one waits.
    #[inline]
    fn pop_and_wake(&self, held: Held<'_>) -> Option<T> {
        let item = self.with(&held, |s| {
            let item = s.items.pop();
            // Relaxed: a hint (see `len_hint`); the lock orders the state.
            self.len_hint.store(s.items.len(), Ordering::Relaxed);
            item
        });
        let wake = item.is_some() && self.maxsize != 0 && Self::bump(&self.not_full, &held);
        drop(held);
        if wake {
            words::wake_one(&self.not_full);
        }
        item
    }

    /// Whether a put may go on now (the lock held): there is room, or the
    /// queue is shut down (and the put fails).
    #[inline]
    fn can_put(&self, held: &Held<'_>) -> bool {
        self.with(held, |s| s.shut_down || !self.is_full(s))
    }

    /// Whether a get may go on now (the lock held): there is an item, or
    /// the queue is shut down (and the get fails).
    #[inline]
    fn can_get(&self, held: &Held<'_>) -> bool {
        self.with(held, |s| s.shut_down || s.items.len() != 0)
    }

    /// Before a thread waits (the lock not held): spins on the length hint
    /// until `ready(len)` (`words::spin`); the caller then takes the lock
    /// and checks the real state.
    #[cold]
    fn spin_for(&self, word: &AtomicUsize, ready: impl Fn(usize) -> bool, deadline: Deadline) {
        // Relaxed: the hint is re-checked under the lock (see `len_hint`).
        words::spin(&self.spinners, word, deadline, || ready(self.len_hint.load(Ordering::Relaxed)));
    }

    /// This queue's address, as the thread dump shows it.
    fn address(&self) -> usize {
        self as *const Self as usize
    }

    /// The dump's view of this queue, for a waiter's record.
    fn seen(&self) -> Seen<'_> {
        Seen { address: self.address(), size: Size::Hint(&self.len_hint), maxsize: self.maxsize }
    }

    /// Waits until a put may go on (room, or shut down) or `deadline`;
    /// returns the lock held, or `None` if the deadline passed first.
    fn wait_for_room(&self, deadline: Deadline, site: &'static Location<'static>) -> Option<Held<'_>> {
        let mut held = self.lock();
        if self.can_put(&held) {
            return Some(held);
        }
        drop(held);
        self.spin_for(&self.not_full, |len| len < self.maxsize, deadline);
        let view = self.seen();
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(&self.not_full, PARKED, deadline).on(WaitAs::new(&view, "put", site)) };
        loop {
            held = self.lock();
            if self.can_put(&held) {
                return Some(held);
            }
            if deadline.has_passed() {
                return None;
            }
            let seen = Self::announce(&self.not_full, &held);
            drop(held);
            if waiter.park(seen) == Wake::TimedOut {
                // One last look: room made just as the time ran out.
                let held = self.lock();
                return self.can_put(&held).then_some(held);
            }
        }
    }

    /// Waits until a get may go on (an item, or shut down) or `deadline`;
    /// returns the lock held either way (the caller looks again).
    fn wait_for_item(&self, deadline: Deadline, site: &'static Location<'static>) -> Held<'_> {
        let mut held = self.lock();
        if self.can_get(&held) {
            return held;
        }
        drop(held);
        self.spin_for(&self.not_empty, |len| len != 0, deadline);
        let view = self.seen();
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(&self.not_empty, PARKED, deadline).on(WaitAs::new(&view, "get", site)) };
        loop {
            held = self.lock();
            if self.can_get(&held) || deadline.has_passed() {
                return held;
            }
            let seen = Self::announce(&self.not_empty, &held);
            drop(held);
            if waiter.park(seen) == Wake::TimedOut {
                // One last look: an item put just as the time ran out.
                return self.lock();
            }
        }
    }

    /// Puts `item`, waiting while a bounded queue is full (Python's
    /// `put(item)`). It counts as an unfinished task until
    /// [`task_done`](OrderedQueue::task_done) is called for it.
    ///
    /// # Errors
    ///
    /// [`PutError::ShutDown`], with the item, if the queue is shut down
    /// before or while it waits (never [`PutError::Full`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_queue::Queue;
    ///
    /// let q = Arc::new(Queue::new(1));
    /// q.put(1).unwrap();
    /// let q2 = Arc::clone(&q);
    /// let putter = std::thread::spawn(move || q2.put(2)); // waits for room
    /// assert_eq!(q.get(), Ok(1));
    /// putter.join().unwrap().unwrap();
    /// assert_eq!(q.get(), Ok(2));
    /// ```
    #[track_caller]
    pub fn put(&self, item: T) -> Result<(), PutError<T>> {
        if let Some(ring) = &self.ring {
            return ring.put(item, Deadline::NEVER, self.address(), Location::caller());
        }
        let held = if self.maxsize == 0 {
            self.lock()
        } else {
            self.wait_for_room(Deadline::NEVER, Location::caller()).expect("no deadline")
        };
        self.push_and_wake(held, item)
    }

    /// Puts `item`, waiting at most `timeout` for room (Python's
    /// `put(item, timeout=t)`); a zero timeout only tries.
    ///
    /// # Errors
    ///
    /// [`PutError::Full`] if the queue was still full when the timeout
    /// passed, [`PutError::ShutDown`] if it is shut down; both give the
    /// item back.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let q = sync_queue::Queue::new(1);
    /// q.put_timeout(1, Duration::from_millis(10)).unwrap();
    /// let err = q.put_timeout(2, Duration::from_millis(10)).unwrap_err();
    /// assert!(err.is_full());
    /// ```
    #[track_caller]
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), PutError<T>> {
        if let Some(ring) = &self.ring {
            return ring.put(item, Deadline::after(timeout), self.address(), Location::caller());
        }
        let held = if self.maxsize == 0 {
            self.lock()
        } else {
            match self.wait_for_room(Deadline::after(timeout), Location::caller()) {
                Some(held) => held,
                // Timed out still full, and not shut down.
                None => return Err(PutError::Full(item)),
            }
        };
        self.push_and_wake(held, item)
    }

    /// Puts `item` only if there is room now (Python's `put_nowait`).
    ///
    /// # Errors
    ///
    /// [`PutError::Full`] if a bounded queue is full, [`PutError::ShutDown`]
    /// if the queue is shut down; both give the item back.
    ///
    /// # Examples
    ///
    /// ```
    /// use sync_queue::{PutError, Queue};
    ///
    /// let q = Queue::new(1);
    /// q.try_put("a").unwrap();
    /// assert!(matches!(q.try_put("b"), Err(PutError::Full("b"))));
    /// ```
    pub fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        if let Some(ring) = &self.ring {
            return ring.try_put(item);
        }
        let held = self.lock();
        if !self.can_put(&held) {
            return Err(PutError::Full(item));
        }
        self.push_and_wake(held, item)
    }

    /// Removes and returns the next item, waiting until there is one
    /// (Python's `get()`).
    ///
    /// # Errors
    ///
    /// [`ShutDown`] once the queue is shut down and empty: items put before
    /// a plain `shutdown(false)` are still handed out first.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_queue::Queue;
    ///
    /// let q = Arc::new(Queue::new(0));
    /// let q2 = Arc::clone(&q);
    /// let getter = std::thread::spawn(move || q2.get()); // waits for an item
    /// q.put("hello").unwrap();
    /// assert_eq!(getter.join().unwrap(), Ok("hello"));
    /// ```
    #[track_caller]
    pub fn get(&self) -> Result<T, ShutDown> {
        if let Some(ring) = &self.ring {
            return ring.get(Deadline::NEVER, self.address(), Location::caller()).map_err(|_| ShutDown);
        }
        let held = self.wait_for_item(Deadline::NEVER, Location::caller());
        // Back with no item: only a shutdown does that.
        self.pop_and_wake(held).ok_or(ShutDown)
    }

    /// Removes and returns the next item, waiting at most `timeout` for one
    /// (Python's `get(timeout=t)`); a zero timeout only tries.
    ///
    /// # Errors
    ///
    /// [`GetError::Empty`] if no item came in time, [`GetError::ShutDown`]
    /// once the queue is shut down and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_queue::{GetError, Queue};
    ///
    /// let q = Queue::new(0);
    /// assert_eq!(q.get_timeout(Duration::from_millis(10)), Err(GetError::Empty));
    /// q.put(7).unwrap();
    /// assert_eq!(q.get_timeout(Duration::from_millis(10)), Ok(7));
    /// ```
    #[track_caller]
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, GetError> {
        if let Some(ring) = &self.ring {
            return ring.get(Deadline::after(timeout), self.address(), Location::caller());
        }
        let held = self.wait_for_item(Deadline::after(timeout), Location::caller());
        self.pop_or_error(held)
    }

    /// Removes and returns the next item if there is one now (Python's
    /// `get_nowait`).
    ///
    /// # Errors
    ///
    /// [`GetError::Empty`] if there is none, [`GetError::ShutDown`] if the
    /// queue is shut down and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use sync_queue::{GetError, Queue};
    ///
    /// let q = Queue::new(0);
    /// q.put(1).unwrap();
    /// assert_eq!(q.try_get(), Ok(1));
    /// assert_eq!(q.try_get(), Err(GetError::Empty));
    /// ```
    pub fn try_get(&self) -> Result<T, GetError> {
        if let Some(ring) = &self.ring {
            return ring.try_get();
        }
        let held = self.lock();
        self.pop_or_error(held)
    }

    fn pop_or_error(&self, held: Held<'_>) -> Result<T, GetError> {
        let shut_down = self.with(&held, |s| s.shut_down);
        match self.pop_and_wake(held) {
            Some(item) => Ok(item),
            None if shut_down => Err(GetError::ShutDown),
            None => Err(GetError::Empty),
        }
    }

    /// Marks one item got from the queue as processed (Python's
    /// `task_done()`); when every item put has been marked, threads blocked
    /// in [`join`](OrderedQueue::join) return.
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] ("task_done() called too many times") if it is
    /// called more times than items were put; nothing changes then.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(0);
    /// q.put(1).unwrap();
    /// q.get().unwrap();
    /// q.task_done().unwrap();
    /// assert!(q.task_done().is_err());
    /// ```
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        if let Some(ring) = &self.ring {
            return ring.task_done();
        }
        let held = self.lock();
        let left = self.with(&held, |s| {
            s.unfinished = s.unfinished.checked_sub(1).ok_or(TaskDoneError)?;
            Ok(s.unfinished)
        })?;
        let wake = left == 0 && Self::bump(&self.all_done, &held);
        drop(held);
        if wake {
            words::wake_all(&self.all_done);
        }
        Ok(())
    }

    /// Waits until every item put has been got and marked done with
    /// [`task_done`](OrderedQueue::task_done) (Python's `join()`). Returns at once
    /// if none is unfinished.
    ///
    /// An immediate [`shutdown(true)`](OrderedQueue::shutdown) discards the queued
    /// items and takes them off the count, which releases `join` unless
    /// items already got are still unfinished, as in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use sync_queue::Queue;
    ///
    /// let q = Arc::new(Queue::new(0));
    /// q.put("job").unwrap();
    /// let q2 = Arc::clone(&q);
    /// let worker = std::thread::spawn(move || {
    ///     let job = q2.get().unwrap();
    ///     q2.task_done().unwrap();
    ///     job
    /// });
    /// q.join(); // returns once the worker has called task_done
    /// assert_eq!(q.unfinished_tasks(), 0);
    /// assert_eq!(worker.join().unwrap(), "job");
    /// ```
    #[track_caller]
    pub fn join(&self) {
        if let Some(ring) = &self.ring {
            return ring.join(self.address(), Location::caller());
        }
        let view = self.seen();
        let waiter =
            // SAFETY: the waiter is dropped before this call returns, while
            // its target is still borrowed (it is never leaked).
            unsafe { Waiter::new(&self.all_done, PARKED, Deadline::NEVER).on(WaitAs::new(&view, "join", Location::caller())) };
        loop {
            let held = self.lock();
            if self.with(&held, |s| s.unfinished == 0) {
                return;
            }
            let seen = Self::announce(&self.all_done, &held);
            drop(held);
            waiter.park(seen);
        }
    }

    /// Shuts the queue down (Python 3.13's `shutdown(immediate)`): from now
    /// on every put fails with `ShutDown`, and gets hand out what is left
    /// and then fail with `ShutDown`. With `immediate`, what is left is
    /// discarded at once (and taken off the unfinished tasks, waking
    /// [`join`](OrderedQueue::join) if that leaves none), so gets fail at once.
    /// Every blocked getter and putter is woken. Calling it again is
    /// harmless (an immediate call still discards what is left).
    ///
    /// The discarded items are dropped after the lock is let go.
    ///
    /// One difference from Python, for a bounded `Queue` (the lock-free
    /// ring): an immediate shutdown marks the queue shut down and then
    /// discards the items one by one, so a `get` running at that moment may
    /// still take an item after [`is_shut_down`](OrderedQueue::is_shut_down)
    /// has turned true (Python does both under one lock). Such an item was
    /// got, not discarded: it stays an unfinished task until its
    /// `task_done`.
    ///
    /// # Examples
    ///
    /// ```
    /// use sync_queue::{GetError, Queue};
    ///
    /// let q = Queue::new(0);
    /// q.put(1).unwrap();
    /// q.put(2).unwrap();
    /// q.shutdown(false);
    /// assert!(q.put(3).is_err());
    /// assert_eq!(q.get(), Ok(1)); // drains what is left
    /// q.shutdown(true);           // discards the rest
    /// assert_eq!(q.try_get(), Err(GetError::ShutDown));
    /// ```
    pub fn shutdown(&self, immediate: bool) {
        if let Some(ring) = &self.ring {
            drop(ring.shutdown(immediate));
            return;
        }
        let held = self.lock();
        let (discarded, all_done) = self.with(&held, |s| {
            s.shut_down = true;
            if !immediate {
                return (None, false);
            }
            let items = std::mem::take(&mut s.items);
            s.unfinished = s.unfinished.saturating_sub(items.len());
            // Relaxed: a hint (see `len_hint`).
            self.len_hint.store(0, Ordering::Relaxed);
            (Some(items), s.unfinished == 0)
        });
        let wake_joiners = all_done && Self::bump(&self.all_done, &held);
        let wake_getters = Self::bump(&self.not_empty, &held);
        let wake_putters = Self::bump(&self.not_full, &held);
        drop(held);
        for (wake, word) in
            [(wake_joiners, &self.all_done), (wake_getters, &self.not_empty), (wake_putters, &self.not_full)]
        {
            if wake {
                words::wake_all(word);
            }
        }
        drop(discarded);
    }

    /// Whether [`shutdown`](OrderedQueue::shutdown) has been called (Python's
    /// `is_shutdown`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q: sync_queue::Queue<u8> = sync_queue::Queue::new(0);
    /// assert!(!q.is_shut_down());
    /// q.shutdown(false);
    /// assert!(q.is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        if let Some(ring) = &self.ring {
            return ring.is_shut_down();
        }
        let held = self.lock();
        self.with(&held, |s| s.shut_down)
    }

    /// How many items are in the queue now (Python's `qsize()`); other
    /// threads may change it at any moment.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(0);
    /// q.put(1).unwrap();
    /// assert_eq!(q.qsize(), 1);
    /// ```
    pub fn qsize(&self) -> usize {
        if let Some(ring) = &self.ring {
            return ring.len();
        }
        let held = self.lock();
        self.with(&held, |s| s.items.len())
    }

    /// Whether the queue is empty now (Python's `empty()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(0);
    /// assert!(q.empty());
    /// q.put(()).unwrap();
    /// assert!(!q.empty());
    /// ```
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// Whether a bounded queue holds `maxsize` items now (Python's
    /// `full()`); never true for an unbounded one.
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(1);
    /// assert!(!q.full());
    /// q.put(()).unwrap();
    /// assert!(q.full());
    /// ```
    pub fn full(&self) -> bool {
        if let Some(ring) = &self.ring {
            return ring.is_full();
        }
        let held = self.lock();
        self.with(&held, |s| self.is_full(s))
    }

    /// The most items the queue holds; 0 for unbounded (Python's
    /// `maxsize`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_queue::Queue::<u8>::new(8).maxsize(), 8);
    /// ```
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// How many items put have not yet been marked done with
    /// [`task_done`](OrderedQueue::task_done) (Python's `unfinished_tasks`).
    ///
    /// # Examples
    ///
    /// ```
    /// let q = sync_queue::Queue::new(0);
    /// q.put('x').unwrap();
    /// q.get().unwrap();
    /// assert_eq!(q.unfinished_tasks(), 1);
    /// q.task_done().unwrap();
    /// assert_eq!(q.unfinished_tasks(), 0);
    /// ```
    pub fn unfinished_tasks(&self) -> usize {
        if let Some(ring) = &self.ring {
            // At most the puts of a `u64` count: a `usize` on 64-bit targets.
            return ring.unfinished() as usize;
        }
        let held = self.lock();
        self.with(&held, |s| s.unfinished)
    }
}

impl<T, S: Order<T>> Default for OrderedQueue<T, S> {
    /// An unbounded queue.
    ///
    /// # Examples
    ///
    /// ```
    /// let q: sync_queue::PriorityQueue<u32> = Default::default();
    /// assert_eq!(q.maxsize(), 0);
    /// ```
    fn default() -> Self {
        Self::with_maxsize(0)
    }
}

impl<T, S: Order<T>> fmt::Debug for OrderedQueue<T, S> {
    /// Shows the order, `maxsize` and, unless another thread holds the lock
    /// right now (it never waits for it), the size, the unfinished tasks
    /// and whether it is shut down.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("OrderedQueue");
        d.field("maxsize", &self.maxsize);
        if let Some(ring) = &self.ring {
            return d.field("ring", ring).finish();
        }
        match self.lock.try_lock() {
            Some(g) => self.with(&Held(g), |s| {
                d.field("items", &s.items).field("unfinished_tasks", &s.unfinished).field("shut_down", &s.shut_down)
            }),
            None => d.field("state", &format_args!("<locked>")),
        };
        d.finish()
    }
}
