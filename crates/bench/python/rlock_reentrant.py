"""rlock_reentrant: ns per nested acquire+release (acquire, acquire again,
release, release) of threading.RLock, 1 thread."""

import threading

from common import emit, now, per_op


def run(n):
    rlock = threading.RLock()
    t0 = now()
    for _ in range(n):
        with rlock:
            with rlock:
                pass
    return now() - t0


emit("rlock_reentrant", per_op(run))
