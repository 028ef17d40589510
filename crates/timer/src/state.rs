//! The state word of one timer: who decides whether its function runs.
//!
//! # State machine
//!
//! One `AtomicU8` per timer. Every transition is a compare-and-swap, so of
//! two threads racing out of the same state exactly one wins, and the loser
//! sees what the winner decided:
//!
//! | from        | to          | by                                                       |
//! |-------------|-------------|----------------------------------------------------------|
//! | `IDLE`      | `PENDING`   | `start()` ([`TimerState::arm`])                          |
//! | `IDLE`      | `CANCELLED` | `cancel()` before `start()`                              |
//! | `PENDING`   | `LAUNCHING` | the service, when the deadline is near ([`TimerState::begin_launch`]) |
//! | `PENDING`   | `CANCELLED` | `cancel()`: the timer's thread is abandoned, no OS thread is made |
//! | `LAUNCHING` | `FIRED`     | the timer's own thread, at the deadline ([`TimerState::fire`]) |
//! | `LAUNCHING` | `CANCELLED` | `cancel()`: the timer's thread sees it and returns       |
//!
//! `FIRED` and `CANCELLED` are final. The function runs only on the thread
//! that moved `LAUNCHING → FIRED`, and only after that move; a `cancel()`
//! that moved the word to `CANCELLED` returns `true`, and from then on no
//! transition to `FIRED` is possible. So after `cancel()` returns, the
//! function either had already started (`FIRED` won: `cancel()` is
//! `false`) or never will.
//!
//! Whoever leaves `PENDING` also owns the timer's deferred start (the
//! service launches it, `cancel()` abandons it); the state word decides
//! which one, a mutex beside it only hands the value over.

use thread_core::__private::atomic::{AtomicU8, Ordering};

/// Created, not started.
const IDLE: u8 = 0;
/// Started: waiting in the service's queue, no OS thread.
const PENDING: u8 = 1;
/// Due: its OS thread exists and waits for the exact deadline.
const LAUNCHING: u8 = 2;
/// The function runs, or has run.
const FIRED: u8 = 3;
/// Cancelled before the function started: it never runs.
const CANCELLED: u8 = 4;

/// What a successful or failed [`TimerState::cancel`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cancel {
    /// The timer had not been started; `start()` will stop it at once.
    BeforeStart,
    /// The timer was waiting in the queue: abandon its deferred start.
    WhilePending,
    /// The timer's OS thread exists and will see the cancellation.
    WhileLaunching,
    /// Too late: the function had started, or the timer was already
    /// cancelled.
    TooLate,
}

impl Cancel {
    /// Whether this call kept the function from running.
    #[inline]
    pub(crate) fn kept_from_running(self) -> bool {
        self != Cancel::TooLate
    }
}

/// The state word of one timer (see the module documentation).
pub(crate) struct TimerState {
    /// `IDLE`, `PENDING`, `LAUNCHING`, `FIRED` or `CANCELLED`.
    word: AtomicU8,
}

impl Default for TimerState {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for TimerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl TimerState {
    /// A timer not yet started.
    #[must_use]
    pub(crate) fn new() -> Self {
        TimerState { word: AtomicU8::new(IDLE) }
    }

    #[inline]
    fn cas(&self, from: u8, to: u8) -> Result<u8, u8> {
        // AcqRel: the Release half publishes what the winner wrote before
        // the move (the deadline and the deferred start, set by `start`
        // before `arm`); the Acquire half lets the next mover (the service's
        // `begin_launch`, a `cancel`, the timer thread's `fire`) see it.
        self.word.compare_exchange(from, to, Ordering::AcqRel, Ordering::Acquire)
    }

    /// `IDLE → PENDING`, by `start()`. False if the timer was cancelled
    /// before it was started.
    #[inline]
    pub(crate) fn arm(&self) -> bool {
        self.cas(IDLE, PENDING).is_ok()
    }

    /// `PENDING → LAUNCHING`, by the service when the deadline is near.
    /// False if the timer was cancelled: do not launch it.
    #[inline]
    pub(crate) fn begin_launch(&self) -> bool {
        self.cas(PENDING, LAUNCHING).is_ok()
    }

    /// `LAUNCHING → FIRED`, by the timer's own thread at the deadline. True
    /// means: run the function now; false: it was cancelled, return.
    #[inline]
    pub(crate) fn fire(&self) -> bool {
        self.cas(LAUNCHING, FIRED).is_ok()
    }

    /// Any live state `→ CANCELLED`, by `cancel()`; reports where it was.
    pub(crate) fn cancel(&self) -> Cancel {
        // Acquire: pairs with the AcqRel moves above, so the state seen is
        // the latest decision and what its maker published is visible.
        let mut cur = self.word.load(Ordering::Acquire);
        loop {
            let outcome = match cur {
                IDLE => Cancel::BeforeStart,
                PENDING => Cancel::WhilePending,
                LAUNCHING => Cancel::WhileLaunching,
                _ => return Cancel::TooLate,
            };
            match self.cas(cur, CANCELLED) {
                Ok(_) => return outcome,
                Err(now) => cur = now,
            }
        }
    }

    /// Whether the timer was cancelled before its function started.
    #[inline]
    pub(crate) fn is_cancelled(&self) -> bool {
        // Acquire: pairs with the AcqRel move to CANCELLED.
        self.word.load(Ordering::Acquire) == CANCELLED
    }

    /// The state as a word for `Debug`: `initial`, `pending`, `launching`,
    /// `fired` or `cancelled`.
    pub(crate) fn describe(&self) -> &'static str {
        match self.word.load(Ordering::Relaxed) {
            IDLE => "initial",
            PENDING => "pending",
            LAUNCHING => "launching",
            FIRED => "fired",
            _ => "cancelled",
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! The state machine's transitions one by one, and what each state
    //! prints as.
    use super::*;

    fn at(word: u8) -> TimerState {
        let s = TimerState::new();
        s.word.store(word, Ordering::Relaxed);
        s
    }

    #[test]
    fn a_timer_goes_idle_pending_launching_fired() {
        let s = TimerState::default();
        assert_eq!((s.describe(), format!("{s:?}")), ("initial", "initial".to_owned()));
        assert!(!s.begin_launch() && !s.fire(), "only from the state before");
        assert!(s.arm());
        assert_eq!(s.describe(), "pending");
        assert!(!s.arm());
        assert!(s.begin_launch());
        assert_eq!(s.describe(), "launching");
        assert!(s.fire());
        assert_eq!(format!("{s:?}"), "fired");
        assert!(!s.is_cancelled());
        assert_eq!(s.cancel(), Cancel::TooLate);
        assert!(!s.cancel().kept_from_running());
        assert_eq!(s.describe(), "fired");
    }

    #[test]
    fn a_cancel_says_what_it_stopped_and_ends_every_later_move() {
        for (word, found) in
            [(IDLE, Cancel::BeforeStart), (PENDING, Cancel::WhilePending), (LAUNCHING, Cancel::WhileLaunching)]
        {
            let s = at(word);
            assert_eq!(s.cancel(), found);
            assert!(found.kept_from_running());
            assert!(s.is_cancelled());
            assert_eq!(format!("{s:?}"), "cancelled");
            assert!(!s.arm() && !s.begin_launch() && !s.fire());
            assert_eq!(s.cancel(), Cancel::TooLate, "cancelled already");
        }
        assert!(!at(PENDING).is_cancelled());
    }
}
