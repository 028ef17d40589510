//! `futures_as_completed.py`: `as_completed` yields futures as they finish,
//! `wait` returns at the first, and a timeout ends the wait.

use std::thread::sleep;
use std::time::Duration;

use threading::futures::{as_completed, wait, ReturnWhen, ThreadPoolExecutor};

fn task(n: u64) -> (u64, u64) {
    sleep(Duration::from_millis(n * 100));
    (n, n * n)
}

fn main() {
    let slow;
    {
        let ex = ThreadPoolExecutor::new(5);
        println!("main: starting");
        let wait_for: Vec<_> = [3, 1, 4, 2].map(|n| ex.submit(move || task(n)).expect("submit")).into();
        for f in as_completed(&wait_for, None) {
            let (n, square) = *f.expect("no timeout").result().expect("task");
            println!("main: result: {n} squared is {square}");
        }

        let fs = [5, 1].map(|n| ex.submit(move || task(n)).expect("submit"));
        let r = wait(&fs, None, ReturnWhen::FirstCompleted);
        let done: Vec<_> = r.done.iter().map(|f| *f.result().expect("task")).collect();
        println!("main: first completed: {done:?}, not done: {}", r.not_done.len());

        slow = ex.submit(|| task(6)).expect("submit");
        for f in as_completed([&slow], Some(Duration::from_millis(100))) {
            match f {
                Ok(_) => println!("main: never printed"),
                Err(e) => println!("main: timed out: {e}"),
            }
        }
    }
    println!("main: slow finished after the pool shut down: {:?}", slow.result().expect("task"));
}
