//! `futures_map.py`: `ThreadPoolExecutor::map` gives the results in the
//! order of the items, whatever order the tasks finish in.

use std::thread::sleep;
use std::time::Duration;

use threading::futures::ThreadPoolExecutor;

fn task(n: u64) -> f64 {
    println!("sleeping {n}");
    sleep(Duration::from_millis(n * 100));
    println!("done with {n}");
    n as f64 / 10.0
}

fn main() {
    // Python's `with` block: dropping `ex` at its end waits for the work.
    {
        let ex = ThreadPoolExecutor::new(2);
        println!("main: starting");
        let results = ex.map(task, [6, 2, 3, 4]).expect("the executor is running");
        println!("main: waiting for real results");
        let real_results: Vec<f64> = results.map(|r| r.expect("task")).collect();
        println!("main: results: {real_results:?}");
        let mut names: Vec<String> = threading::enumerate().iter().map(|t| format!("'{}'", t.name())).collect();
        names.sort();
        println!("main: threads: [{}]", names.join(", "));
    }
}
