//! `basic_config` installs once, globally, and a second call changes
//! nothing (Python's rule); an invalid format panics.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn installs_once_then_does_nothing() {
    let buf = Buf::default();
    let sink = buf.clone();
    let installed = thread_log::BasicConfig::new(tracing::Level::DEBUG, "%(levelname)s:%(name)s:%(message)s")
        .unwrap()
        .writer(move || sink.clone())
        .init();
    assert!(installed);
    // Python's basicConfig does nothing once configured: this must not win.
    thread_log::basic_config(tracing::Level::ERROR, "IGNORED %(message)s");
    tracing::debug!(target: "root", "hello {}", 1);
    tracing::trace!("not at DEBUG");
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert_eq!(text, "DEBUG:root:hello 1\n");
}

#[test]
#[should_panic(expected = "unknown field 'threadname'")]
fn invalid_format_panics() {
    thread_log::basic_config(tracing::Level::DEBUG, "%(threadname)s");
}
