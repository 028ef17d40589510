//! `threading_simple.py`: the simplest use of a thread — a target function
//! and `start()`. Five threads each print `Worker`.

use threading::Thread;

/// thread worker function
fn worker() {
    println!("Worker");
}

fn main() {
    let mut threads = Vec::new();
    for _ in 0..5 {
        let t = Thread::new(worker);
        threads.push(t.clone());
        t.start().expect("start");
    }
    // As in Python, main ends here; the process waits for the five
    // (non-daemon) threads before it exits.
}
