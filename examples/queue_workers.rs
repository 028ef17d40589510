//! The worker pool of Python's `queue` documentation (beyond the seed;
//! `examples/python/queue_workers.py`): one daemon worker takes items off
//! a `Queue` and marks each one done with `task_done()`; the main thread
//! puts thirty items and `join()` blocks until all thirty are done.

use std::sync::Arc;
use threading::queue::Queue;
use threading::Thread;

fn main() {
    let q = Arc::new(Queue::new(0));

    let worker_q = Arc::clone(&q);
    let worker = move || loop {
        // Nobody shuts this queue down: the daemon worker waits in get()
        // until the process exits, as Python's does.
        let Ok(item) = worker_q.get() else { return };
        println!("Working on {item}");
        println!("Finished {item}");
        worker_q.task_done().expect("one task_done per item got");
    };

    // Turn on the worker thread.
    Thread::builder().daemon(true).target(worker).start().unwrap();

    // Send thirty task requests to the worker.
    for item in 0..30 {
        q.put(item).unwrap();
    }

    // Block until all tasks are done.
    q.join();
    println!("All work completed");
}
