//! `Ring<T>`: the lock-free design of a bounded first-in first-out
//! [`Queue`](crate::Queue) whose slots fit in [`MAX_RING_BYTES`].
//!
//! A queue whose two sides hand one lock back and forth pays two lock
//! operations per item and, when a holder is preempted, a convoy. Here the
//! items live in an array of `maxsize` slots with a sequence number each
//! (the bounded multi-producer multi-consumer design of Dmitry Vyukov,
//! which crossbeam's `ArrayQueue` also uses), so a put or a get is one
//! compare-and-swap on a position plus one store, and the three waits stay
//! event-count words on thread-core's wait path (`words`), looked at with
//! one load on the way out.
//!
//! # The state
//!
//! * `tail`: where the next put goes; `head`: where the next get takes
//!   from. A position is `lap + index`: `index` is the slot (below
//!   `maxsize`), `lap` a multiple of `one_lap`, the power of two above
//!   `maxsize`; the position after `lap + maxsize - 1` is `lap + one_lap`.
//!   `count(p)` turns a position into the number of items that went
//!   through it (puts for `tail`, gets for `head`). A `u64` never wraps
//!   (2^62 items at the least).
//! * Bit 63 of `tail` (`MARK`) is Python's `is_shutdown`: set once by
//!   `shutdown`, after which no put can claim a position (its CAS fails).
//! * Each slot's `stamp`: `p` when the slot is free for the put at
//!   position `p`; `p + 1` once that put has written its item, free for
//!   the get at `p`; `p + one_lap` once that get has moved the item out,
//!   free for the put of the next lap. A slot's stamp only grows.
//! * `done`: `task_done` calls plus the items an immediate shutdown
//!   discarded (never more than the puts): `unfinished_tasks` is
//!   `count(tail) - done`.
//! * `not_empty`, `not_full`, `all_done`: the wait words (`words`), and
//!   `busy`, where a thread waits for a slot another has claimed.
//!
//! # A put (a get is its mirror)
//!
//! Read `tail` = `p` and the stamp of its slot. Stamp `p`: the slot is
//! free; CAS `tail` from `p` to the next position (the put's linearization
//! point), write the item, store stamp `p + 1` (publishes it), then wake a
//! getter if `not_empty` has `PARKED` (and every thread waiting on `busy`,
//! if it has). Stamp `p - one_lap + 1` (the previous
//! lap's item is still there): if `head` is a lap behind `tail` the ring
//! is full; otherwise a get has claimed the slot and not yet moved the
//! item out, a matter of a few instructions, which the put waits for
//! (`await_slot`: a spin, a few yields, then a park on `busy`, which every
//! stamp store wakes: the get may have been preempted). Any other stamp:
//! another put took `p`; read `tail` again.
//!
//! A get that finds a position claimed by a put that has not yet stored
//! its stamp waits for it likewise rather than answering "empty": the put
//! is already linearized (and counted by `task_done`), so gets are
//! linearizable at their CAS on `head`, with "empty" meaning
//! `head == tail`, as under Python's lock.
//!
//! # The wait protocol
//!
//! A thread that must wait (ring empty, ring full, tasks unfinished)
//! *announces* itself: sets `PARKED` on the word with an RMW, keeping the
//! value as `seen`, then a SeqCst fence, then checks again (a whole try)
//! and only then parks while the word is still `seen`. A thread that
//! changes what waiters wait for (the `done` that reaches the puts, the
//! shutdown mark) makes its change, then a SeqCst fence, then loads the
//! word, and only if `PARKED` is set bumps it and wakes. The two fences are
//! a store-buffering pair: in their single total order one comes first, so
//! either the waiter's check sees the change, or the changer's load sees
//! `PARKED` (and the bump makes the waiter's park find the word changed, or
//! the wake finds it parked): no lost wake-up.
//!
//! A put or a get, on its hot path, pays no fence: its CAS on `tail` or
//! `head`, its stamp store and its loads of the words are SeqCst
//! operations themselves, which sit in the same single total order as the
//! waiter's fence. If the load of a word comes before the waiter's fence
//! in that order, so do the CAS and the stamp store before it, and every
//! load after the fence sees them (C++20's rule for a SeqCst fence
//! before a load); otherwise the load sees `PARKED`. On x86 this is a
//! locked CAS, an `xchg` and two plain loads instead of a `mfence` on top
//! (the performance chapter has the figures). loom does not model SeqCst
//! on loads and stores (tokio-rs/loom#180), only fences: the model build
//! keeps a fence in their place, which is the pairing above. The last waiter to leave clears `PARKED`
//! under the parking layer's queue lock (`words`); one that set it and has
//! not parked yet finds the word changed and announces again.
//!
//! A put wakes one getter, a get one putter; a woken thread tries again,
//! and if a thread that never slept took the item (or the room) first, it
//! announces and parks again: one wake per change, never one lost. A
//! shutdown wakes every waiter, and an immediate one also `join`.

use crate::error::{GetError, PutError, TaskDoneError};
use crate::queue::{Seen, Size};
use crate::words::{self, PARKED};
use std::fmt;
use std::mem::MaybeUninit;
use std::panic::Location;
use thread_core::__private::atomic::{fence, AtomicU64, AtomicUsize, Ordering};
use thread_core::__private::cell::UnsafeCell;
use thread_core::__private::wait::{WaitAs, Waiter, Wake};
use thread_core::__private::{spin_loop, yield_now, Deadline};

/// The most memory a ring's slots take (65,536 slots of an 8-byte item):
/// they are allocated up front, so a bounded queue whose slots would take
/// more keeps the lock design (as an unbounded one does), which allocates
/// as items come.
const MAX_RING_BYTES: usize = 1 << 20;

/// Bit 63 of `tail`: the queue is shut down.
const MARK: u64 = 1 << 63;

/// One place in the ring.
struct Slot<T> {
    /// Whose turn the slot is (see the module documentation).
    stamp: AtomicU64,
    /// The item, written by the put whose CAS claimed the slot and moved
    /// out by the get whose CAS claimed it, each alone with it.
    value: UnsafeCell<MaybeUninit<T>>,
}

/// A value alone on its cache line(s), so that the putters' `tail` and the
/// getters' `head` do not share one.
#[repr(align(128))]
struct Padded<T>(T);

/// The three wait words, read by every put and get (written only by
/// threads that wait), together on a line of their own.
struct Words {
    /// Getters wait on it; a put wakes one.
    not_empty: AtomicUsize,
    /// Putters wait on it; a get wakes one.
    not_full: AtomicUsize,
    /// `join` waits on it; the `task_done` that leaves no task wakes all.
    all_done: AtomicUsize,
    /// A thread that finds a slot claimed by another and not yet written
    /// or emptied (that thread preempted in between) waits on it once a
    /// short spin is over (`await_slot`); every stamp store wakes all.
    busy: AtomicUsize,
}

/// What a get found.
enum Pop<T> {
    Item(T),
    Empty,
    ShutDown,
}

/// A bounded lock-free FIFO ring with Python's `Queue` semantics (see the
/// module documentation).
pub(crate) struct Ring<T> {
    head: Padded<AtomicU64>,
    tail: Padded<AtomicU64>,
    done: Padded<AtomicU64>,
    words: Padded<Words>,
    /// Threads spinning before they wait (`words::spin`).
    spinners: Padded<AtomicUsize>,
    slots: Box<[Slot<T>]>,
    /// `maxsize`.
    cap: u64,
    /// The power of two above `cap`: what a lap adds to a position.
    one_lap: u64,
}

// SAFETY: items move between threads through the ring (`T: Send`); each
// slot's value is touched only by the one thread whose CAS claimed it, in
// the order its stamp gives (see `try_push`, `try_pop`), and no `&T` is
// ever handed out, so `T: Sync` is not needed.
unsafe impl<T: Send> Sync for Ring<T> {}

/// Turns of `await_slot`'s spin: 1, 2, 4 ... 64 pauses, then yields.
const SPIN_TURNS: u32 = 7;
/// Turns of `await_slot` before it parks; none under loom, where a spin
/// on a preempted thread never ends once the preemption budget is spent.
#[cfg(not(loom))]
const AWAIT_TURNS: u32 = SPIN_TURNS + 4;
#[cfg(loom)]
const AWAIT_TURNS: u32 = 0;

/// How many items went through position `p` (`MARK` cleared) of a ring
/// of `cap` slots and laps of `one_lap`.
#[inline]
fn count(p: u64, cap: u64, one_lap: u64) -> u64 {
    (p >> one_lap.trailing_zeros()) * cap + (p & (one_lap - 1))
}

/// A ring's positions, which is all its size needs: `Sync` whatever the
/// items, so the thread dump can read it from another thread.
#[derive(Clone, Copy)]
pub(crate) struct RingLen<'a> {
    head: &'a AtomicU64,
    tail: &'a AtomicU64,
    cap: u64,
    one_lap: u64,
}

impl RingLen<'_> {
    /// Python's `qsize()`: a hint.
    pub(crate) fn get(&self) -> usize {
        loop {
            // SeqCst: the three loads in one order, so that `tail` read
            // twice the same brackets the read of `head` (crossbeam's way).
            let tail = self.tail.load(Ordering::SeqCst) & !MARK;
            let head = self.head.load(Ordering::SeqCst);
            if self.tail.load(Ordering::SeqCst) & !MARK == tail {
                let (cap, lap) = (self.cap, self.one_lap);
                return count(tail, cap, lap).saturating_sub(count(head, cap, lap)).min(cap) as usize;
            }
        }
    }
}

impl<T> Ring<T> {
    /// Whether a bounded queue of `maxsize` items is a ring: its slots fit
    /// in `MAX_RING_BYTES`.
    pub(crate) fn fits(maxsize: usize) -> bool {
        maxsize != 0 && maxsize.checked_mul(std::mem::size_of::<Slot<T>>()).is_some_and(|bytes| bytes <= MAX_RING_BYTES)
    }

    /// An empty ring of `cap` slots (`fits(cap)`).
    pub(crate) fn new(cap: usize) -> Self {
        debug_assert!(Self::fits(cap));
        let cap = cap as u64;
        let slots = (0..cap).map(|i| Slot { stamp: AtomicU64::new(i), value: UnsafeCell::new(MaybeUninit::uninit()) });
        Ring {
            head: Padded(AtomicU64::new(0)),
            tail: Padded(AtomicU64::new(0)),
            done: Padded(AtomicU64::new(0)),
            words: Padded(Words {
                not_empty: AtomicUsize::new(0),
                not_full: AtomicUsize::new(0),
                all_done: AtomicUsize::new(0),
                busy: AtomicUsize::new(0),
            }),
            spinners: Padded(AtomicUsize::new(0)),
            slots: slots.collect(),
            cap,
            one_lap: (cap + 1).next_power_of_two(),
        }
    }

    /// The slot of position `p`.
    #[inline]
    fn slot(&self, p: u64) -> &Slot<T> {
        &self.slots[(p & (self.one_lap - 1)) as usize]
    }

    /// The position after `p`.
    #[inline]
    fn next(&self, p: u64) -> u64 {
        if (p & (self.one_lap - 1)) + 1 < self.cap {
            p + 1
        } else {
            (p & !(self.one_lap - 1)).wrapping_add(self.one_lap)
        }
    }

    /// How many items went through position `p` (`MARK` cleared).
    #[inline]
    fn count(&self, p: u64) -> u64 {
        count(p, self.cap, self.one_lap)
    }

    /// What reads the ring's size (`len`, and the thread dump).
    pub(crate) fn len_view(&self) -> RingLen<'_> {
        RingLen { head: &self.head.0, tail: &self.tail.0, cap: self.cap, one_lap: self.one_lap }
    }

    /// The thread dump's view of the queue whose ring this is (at
    /// `address`), for a waiter's record.
    fn seen(&self, address: usize) -> Seen<'_> {
        Seen { address, size: Size::Ring(self.len_view()), maxsize: self.cap as usize }
    }

    /// After a change that `word`'s waiters wait for: wakes one of them
    /// (`all`: every one) if any may be parked.
    #[inline]
    fn wake(word: &AtomicUsize, all: bool) {
        // SeqCst: pairs with the fence in `announce` (the module
        // documentation's store-buffering pair): either the waiter's check
        // sees our change, or the load below sees its `PARKED`.
        fence(Ordering::SeqCst);
        // Relaxed: ordered by the fence above.
        if word.load(Ordering::Relaxed) & PARKED != 0 {
            words::bump(word);
            if all {
                words::wake_all(word);
            } else {
                words::wake_one(word);
            }
        }
    }

    /// After a SeqCst claim and stamp store: wakes one waiter of `word`
    /// (`not_empty` after a put, `not_full` after a get) and every
    /// `await_slot`, if any may be parked.
    #[inline]
    fn published(&self, word: &AtomicUsize) {
        // The model's stand-in for the SeqCst claim, store and loads (see
        // the module documentation: loom models SeqCst fences only).
        #[cfg(loom)]
        fence(Ordering::SeqCst);
        // SeqCst: with the claim and the stamp store, in one total order
        // with the waiter's fence in `announce` (the module documentation).
        if word.load(Ordering::SeqCst) & PARKED != 0 {
            words::bump(word);
            words::wake_one(word);
        }
        let busy = &self.words.0.busy;
        // SeqCst: as above.
        if busy.load(Ordering::SeqCst) & PARKED != 0 {
            words::bump(busy);
            words::wake_all(busy);
        }
    }

    /// Waits until the stamp of `slot` is no longer `stamp`: another thread
    /// has claimed the slot and is writing or moving out its item, a few
    /// instructions unless it was preempted in between. Spins, yields,
    /// then parks on `busy` (no spin under loom, whose scheduler need not
    /// run another thread while this one yields).
    #[cold]
    fn await_slot(&self, slot: &Slot<T>, stamp: u64) {
        // Relaxed here and below: only waits; the caller re-reads the
        // stamp with Acquire.
        let changed = || slot.stamp.load(Ordering::Relaxed) != stamp;
        #[cfg_attr(loom, allow(clippy::reversed_empty_ranges))]
        for turn in 0..AWAIT_TURNS {
            if changed() {
                return;
            }
            if turn < SPIN_TURNS {
                for _ in 0..1u32 << turn {
                    spin_loop();
                }
            } else {
                yield_now();
            }
        }
        let word = &self.words.0.busy;
        let waiter = Waiter::new(word, PARKED, Deadline::NEVER);
        loop {
            let seen = Self::announce(word);
            if changed() {
                return;
            }
            waiter.park(seen);
        }
    }

    /// Before a thread checks one last time and parks on `word`: sets
    /// `PARKED` and returns the value to park on.
    #[inline]
    fn announce(word: &AtomicUsize) -> usize {
        // Relaxed: the fence below orders it before the check; the parking
        // layer's queue lock orders the park against a wake.
        let seen = word.fetch_or(PARKED, Ordering::Relaxed) | PARKED;
        // SeqCst: pairs with the fence in `wake`.
        fence(Ordering::SeqCst);
        seen
    }

    /// Puts `item` if there is room now.
    fn try_push(&self, item: T) -> Result<(), PutError<T>> {
        // Relaxed: a guess that the stamp and the CAS validate.
        let mut tail = self.tail.0.load(Ordering::Relaxed);
        loop {
            if tail & MARK != 0 {
                return Err(PutError::ShutDown(item));
            }
            let slot = self.slot(tail);
            // Acquire: pairs with the Release stamp store of the get that
            // emptied the slot (`try_pop`): its move of the old item out
            // happens before our write.
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == tail {
                // SeqCst: the CAS claims the position (RMW atomicity) and
                // is ordered before the look at the words in `published`
                // (the module documentation); the item is published by the
                // stamp store.
                match self.tail.0.compare_exchange_weak(tail, self.next(tail), Ordering::SeqCst, Ordering::Relaxed) {
                    Ok(_) => {
                        // SAFETY: the stamp said the slot is empty and free
                        // for position `tail`, which our CAS claimed: no
                        // other thread touches the value until the stamp
                        // below says it is full.
                        slot.value.with_mut(|v| unsafe { (*v).write(item) });
                        // Release (as part of SeqCst): pairs with the
                        // Acquire stamp load of the get at this position:
                        // publishes the item. SeqCst: before the look at
                        // `busy` in `published`.
                        slot.stamp.store(tail + 1, Ordering::SeqCst);
                        self.published(&self.words.0.not_empty);
                        return Ok(());
                    }
                    Err(now) => tail = now,
                }
            } else if stamp.wrapping_add(self.one_lap) == tail + 1 {
                // The previous lap's item is still in the slot.
                // SeqCst: a get whose SeqCst CAS on `head` precedes this
                // fence in the total order (under loom, the fence in its
                // `published`) has its `head` seen below, so "full" is not
                // stale with respect to it.
                fence(Ordering::SeqCst);
                // Relaxed: ordered by the fence.
                let head = self.head.0.load(Ordering::Relaxed);
                // By counts rather than by equality: a `head` read older
                // than the get that freed our `tail`'s previous lap could
                // otherwise send us to wait for a get that never comes.
                if self.count(tail) >= self.count(head) + self.cap {
                    return Err(PutError::Full(item));
                }
                // A get has claimed the slot and is moving the item out.
                self.await_slot(slot, stamp);
                // Relaxed: a new guess, as above.
                tail = self.tail.0.load(Ordering::Relaxed);
            } else {
                // Another put took this position.
                spin_loop();
                // Relaxed: a new guess, as above.
                tail = self.tail.0.load(Ordering::Relaxed);
            }
        }
    }

    /// Takes the next item if there is one now.
    fn try_pop(&self) -> Pop<T> {
        // Relaxed: a guess that the stamp and the CAS validate.
        let mut head = self.head.0.load(Ordering::Relaxed);
        loop {
            let slot = self.slot(head);
            // Acquire: pairs with the Release stamp store of the put that
            // filled the slot (`try_push`): its item is written.
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == head + 1 {
                // SeqCst: as the put's CAS: it claims, the stamp orders.
                match self.head.0.compare_exchange_weak(head, self.next(head), Ordering::SeqCst, Ordering::Relaxed) {
                    Ok(_) => {
                        // SAFETY: the stamp said the slot holds the item of
                        // position `head`, which our CAS claimed: no other
                        // thread touches the value until the stamp below
                        // frees it; the item is moved out once.
                        let item = slot.value.with(|v| unsafe { (*v).assume_init_read() });
                        // Release (as part of SeqCst): pairs with the
                        // Acquire stamp load of the next lap's put: our move
                        // happens before its write. SeqCst: as in `try_push`.
                        slot.stamp.store(head.wrapping_add(self.one_lap), Ordering::SeqCst);
                        self.published(&self.words.0.not_full);
                        return Pop::Item(item);
                    }
                    Err(now) => head = now,
                }
            } else if stamp == head {
                // No item at `head` yet.
                // SeqCst: as in `try_push`, with a put's CAS on `tail`:
                // "empty" is not stale with respect to a put whose CAS
                // precedes this fence.
                fence(Ordering::SeqCst);
                // Relaxed: ordered by the fence.
                let tail = self.tail.0.load(Ordering::Relaxed);
                // By counts, as in `try_push`: a `tail` read older than
                // `head` means no claimed put is ahead of us either.
                if self.count(tail & !MARK) <= self.count(head) {
                    return if tail & MARK != 0 { Pop::ShutDown } else { Pop::Empty };
                }
                // A put has claimed the position and is writing its item.
                self.await_slot(slot, stamp);
                // Relaxed: a new guess, as above.
                head = self.head.0.load(Ordering::Relaxed);
            } else {
                // Another get took this position.
                spin_loop();
                // Relaxed: a new guess, as above.
                head = self.head.0.load(Ordering::Relaxed);
            }
        }
    }

    /// Whether a get would not wait now (an item at `head`): what a thread
    /// spins on before it waits. A hint, which leaves `tail` alone (the
    /// putters' line): a shutdown during the spin is seen once it is over.
    fn can_get(&self) -> bool {
        // Relaxed: a hint; the try that follows checks.
        let head = self.head.0.load(Ordering::Relaxed);
        self.slot(head).stamp.load(Ordering::Relaxed) == head + 1
    }

    /// Whether a put would not wait now (room at `tail`, or shut down). A
    /// hint.
    fn can_put(&self) -> bool {
        // Relaxed: a hint; the try that follows checks.
        let tail = self.tail.0.load(Ordering::Relaxed);
        tail & MARK != 0 || self.slot(tail).stamp.load(Ordering::Relaxed) == tail
    }

    /// Puts `item`, waiting for room until `deadline`; the queue at
    /// `address` is called from `site` (for the thread dump).
    pub(crate) fn put(
        &self,
        item: T,
        deadline: Deadline,
        address: usize,
        site: &'static Location<'static>,
    ) -> Result<(), PutError<T>> {
        let mut item = match self.try_push(item) {
            Err(PutError::Full(item)) if !deadline.has_passed() => item,
            done => return done,
        };
        let word = &self.words.0.not_full;
        words::spin(&self.spinners.0, word, deadline, || self.can_put());
        let view = self.seen(address);
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(word, PARKED, deadline).on(WaitAs::new(&view, "put", site)) };
        loop {
            // First without announcing (after the spin, or a wake), so that
            // a get does not have to wake a thread that no longer waits.
            item = match self.try_push(item) {
                Err(PutError::Full(item)) => item,
                done => return done,
            };
            let seen = Self::announce(word);
            item = match self.try_push(item) {
                Err(PutError::Full(item)) => item,
                done => return done,
            };
            if waiter.park(seen) == Wake::TimedOut {
                // One last look: room made just as the time ran out.
                return self.try_push(item);
            }
        }
    }

    /// Puts `item` only if there is room now.
    pub(crate) fn try_put(&self, item: T) -> Result<(), PutError<T>> {
        self.try_push(item)
    }

    /// Takes the next item, waiting for one until `deadline`; `address`
    /// and `site` as in `put`.
    pub(crate) fn get(
        &self,
        deadline: Deadline,
        address: usize,
        site: &'static Location<'static>,
    ) -> Result<T, GetError> {
        let got = |pop| match pop {
            Pop::Item(item) => Some(Ok(item)),
            Pop::ShutDown => Some(Err(GetError::ShutDown)),
            Pop::Empty => None,
        };
        if let Some(done) = got(self.try_pop()) {
            return done;
        }
        if deadline.has_passed() {
            return Err(GetError::Empty);
        }
        let word = &self.words.0.not_empty;
        words::spin(&self.spinners.0, word, deadline, || self.can_get());
        let view = self.seen(address);
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(word, PARKED, deadline).on(WaitAs::new(&view, "get", site)) };
        loop {
            // First without announcing, as in `put`.
            if let Some(done) = got(self.try_pop()) {
                return done;
            }
            let seen = Self::announce(word);
            if let Some(done) = got(self.try_pop()) {
                return done;
            }
            if waiter.park(seen) == Wake::TimedOut {
                // One last look: an item put just as the time ran out.
                return got(self.try_pop()).unwrap_or(Err(GetError::Empty));
            }
        }
    }

    /// Takes the next item if there is one now.
    pub(crate) fn try_get(&self) -> Result<T, GetError> {
        match self.try_pop() {
            Pop::Item(item) => Ok(item),
            Pop::Empty => Err(GetError::Empty),
            Pop::ShutDown => Err(GetError::ShutDown),
        }
    }

    /// Adds `n` to `done`, never past the puts, and wakes `join` if that
    /// leaves no unfinished task. Fails, changing nothing, if a
    /// `task_done` (`n` 1) finds none unfinished.
    fn finish(&self, n: u64) -> Result<(), TaskDoneError> {
        // Acquire (here and on the CAS's failure): pairs with the Release
        // CAS of an earlier `finish`, so the puts that finish saw are seen
        // here too. With Relaxed, a `task_done` could read a `done` that
        // counts another thread's `task_done` beside a stale `tail` that
        // lacks the put it was for, and fail though a task is unfinished
        // (`loom_ring_task_done_never_spurious`).
        let mut done = self.done.0.load(Ordering::Acquire);
        loop {
            // Relaxed: a put that happened before this call (of an item
            // got, say) is seen by coherence; a concurrent one may or may
            // not be, as it is linearized at its CAS.
            let puts = self.count(self.tail.0.load(Ordering::Relaxed) & !MARK);
            if done >= puts && n != 0 {
                // `task_done` with nothing unfinished (a shutdown's `n`
                // of 0 only wakes).
                return Err(TaskDoneError);
            }
            let new = (done + n).min(puts);
            // Release: pairs with the Acquire load of `done` in
            // `unfinished`: what the thread did before `task_done` happens
            // before `join` returns.
            match self.done.0.compare_exchange_weak(done, new, Ordering::Release, Ordering::Acquire) {
                Ok(_) => {
                    if new == puts {
                        Self::wake(&self.words.0.all_done, true);
                    }
                    return Ok(());
                }
                Err(now) => done = now,
            }
        }
    }

    /// Python's `task_done()`.
    pub(crate) fn task_done(&self) -> Result<(), TaskDoneError> {
        self.finish(1)
    }

    /// Python's `unfinished_tasks`.
    pub(crate) fn unfinished(&self) -> u64 {
        // Acquire: pairs with the Release CAS in `finish`.
        let done = self.done.0.load(Ordering::Acquire);
        // Relaxed: `finish` read `tail` before its CAS, which we have just
        // seen, so this reads that value or a later one: `tail` never goes
        // back, so the difference is never negative.
        self.count(self.tail.0.load(Ordering::Relaxed) & !MARK) - done
    }

    /// Python's `join()`; `address` and `site` as in `put`.
    pub(crate) fn join(&self, address: usize, site: &'static Location<'static>) {
        if self.unfinished() == 0 {
            return;
        }
        let word = &self.words.0.all_done;
        let view = self.seen(address);
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        let waiter = unsafe { Waiter::new(word, PARKED, Deadline::NEVER).on(WaitAs::new(&view, "join", site)) };
        loop {
            let seen = Self::announce(word);
            if self.unfinished() == 0 {
                return;
            }
            waiter.park(seen);
        }
    }

    /// Python 3.13's `shutdown(immediate)`; returns the items discarded.
    pub(crate) fn shutdown(&self, immediate: bool) -> Vec<T> {
        // Relaxed: a put's CAS fails once the mark is set (RMW atomicity);
        // the fences in `wake` order it before the looks at the words.
        self.tail.0.fetch_or(MARK, Ordering::Relaxed);
        let mut discarded = Vec::new();
        if immediate {
            // Takes what is left, as gets would (waiting for puts that
            // claimed a position before the mark); ends on "shut down and
            // empty", as the mark stops further puts.
            while let Pop::Item(item) = self.try_pop() {
                discarded.push(item);
            }
            // Takes them off the unfinished tasks (never below zero, as
            // Python's loop), and wakes `join` if none is left.
            let _ = self.finish(discarded.len() as u64);
        }
        Self::wake(&self.words.0.not_empty, true);
        Self::wake(&self.words.0.not_full, true);
        discarded
    }

    /// Python's `is_shutdown`.
    pub(crate) fn is_shut_down(&self) -> bool {
        // Relaxed: the mark is set once and never cleared.
        self.tail.0.load(Ordering::Relaxed) & MARK != 0
    }

    /// Python's `qsize()`: a hint.
    pub(crate) fn len(&self) -> usize {
        self.len_view().get()
    }

    /// Python's `full()`: a hint.
    pub(crate) fn is_full(&self) -> bool {
        self.len() as u64 >= self.cap
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self`, no other thread.
        let tail = self.tail.0.load(Ordering::Relaxed) & !MARK;
        let mut p = self.head.0.load(Ordering::Relaxed);
        while p != tail {
            // SAFETY: the positions from `head` to `tail` hold items put
            // (every put finished: no other thread is left) and not got.
            self.slot(p).value.with_mut(|v| unsafe { (*v).assume_init_drop() });
            p = self.next(p);
        }
    }
}

impl<T> fmt::Debug for Ring<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ring")
            .field("items", &self.len())
            .field("unfinished_tasks", &self.unfinished())
            .field("shut_down", &self.is_shut_down())
            .finish()
    }
}
