//! Jobs handed out by priority, lowest number first (beyond the seed;
//! `examples/python/queue_priority.py`). The jobs are queued before the
//! worker starts, so it takes them strictly in priority order; equal
//! priorities are ordered by the description, as tuples compare.

use std::sync::Arc;
use threading::queue::PriorityQueue;
use threading::Thread;

fn main() {
    let q = Arc::new(PriorityQueue::new(0));

    for (priority, description) in
        [(3, "Mid-level job"), (10, "Low-level job"), (1, "Important job"), (3, "Another mid-level job")]
    {
        println!("New job: {description} (priority {priority})");
        q.put((priority, description)).unwrap();
    }

    let jobs = Arc::clone(&q);
    let worker = Thread::builder().name("worker").target(move || {
        // Python's `get_nowait()` until it raises `queue.Empty`.
        while let Ok((priority, description)) = jobs.try_get() {
            println!("Processing job: {description} (priority {priority})");
            jobs.task_done().unwrap();
        }
    });
    worker.start().unwrap();
    worker.join().unwrap();
    q.join();
    println!("All jobs done; {} left", q.qsize());
}
