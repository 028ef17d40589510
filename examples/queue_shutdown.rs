//! Python 3.13's `Queue.shutdown()` (beyond the seed;
//! `examples/python/queue_shutdown.py`): a plain `shutdown(false)` makes
//! `put` fail at once while `get` still hands out what is queued and then
//! fails; `shutdown(true)` discards what is queued (which also releases
//! `join`); both wake threads blocked in `get`.

use std::sync::Arc;
use std::time::Duration;
use threading::queue::{PutError, Queue, ShutDown};
use threading::{current_thread, Mutex, Thread};

fn main() {
    // 1. A plain shutdown: puts fail, gets drain what is left.
    let q = Queue::new(0);
    for item in 0..3 {
        q.put(item).unwrap();
    }
    q.shutdown(false);
    if let Err(PutError::ShutDown(item)) = q.put(3) {
        println!("put({item}) after shutdown(): ShutDown");
    }
    loop {
        match q.get() {
            Ok(item) => println!("got {item}"),
            Err(ShutDown) => {
                println!("get() on the drained queue: ShutDown");
                break;
            }
        }
    }

    // 2. An immediate shutdown: what is queued is discarded, join() returns.
    let q = Queue::new(0);
    for item in 0..3 {
        q.put(item).unwrap();
    }
    println!("before shutdown(immediate=True): qsize={} unfinished={}", q.qsize(), q.unfinished_tasks());
    q.shutdown(true);
    println!("after: qsize={} unfinished={}", q.qsize(), q.unfinished_tasks());
    q.join();
    println!("join() returned");
    if q.get() == Err(ShutDown) {
        println!("get(): ShutDown");
    }

    // 3. Consumers blocked in get() are woken by shutdown().
    let q: Arc<Queue<u32>> = Arc::new(Queue::new(0));
    let lines = Arc::new(Mutex::new(Vec::new()));
    let consumers: Vec<Thread> = (0..3)
        .map(|i| {
            let (q, lines) = (Arc::clone(&q), Arc::clone(&lines));
            Thread::builder().name(format!("consumer-{i}")).target(move || {
                let name = current_thread().name();
                loop {
                    match q.get() {
                        Ok(item) => {
                            lines.lock().push(format!("{name} got {item}"));
                            q.task_done().unwrap();
                        }
                        Err(ShutDown) => {
                            lines.lock().push(format!("{name} woken by shutdown"));
                            return;
                        }
                    }
                }
            })
        })
        .collect();
    for c in &consumers {
        c.start().unwrap();
    }
    std::thread::sleep(Duration::from_millis(100));
    q.shutdown(false);
    for c in &consumers {
        c.join().unwrap();
    }
    let mut lines = lines.lock().clone();
    lines.sort();
    for line in lines {
        println!("{line}");
    }
}
