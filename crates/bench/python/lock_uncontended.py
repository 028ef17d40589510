"""lock_uncontended: ns per acquire+release of threading.Lock, 1 thread."""

import threading

from common import emit, now, per_op


def run(n):
    lock = threading.Lock()
    t0 = now()
    for _ in range(n):
        with lock:
            pass
    return now() - t0


emit("lock_uncontended", per_op(run))
