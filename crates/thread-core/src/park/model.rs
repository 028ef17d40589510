//! The model backend of the parking layer, used under `cfg(loom)`.
//!
//! One table per model execution (a `loom::lazy_static`) behind a loom
//! `Mutex`: a FIFO queue of parked threads (each with its key, token,
//! deadline and its own `Condvar`), the tokens handed to threads that were
//! unparked but have not yet woken. The model clock's tick lives in
//! `crate::clock`; [`fire`] and [`fire_final`] advance it under the table
//! lock.
//!
//! Loom never lets a timed wait expire on its own, so the model plays the
//! clock: a deadline is a tick (`Deadline::after(0)` is "now", any other
//! timeout "the next tick"), and a model that exercises timeouts spawns a
//! clock thread which calls [`fire`] (advance one tick, expire due waiters)
//! or [`fire_final`] (expire every deadline, present and future). Loom then
//! chooses where, among the primitive's own steps, the timeout fires.
//!
//! The protocol is the real backend's: validation under the table lock;
//! a timed-out waiter leaves the queue and runs `timed_out(key,
//! was_last_thread)` under the lock when it wakes, so exactly one of an
//! unpark and a timeout wins, as in `parking_lot_core`. `be_fair` is true on
//! every second unpark of an execution, so both the barging and the
//! hand-off paths of a primitive are explored.
//!
//! The table's `Arc`s are `std`'s on purpose: a loom `Arc` still held by a
//! thread that loom found deadlocked aborts the test binary during cleanup
//! (tokio-rs/loom#291), and models that expect a deadlock must report it.

use super::{FilterOp, ParkResult, ParkToken, RequeueOp, UnparkResult, UnparkToken};
use crate::clock::{self, Deadline};
use loom::sync::{Condvar, Mutex, MutexGuard};
use std::collections::VecDeque;
use std::sync::Arc;

struct Waiter {
    id: u64,
    key: usize,
    token: ParkToken,
    deadline: Option<u64>,
    expired: bool,
    cv: Arc<Condvar>,
}

#[derive(Default)]
struct Table {
    final_fired: bool,
    next_id: u64,
    unparks: u64,
    queue: VecDeque<Waiter>,
    /// Threads unparked but not yet awake, with the token they receive.
    woken: Vec<(u64, UnparkToken)>,
}

loom::lazy_static! {
    static ref TABLE: Mutex<Table> = Mutex::new(Table::default());
}

fn table() -> MutexGuard<'static, Table> {
    TABLE.lock().unwrap()
}

impl Table {
    fn has_key(&self, key: usize) -> bool {
        self.queue.iter().any(|w| w.key == key)
    }

    fn wake(&mut self, w: Waiter, token: UnparkToken) {
        self.woken.push((w.id, token));
        w.cv.notify_one();
    }

    fn take(&mut self, ids: &[u64]) -> Vec<Waiter> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let pos = self.queue.iter().position(|w| w.id == *id).expect("chosen waiter is queued");
            out.push(self.queue.remove(pos).expect("position is in range"));
        }
        out
    }
}

/// Advances the model clock by one tick and times out every parked thread
/// whose deadline is now due. Call it from a model's clock thread; it never
/// blocks.
pub fn fire() {
    let mut t = table();
    let now = clock::advance_to(clock::now() + 1);
    for w in t.queue.iter_mut() {
        if !w.expired && w.deadline.is_some_and(|d| d <= now) {
            w.expired = true;
            w.cv.notify_one();
        }
    }
}

/// Expires every deadline, present and future: every parked thread with a
/// deadline times out, and every later timed park times out at once. Use it
/// only where a timeout is the sole way out of a model (it would hide a lost
/// wake-up in a timed wait), and [`fire`] elsewhere.
pub fn fire_final() {
    let mut t = table();
    t.final_fired = true;
    clock::advance_to(u64::MAX / 2);
    for w in t.queue.iter_mut() {
        if !w.expired && w.deadline.is_some() {
            w.expired = true;
            w.cv.notify_one();
        }
    }
}

pub(super) unsafe fn park(
    key: usize,
    validate: impl FnOnce() -> bool,
    before_sleep: impl FnOnce(),
    timed_out: impl FnOnce(usize, bool),
    token: ParkToken,
    deadline: Deadline,
) -> ParkResult {
    let mut t = table();
    if !validate() {
        return ParkResult::Invalid;
    }
    let id = t.next_id;
    t.next_id += 1;
    let deadline = deadline.instant();
    let expired = deadline.is_some_and(|d| t.final_fired || d <= clock::now());
    let cv = Arc::new(Condvar::new());
    t.queue.push_back(Waiter { id, key, token, deadline, expired, cv: cv.clone() });
    drop(t);
    before_sleep();
    let mut t = table();
    loop {
        if let Some(pos) = t.woken.iter().position(|(w, _)| *w == id) {
            let (_, token) = t.woken.swap_remove(pos);
            return ParkResult::Unparked(token);
        }
        let pos = t.queue.iter().position(|w| w.id == id).expect("a parked thread is queued or woken");
        if t.queue[pos].expired {
            // The key the thread is parked on *now*: an `unpark_requeue` may
            // have moved it since it parked (parking_lot_core likewise hands
            // `timed_out` the current key).
            let key = t.queue.remove(pos).expect("position is in range").key;
            let was_last = !t.has_key(key);
            timed_out(key, was_last);
            return ParkResult::TimedOut;
        }
        t = cv.wait(t).unwrap();
    }
}

fn next_fair(t: &mut Table) -> bool {
    t.unparks += 1;
    t.unparks.is_multiple_of(2)
}

pub(super) unsafe fn unpark_one(key: usize, callback: impl FnOnce(UnparkResult) -> UnparkToken) -> UnparkResult {
    let mut t = table();
    let Some(pos) = t.queue.iter().position(|w| w.key == key) else {
        let r = UnparkResult::default();
        callback(r);
        return r;
    };
    let w = t.queue.remove(pos).expect("position is in range");
    let r = UnparkResult {
        unparked_threads: 1,
        requeued_threads: 0,
        have_more_threads: t.has_key(key),
        be_fair: next_fair(&mut t),
    };
    let token = callback(r);
    t.wake(w, token);
    r
}

pub(super) unsafe fn unpark_all(key: usize, token: UnparkToken) -> usize {
    let mut t = table();
    let ids: Vec<u64> = t.queue.iter().filter(|w| w.key == key).map(|w| w.id).collect();
    for w in t.take(&ids) {
        t.wake(w, token);
    }
    ids.len()
}

pub(super) unsafe fn unpark_filter(
    key: usize,
    mut filter: impl FnMut(ParkToken) -> FilterOp,
    callback: impl FnOnce(UnparkResult) -> UnparkToken,
) -> UnparkResult {
    let mut t = table();
    let mut ids = Vec::new();
    for w in t.queue.iter().filter(|w| w.key == key) {
        match filter(w.token) {
            FilterOp::Unpark => ids.push(w.id),
            FilterOp::Skip => {}
            FilterOp::Stop => break,
        }
    }
    let chosen = t.take(&ids);
    let mut r =
        UnparkResult { unparked_threads: chosen.len(), have_more_threads: t.has_key(key), ..UnparkResult::default() };
    if !chosen.is_empty() {
        r.be_fair = next_fair(&mut t);
    }
    let token = callback(r);
    for w in chosen {
        t.wake(w, token);
    }
    r
}

pub(super) unsafe fn unpark_requeue(
    key_from: usize,
    key_to: usize,
    validate: impl FnOnce() -> RequeueOp,
    callback: impl FnOnce(RequeueOp, UnparkResult) -> UnparkToken,
) -> UnparkResult {
    let mut t = table();
    let op = validate();
    if op == RequeueOp::Abort {
        return UnparkResult::default();
    }
    let mut from: Vec<u64> = t.queue.iter().filter(|w| w.key == key_from).map(|w| w.id).collect();
    let wake_one = matches!(op, RequeueOp::UnparkOne | RequeueOp::UnparkOneRequeueRest);
    let first = if wake_one && !from.is_empty() { Some(from.remove(0)) } else { None };
    let requeue = if op == RequeueOp::UnparkOne { Vec::new() } else { from };
    // A requeued thread joins the tail of the target queue, as in
    // parking_lot_core.
    for mut w in t.take(&requeue) {
        w.key = key_to;
        t.queue.push_back(w);
    }
    let woken = first.map(|id| t.take(&[id]).pop().expect("taken"));
    // As parking_lot_core: only `UnparkOne` reports whether threads remain
    // on `key_from`; the requeueing operations empty it and report `false`,
    // even when `key_from == key_to`.
    let mut r = UnparkResult {
        unparked_threads: usize::from(woken.is_some()),
        requeued_threads: requeue.len(),
        have_more_threads: op == RequeueOp::UnparkOne && t.has_key(key_from),
        be_fair: false,
    };
    if woken.is_some() {
        r.be_fair = next_fair(&mut t);
    }
    let token = callback(op, r);
    if let Some(w) = woken {
        t.wake(w, token);
    }
    r
}
