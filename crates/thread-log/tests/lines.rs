//! Lines from many threads arrive whole: one `write` per event, never
//! interleaved, through a recording writer and through a real OS pipe.

use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use thread_core::Thread;
use thread_log::BasicConfig;
use tracing::Dispatch;

const THREADS: usize = 8;
const EVENTS: usize = 400;

/// A writer that keeps every `write` call as a separate chunk.
#[derive(Clone, Default)]
struct Chunks(Arc<Mutex<Vec<Vec<u8>>>>);

impl Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().push(buf.to_vec());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Starts THREADS named threads that each log EVENTS numbered lines through
/// `dispatch`, and joins them.
fn log_from_many_threads(dispatch: &Dispatch) {
    let threads: Vec<Thread> = (0..THREADS)
        .map(|t| {
            let dispatch = dispatch.clone();
            Thread::builder().name(format!("w{t}")).target(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    for i in 0..EVENTS {
                        tracing::info!(extra = i % 3, "event {i} {}", "x".repeat(i % 50));
                    }
                });
            })
        })
        .collect();
    for t in &threads {
        t.start().unwrap();
    }
    for t in &threads {
        assert!(t.join_timeout(Duration::from_secs(60)).unwrap(), "a logging thread hung");
    }
}

/// Checks that `text` holds exactly THREADS × EVENTS well-formed lines, each
/// thread's in order.
fn check_lines(text: &str) {
    let mut next = [0usize; THREADS];
    let mut count = 0;
    for line in text.lines() {
        let (name, rest) = line.split_once(' ').unwrap_or_else(|| panic!("malformed line {line:?}"));
        let t: usize =
            name.strip_prefix('w').and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("bad name {line:?}"));
        let i = next[t];
        let want = format!("INFO event {i} {} extra={}", "x".repeat(i % 50), i % 3);
        assert_eq!(rest, want, "line {count}: {line:?}");
        next[t] += 1;
        count += 1;
    }
    assert_eq!(count, THREADS * EVENTS);
    assert!(next.iter().all(|&n| n == EVENTS));
}

/// A subscriber at `level` in `format` whose writes `Chunks` records.
fn recording(level: tracing::Level, format: &str) -> (Chunks, Dispatch) {
    let chunks = Chunks::default();
    let sink = chunks.clone();
    let subscriber = BasicConfig::new(level, format).unwrap().writer(move || sink.clone()).subscriber();
    (chunks, Dispatch::new(subscriber))
}

#[test]
fn one_write_per_event() {
    let (chunks, dispatch) = recording(tracing::Level::DEBUG, "%(threadName)s %(levelname)s %(message)s");
    log_from_many_threads(&dispatch);
    let chunks = chunks.0.lock().unwrap();
    assert_eq!(chunks.len(), THREADS * EVENTS, "one write call per event");
    let mut all = String::new();
    for c in chunks.iter() {
        let s = std::str::from_utf8(c).unwrap();
        assert!(s.ends_with('\n') && s.matches('\n').count() == 1, "a write that is not one whole line: {s:?}");
        all.push_str(s);
    }
    check_lines(&all);
}

#[test]
fn never_interleaved_through_a_pipe() {
    let (mut reader, writer) = io::pipe().unwrap();
    let writer = Arc::new(writer);
    let reading = std::thread::spawn(move || {
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        text
    });
    let w = Arc::clone(&writer);
    let subscriber = BasicConfig::new(tracing::Level::DEBUG, "%(threadName)s %(levelname)s %(message)s")
        .unwrap()
        .writer(move || w.as_ref().try_clone().unwrap())
        .subscriber();
    let dispatch = Dispatch::new(subscriber);
    log_from_many_threads(&dispatch);
    drop(dispatch);
    drop(writer);
    check_lines(&reading.join().unwrap());
}

#[test]
fn level_filter_and_rename() {
    let (chunks, dispatch) = recording(tracing::Level::INFO, "(%(threadName)-10s) %(levelname)s %(message)s");
    let t = Thread::builder().name("before").target(move || {
        tracing::dispatcher::with_default(&dispatch, || {
            tracing::debug!("filtered out");
            tracing::info!("first");
            thread_core::current_thread().set_name("after");
            tracing::warn!("second");
            tracing::error!(code = 7, "third");
            tracing::info!(only = "fields", n = 2);
        });
    });
    t.start().unwrap();
    t.join().unwrap();
    let text: String = chunks.0.lock().unwrap().iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
    assert_eq!(text, "(before    ) INFO first\n(after     ) WARNING second\n(after     ) ERROR third code=7\n(after     ) INFO only=fields n=2\n");
}
