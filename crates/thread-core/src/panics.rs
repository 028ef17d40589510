//! Panics inside a thread's target, below the excepthook: a process-wide
//! panic hook (installed when the first thread starts, chaining to the
//! previous one) that stays silent for the panics [`catching`] catches and
//! only records where they happened, so that the excepthook
//! (`crate::excepthook`) reports each one once; and a payload's text. A
//! leaf: `Thread` (dropping an unjoined payload), the excepthook and the
//! thread's run body all use it.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::Once;

thread_local! {
    static IN_TARGET: Cell<bool> = const { Cell::new(false) };
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook (once per process).
pub(crate) fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_TARGET.try_with(Cell::get).unwrap_or(false) {
                let at = info.location().map(|l| l.to_string());
                let _ = LOCATION.try_with(|l| *l.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f` (a thread's target, the excepthook) with the panic hook
/// silenced for the panics it catches; restores the previous setting, so
/// calls may nest.
pub(crate) fn catching<R>(f: impl FnOnce() -> R) -> R {
    let was = IN_TARGET.with(|c| c.replace(true));
    let r = f();
    IN_TARGET.with(|c| c.set(was));
    r
}

/// A panic payload as text: a `&str` or `String` payload, else `Box<dyn Any>`.
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

/// Where the last panic that [`catching`] silenced on this thread happened,
/// taken (`None` if none since the last call).
pub(crate) fn take_location() -> Option<String> {
    LOCATION.with(|l| l.borrow_mut().take())
}
