//! `threading_names.py`: every thread has a name; unnamed ones get
//! `Thread-N`. Each thread prints its own name as it starts and exits.

use std::thread::sleep;
use std::time::Duration;

use threading::{current_thread, Thread};

fn worker() {
    println!("{} Starting", current_thread().name());
    sleep(Duration::from_secs_f64(0.2));
    println!("{} Exiting", current_thread().name());
}

fn my_service() {
    println!("{} Starting", current_thread().name());
    sleep(Duration::from_secs_f64(0.3));
    println!("{} Exiting", current_thread().name());
}

fn main() {
    let t = Thread::builder().name("my_service").target(my_service);
    let w = Thread::builder().name("worker").target(worker);
    let w2 = Thread::new(worker); // use default name

    w.start().expect("start");
    w2.start().expect("start");
    t.start().expect("start");
}
