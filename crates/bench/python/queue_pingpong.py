"""queue_pingpong: ns per round trip, two threads handing a number back and
forth through two queue.Queue(1)s."""

import queue
import threading

from common import emit, now, per_op

WARM = 16


def run(n):
    a, b = queue.Queue(1), queue.Queue(1)

    def partner():
        for _ in range(n + WARM):
            b.put(a.get() + 1)

    t = threading.Thread(target=partner)
    t.start()
    for i in range(WARM):
        a.put(i)
        b.get()
    t0 = now()
    for i in range(n):
        a.put(i)
        b.get()
    d = now() - t0
    t.join()
    return d


emit("queue_pingpong", per_op(run))
