//! `futures_callbacks.py`: done-callbacks see a result, a failing task and
//! a cancelled one; a callback added to a finished future runs at once.

use std::thread::sleep;
use std::time::Duration;

use threading::futures::{Future, FutureError, ThreadPoolExecutor};

fn task(n: u64) -> u64 {
    sleep(Duration::from_millis(n * 100));
    if n == 2 {
        // Python's `raise ValueError(...)`: the panic is the future's error.
        panic!("bad value {n}");
    }
    n * 10
}

fn done(n: u64, f: &Future<u64>) {
    match f.result() {
        Err(FutureError::Cancelled) => println!("{n}: cancelled"),
        Err(error) => println!("{n}: error returned: {error}"),
        Ok(value) => println!("{n}: value returned: {value}"),
    }
}

fn main() {
    let mut fs = Vec::new();
    {
        let ex = ThreadPoolExecutor::new(1);
        println!("main: starting");
        for n in [1, 2, 3] {
            let f = ex.submit(move || task(n)).expect("submit");
            f.add_done_callback(move |f| done(n, f));
            fs.push(f);
        }
        println!("main: cancel 3: {}", if fs[2].cancel() { "True" } else { "False" });
        println!("main: waiting");
    }
    println!("main: cancel 1 once finished: {}", if fs[0].cancel() { "True" } else { "False" });
    println!("main: a callback added to a finished future runs at once:");
    fs[0].add_done_callback(|f| done(1, f));
}
