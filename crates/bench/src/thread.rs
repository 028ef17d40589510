//! `thread_start_join`: ns per thread start + join.

use crate::measure::{compare, timed, Config, Contender};
use crate::Report;

/// `n` × (create a thread with an empty body, start it, join it): ours is
/// `thread_core::Thread` (registered, named, joinable as Python's), the
/// peer `std::thread::spawn` + `join`. Both use the default stack size.
pub(crate) fn start_join(cfg: &Config, report: &Report) {
    let contenders = vec![
        Contender::new("ours", |n| {
            timed(n, || {
                let t = thread_core::Thread::new(|| {});
                t.start().unwrap();
                t.join().unwrap();
            })
        }),
        Contender::new("std", |n| {
            timed(n, || {
                std::thread::spawn(|| {}).join().unwrap();
            })
        }),
    ];
    report.results(&compare(cfg, contenders));
}
