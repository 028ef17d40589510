//! `threading_barrier_abort.py`: three workers wait at a `Barrier` of four,
//! which can never fill; the main thread aborts it and every worker gets
//! `BrokenBarrierError`.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{current_thread, Barrier, BrokenBarrierError, Thread};

fn worker(barrier: &Barrier) {
    println!("{} waiting for barrier with {} others", current_thread().name(), barrier.n_waiting());
    match barrier.wait() {
        Err(BrokenBarrierError) => println!("{} aborting", current_thread().name()),
        Ok(worker_id) => println!("{} after barrier {}", current_thread().name(), worker_id),
    }
}

const NUM_THREADS: usize = 3;

fn main() {
    let barrier = Arc::new(Barrier::new(NUM_THREADS + 1));

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

    barrier.abort();

    for t in &threads {
        t.join().expect("join");
    }
}
