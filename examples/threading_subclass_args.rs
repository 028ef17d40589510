//! `threading_subclass_args.py`: a `Runnable` that keeps the `args` and
//! `kwargs` it was made with where its `run` can see them, and logs them
//! as Python prints a tuple and a dict.

use std::fmt::{self, Display};

use threading::{Runnable, Thread};
use tracing::debug;

/// A Python value's `repr()`, for the few kinds this program passes.
trait Repr {
    fn repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl Repr for i32 {
    fn repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl Repr for &str {
    fn repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{self}'")
    }
}

/// A one-element tuple: `(0,)`.
impl<A: Repr> Repr for (A,) {
    fn repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(")?;
        self.0.repr(f)?;
        f.write_str(",)")
    }
}

/// A dict, in its iteration order: `{'b': 'B', 'a': 'A'}`.
struct Dict<K, V>(Vec<(K, V)>);

impl<K: Repr, V: Repr> Repr for Dict<K, V> {
    fn repr(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            k.repr(f)?;
            f.write_str(": ")?;
            v.repr(f)?;
        }
        f.write_str("}")
    }
}

/// `%s` of a value: its repr (as `str()` of a tuple or dict is).
struct Str<'a, T>(&'a T);

impl<T: Repr> Display for Str<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.repr(f)
    }
}

struct MyThreadWithArgs {
    args: (i32,),
    kwargs: Dict<&'static str, &'static str>,
}

impl Runnable for MyThreadWithArgs {
    fn run(self) {
        debug!("running with {} and {}", Str(&self.args), Str(&self.kwargs));
    }
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    for i in 0..5 {
        // The seed ran on a Python whose dicts iterated in hash order and
        // printed this dict as {'b': 'B', 'a': 'A'}; ours keeps insertion
        // order, so the pairs are listed in the order the seed printed.
        let kwargs = Dict(vec![("b", "B"), ("a", "A")]);
        let t = Thread::from_runnable(MyThreadWithArgs { args: (i,), kwargs });
        t.start().expect("start");
    }
}
