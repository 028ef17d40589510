//! `semaphore_uncontended`: ns per acquire + release on one thread.

use crate::measure::{compare, timed, Config, Contender};
use crate::Report;
use std::hint::black_box;
use std::sync::{Condvar, Mutex};

/// The peer: a counting semaphore on a std `Mutex` + `Condvar`, Python's
/// design (`release` notifies under the lock, `acquire` waits while 0).
struct MutexCondvarSemaphore {
    value: Mutex<usize>,
    cv: Condvar,
}

impl MutexCondvarSemaphore {
    fn new(value: usize) -> Self {
        MutexCondvarSemaphore { value: Mutex::new(value), cv: Condvar::new() }
    }
    fn acquire(&self) {
        let mut v = self.value.lock().unwrap();
        while *v == 0 {
            v = self.cv.wait(v).unwrap();
        }
        *v -= 1;
    }
    fn release(&self) {
        let mut v = self.value.lock().unwrap();
        *v += 1;
        self.cv.notify_one();
    }
}

pub(crate) fn uncontended(cfg: &Config, report: &Report) {
    let peer = MutexCondvarSemaphore::new(1);
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-semaphore")]
    let ours = sync_semaphore::Semaphore::new(1);
    #[cfg(feature = "sync-semaphore")]
    contenders.push(Contender::new("ours", |n| {
        timed(n, || {
            black_box(&ours).acquire();
            black_box(&ours).release();
        })
    }));
    #[cfg(not(feature = "sync-semaphore"))]
    report.ours_missing("sync-semaphore");
    contenders.push(Contender::new("mutex_condvar", |n| {
        timed(n, || {
            black_box(&peer).acquire();
            black_box(&peer).release();
        })
    }));
    report.results(&compare(cfg, contenders));
}
