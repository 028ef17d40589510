//! `threading_names_log.py`: the thread name in every log line, through
//! the logging format code `%(threadName)s`.

use std::thread::sleep;
use std::time::Duration;

use threading::Thread;
use tracing::debug;

fn worker() {
    debug!("Starting");
    sleep(Duration::from_secs_f64(0.2));
    debug!("Exiting");
}

fn my_service() {
    debug!("Starting");
    sleep(Duration::from_secs_f64(0.3));
    debug!("Exiting");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "[%(levelname)s] (%(threadName)-10s) %(message)s");

    let t = Thread::builder().name("my_service").target(my_service);
    let w = Thread::builder().name("worker").target(worker);
    let w2 = Thread::new(worker); // use default name

    w.start().expect("start");
    w2.start().expect("start");
    t.start().expect("start");
}
