//! `threading_barrier.py`: three workers wait at a `Barrier` of three and
//! are released together, each with its arrival index.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{current_thread, Barrier, Thread};

fn worker(barrier: &Barrier) {
    println!("{} waiting for barrier with {} others", current_thread().name(), barrier.n_waiting());
    let worker_id = barrier.wait().expect("the barrier is never broken here");
    println!("{} after barrier {}", current_thread().name(), worker_id);
}

const NUM_THREADS: usize = 3;

fn main() {
    let barrier = Arc::new(Barrier::new(NUM_THREADS));

    let threads: Vec<Thread> = (0..NUM_THREADS)
        .map(|i| {
            let b = Arc::clone(&barrier);
            Thread::builder().name(format!("worker-{i}")).target(move || worker(&b))
        })
        .collect();

    for t in &threads {
        println!("{} starting", t.name());
        t.start().expect("start");
        sleep(Duration::from_secs_f64(0.1));
    }

    for t in &threads {
        t.join().expect("join");
    }
}
