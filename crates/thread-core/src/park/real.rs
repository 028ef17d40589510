//! The real backend of the parking layer: `parking_lot_core`, with this
//! layer's types converted at the boundary (the conversions compile to
//! nothing).

use super::{FilterOp, ParkResult, ParkToken, RequeueOp, UnparkResult, UnparkToken};
use crate::clock::Deadline;
use parking_lot_core as plc;

fn from_plc(r: plc::UnparkResult) -> UnparkResult {
    UnparkResult {
        unparked_threads: r.unparked_threads,
        requeued_threads: r.requeued_threads,
        have_more_threads: r.have_more_threads,
        be_fair: r.be_fair,
    }
}

pub(super) unsafe fn park(
    key: usize,
    validate: impl FnOnce() -> bool,
    before_sleep: impl FnOnce(),
    timed_out: impl FnOnce(usize, bool),
    park_token: ParkToken,
    deadline: Deadline,
) -> ParkResult {
    // SAFETY: the contract of `park` is the caller's (see `super::park`).
    let r =
        unsafe { plc::park(key, validate, before_sleep, timed_out, plc::ParkToken(park_token.0), deadline.instant()) };
    match r {
        plc::ParkResult::Unparked(t) => ParkResult::Unparked(UnparkToken(t.0)),
        plc::ParkResult::Invalid => ParkResult::Invalid,
        plc::ParkResult::TimedOut => ParkResult::TimedOut,
    }
}

pub(super) unsafe fn unpark_one(key: usize, callback: impl FnOnce(UnparkResult) -> UnparkToken) -> UnparkResult {
    // SAFETY: the contract is the caller's (see `super::unpark_one`).
    from_plc(unsafe { plc::unpark_one(key, |r| plc::UnparkToken(callback(from_plc(r)).0)) })
}

pub(super) unsafe fn unpark_all(key: usize, token: UnparkToken) -> usize {
    // SAFETY: the contract is the caller's (see `super::unpark_all`).
    unsafe { plc::unpark_all(key, plc::UnparkToken(token.0)) }
}

pub(super) unsafe fn unpark_filter(
    key: usize,
    mut filter: impl FnMut(ParkToken) -> FilterOp,
    callback: impl FnOnce(UnparkResult) -> UnparkToken,
) -> UnparkResult {
    // SAFETY: the contract is the caller's (see `super::unpark_filter`).
    from_plc(unsafe {
        plc::unpark_filter(
            key,
            |t| match filter(ParkToken(t.0)) {
                FilterOp::Unpark => plc::FilterOp::Unpark,
                FilterOp::Skip => plc::FilterOp::Skip,
                FilterOp::Stop => plc::FilterOp::Stop,
            },
            |r| plc::UnparkToken(callback(from_plc(r)).0),
        )
    })
}

pub(super) unsafe fn unpark_requeue(
    key_from: usize,
    key_to: usize,
    validate: impl FnOnce() -> RequeueOp,
    callback: impl FnOnce(RequeueOp, UnparkResult) -> UnparkToken,
) -> UnparkResult {
    fn to_plc(op: RequeueOp) -> plc::RequeueOp {
        match op {
            RequeueOp::Abort => plc::RequeueOp::Abort,
            RequeueOp::UnparkOneRequeueRest => plc::RequeueOp::UnparkOneRequeueRest,
            RequeueOp::RequeueAll => plc::RequeueOp::RequeueAll,
            RequeueOp::UnparkOne => plc::RequeueOp::UnparkOne,
        }
    }
    fn from_op(op: plc::RequeueOp) -> RequeueOp {
        match op {
            plc::RequeueOp::UnparkOneRequeueRest => RequeueOp::UnparkOneRequeueRest,
            plc::RequeueOp::RequeueAll => RequeueOp::RequeueAll,
            plc::RequeueOp::UnparkOne => RequeueOp::UnparkOne,
            // `RequeueOne` is never produced by `to_plc`.
            _ => RequeueOp::Abort,
        }
    }
    // SAFETY: the contract is the caller's (see `super::unpark_requeue`).
    from_plc(unsafe {
        plc::unpark_requeue(
            key_from,
            key_to,
            || to_plc(validate()),
            |op, r| plc::UnparkToken(callback(from_op(op), from_plc(r)).0),
        )
    })
}
