//! Executor row: `executor_10k_tasks`.
//!
//! One figure is the time to submit 10,000 trivial tasks to a pool of 4
//! workers and collect every result, divided by 10,000: ns per submit +
//! result. Each pool is built, and its 4 workers started, before the clock
//! starts; the samples reuse it.
//!
//! Peers: the `threadpool` crate (`execute`, each result sent over an
//! `mpsc` channel and received in the caller) and `rayon` (`spawn` on a
//! 4-thread pool, results over a channel): the way each is used when a
//! caller needs the results back, since neither returns a handle.

use crate::measure::{compare_fixed, Config, FixedRun};
use crate::Report;
use std::sync::mpsc;
use std::time::Instant;

const TASKS: u64 = 10_000;
/// The pause before each sample, untimed: rayon's idle workers spin for a
/// while after a burst, and would otherwise take the CPUs of whichever
/// contender runs next.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(20);
const WORKERS: usize = 4;

/// The sum every contender must get: each task returns `i * 2`.
fn expected_sum() -> u64 {
    (0..TASKS).map(|i| i * 2).sum()
}

#[cfg(feature = "executor")]
fn ours(pool: &executor::ThreadPoolExecutor) -> f64 {
    std::thread::sleep(SETTLE);
    let t0 = Instant::now();
    let futures: Vec<_> = (0..TASKS).map(|i| pool.submit(move || i * 2).expect("submit")).collect();
    let sum: u64 = futures.into_iter().map(|f| f.into_result().expect("task")).sum();
    let ns = t0.elapsed().as_nanos() as f64;
    assert_eq!(sum, expected_sum());
    ns / TASKS as f64
}

fn threadpool_crate(pool: &threadpool::ThreadPool) -> f64 {
    std::thread::sleep(SETTLE);
    let t0 = Instant::now();
    let (tx, rx) = mpsc::channel();
    for i in 0..TASKS {
        let tx = tx.clone();
        pool.execute(move || tx.send(i * 2).expect("receiver alive"));
    }
    drop(tx);
    let sum: u64 = rx.iter().take(TASKS as usize).sum();
    let ns = t0.elapsed().as_nanos() as f64;
    assert_eq!(sum, expected_sum());
    ns / TASKS as f64
}

fn rayon_spawn(pool: &rayon::ThreadPool) -> f64 {
    std::thread::sleep(SETTLE);
    let t0 = Instant::now();
    let (tx, rx) = mpsc::channel();
    for i in 0..TASKS {
        let tx = tx.clone();
        pool.spawn(move || tx.send(i * 2).expect("receiver alive"));
    }
    drop(tx);
    let sum: u64 = rx.iter().take(TASKS as usize).sum();
    let ns = t0.elapsed().as_nanos() as f64;
    assert_eq!(sum, expected_sum());
    ns / TASKS as f64
}

/// ns per submit + result: 10,000 trivial tasks on 4 workers.
pub(crate) fn tasks_10k(cfg: &Config, report: &Report) {
    let samples = cfg.fixed_samples(7, 21);
    #[cfg(feature = "executor")]
    let ours_pool = {
        let p = executor::ThreadPoolExecutor::new(WORKERS);
        // Start the 4 workers before the clock: 4 tasks that each wait
        // until all 4 are running.
        let started = std::sync::Arc::new(std::sync::Barrier::new(WORKERS));
        let fs: Vec<_> = (0..WORKERS)
            .map(|_| {
                let s = started.clone();
                p.submit(move || {
                    s.wait();
                })
                .expect("submit")
            })
            .collect();
        for f in fs {
            f.into_result().expect("warm-up task");
        }
        p
    };
    let tp = threadpool::ThreadPool::new(WORKERS);
    let rp = rayon::ThreadPoolBuilder::new().num_threads(WORKERS).build().expect("rayon pool");
    let mut contenders: Vec<FixedRun<'_>> = Vec::new();
    #[cfg(feature = "executor")]
    contenders.push(("ours", Box::new(|| ours(&ours_pool))));
    #[cfg(not(feature = "executor"))]
    report.ours_missing("threading-executor");
    contenders.push(("threadpool", Box::new(|| threadpool_crate(&tp))));
    contenders.push(("rayon", Box::new(|| rayon_spawn(&rp))));
    // One untimed round each first, so no contender pays for first use.
    for (_, run) in contenders.iter_mut() {
        run();
    }
    report.results(&compare_fixed(samples, contenders));
}
