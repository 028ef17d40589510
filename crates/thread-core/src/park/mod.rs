//! The parking layer: where a thread that must block waits, keyed by an
//! address.
//!
//! A primitive keeps its state in one atomic word. Only when a thread must
//! block does it come here: it *parks* on a key (normally the address of
//! that word) if a validation, run under the layer's internal lock, still
//! holds; another thread *unparks* one, some or all threads parked on the
//! key, oldest first. Because validation and unparking are serialised by
//! the same lock, a waker that changes the word and then unparks can never
//! slip between a parker's check and its sleep: no lost wake-ups.
//!
//! The API mirrors `parking_lot_core`'s (callbacks that run under the queue
//! lock, `timed_out(key, was_last_thread)`, unpark results telling whether
//! threads remain) so that a primitive can clear its "has waiters" bit in
//! the same step as the last waiter leaves. Two backends implement it:
//!
//! * real (`cfg(not(loom))`): `parking_lot_core` itself;
//! * model (`cfg(loom)`): `model`, a plain table on loom's `Mutex` and
//!   `Condvar` with a model clock, so loom explores every interleaving of a
//!   primitive's atomics *and* of park/unpark, timeouts included.
//!
//! Only the wait path (`crate::wait`) calls this module: every blocking
//! call of the workspace goes through there.

#[cfg(loom)]
pub(crate) mod model;
#[cfg(loom)]
use model as backend;

#[cfg(not(loom))]
mod real;
#[cfg(not(loom))]
use real as backend;

use crate::clock::Deadline;

/// A value a parked thread leaves for whoever unparks it (e.g. which kind of
/// waiter it is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParkToken(pub usize);

/// A value handed by the unparker to the thread it wakes (e.g. "the lock is
/// yours": a direct hand-off).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnparkToken(pub usize);

/// How a [`park`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParkResult {
    /// Woken by an unpark call, with the token it handed over.
    Unparked(UnparkToken),
    /// The validation returned false: the thread did not sleep.
    Invalid,
    /// The deadline passed first (the `timed_out` callback has run).
    TimedOut,
}

/// What an unpark call did, as seen by its callback and its caller.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UnparkResult {
    /// How many threads were woken.
    pub unparked_threads: usize,
    /// How many threads were moved to another key (requeue only).
    pub requeued_threads: usize,
    /// Whether threads are still parked on the key.
    pub have_more_threads: bool,
    /// Whether this unpark should hand the resource over directly, so that
    /// no waiter is starved by threads that keep barging in (the real
    /// backend says so about every half millisecond, as `parking_lot` does).
    pub be_fair: bool,
}

/// The decision of a wake-up filter (`wait::wake_filter`) about one parked thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterOp {
    /// Wake this thread.
    Unpark,
    /// Leave it parked and look at the next.
    Skip,
    /// Leave it and every later thread parked.
    Stop,
}

/// The decision of a requeue's validation (`wait::requeue`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequeueOp {
    /// Do nothing.
    Abort,
    /// Wake the first thread and move the rest to the target key.
    UnparkOneRequeueRest,
    /// Move every thread to the target key.
    RequeueAll,
    /// Wake the first thread only.
    UnparkOne,
}

/// The default token handed over by an unpark.
pub(crate) const DEFAULT_UNPARK_TOKEN: UnparkToken = UnparkToken(0);

/// Parks the calling thread on `key` until it is unparked or `deadline`
/// passes, provided `validate()` returns true.
///
/// `validate` runs under the queue lock of `key`; if it returns false the
/// thread does not sleep and [`ParkResult::Invalid`] is returned.
/// `before_sleep` runs after the thread is queued and the lock released.
/// On timeout, `timed_out(key, was_last_thread)` runs under the queue lock,
/// after the thread has left the queue, so that it can clear a "has waiters"
/// bit atomically with respect to unparkers.
///
/// # Safety
///
/// `key` must be an address the caller controls (so that unrelated
/// primitives do not share queues), and the callbacks must not panic nor
/// call any function of this module.
#[inline]
pub(crate) unsafe fn park(
    key: usize,
    validate: impl FnOnce() -> bool,
    before_sleep: impl FnOnce(),
    timed_out: impl FnOnce(usize, bool),
    park_token: ParkToken,
    deadline: Deadline,
) -> ParkResult {
    // SAFETY: the caller upholds the contract, which is the backend's.
    unsafe { backend::park(key, validate, before_sleep, timed_out, park_token, deadline) }
}

/// Unparks the oldest thread parked on `key`, if any. `callback` runs under
/// the queue lock, after the thread is chosen but before it wakes, and
/// returns the token the thread receives.
///
/// # Safety
///
/// The callback must not panic nor call any function of this module.
#[inline]
pub(crate) unsafe fn unpark_one(key: usize, callback: impl FnOnce(UnparkResult) -> UnparkToken) -> UnparkResult {
    // SAFETY: the caller upholds the contract, which is the backend's.
    unsafe { backend::unpark_one(key, callback) }
}

/// Unparks every thread parked on `key`, handing each `token`; returns how
/// many were woken.
///
/// # Safety
///
/// None beyond calling it with a key the caller controls; it is `unsafe`
/// for symmetry with the backend.
#[inline]
pub(crate) unsafe fn unpark_all(key: usize, token: UnparkToken) -> usize {
    // SAFETY: the caller upholds the contract, which is the backend's.
    unsafe { backend::unpark_all(key, token) }
}

/// Unparks the threads on `key` that `filter` chooses, oldest first.
/// `callback` runs under the queue lock once the choice is made and
/// returns the token every chosen thread receives.
///
/// # Safety
///
/// The filter and callback must not panic nor call any function of this
/// module.
#[inline]
pub(crate) unsafe fn unpark_filter(
    key: usize,
    filter: impl FnMut(ParkToken) -> FilterOp,
    callback: impl FnOnce(UnparkResult) -> UnparkToken,
) -> UnparkResult {
    // SAFETY: the caller upholds the contract, which is the backend's.
    unsafe { backend::unpark_filter(key, filter, callback) }
}

/// Moves threads parked on `key_from` to `key_to`, optionally waking the
/// first, as `validate` decides (under both queue locks). `callback` runs
/// under the locks too, with the decision and the result, and returns the
/// token for the woken thread. Used by a condition variable to move its
/// waiters onto the lock's queue instead of waking them all at once.
///
/// # Safety
///
/// The callbacks must not panic nor call any function of this module.
#[inline]
pub(crate) unsafe fn unpark_requeue(
    key_from: usize,
    key_to: usize,
    validate: impl FnOnce() -> RequeueOp,
    callback: impl FnOnce(RequeueOp, UnparkResult) -> UnparkToken,
) -> UnparkResult {
    // SAFETY: the caller upholds the contract, which is the backend's.
    unsafe { backend::unpark_requeue(key_from, key_to, validate, callback) }
}
