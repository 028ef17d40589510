"""queue_shutdown: Python 3.13's Queue.shutdown().

A plain shutdown() makes put() fail at once while get() still hands out
what is queued and then fails; shutdown(immediate=True) discards what is
queued (which also releases join()); both wake threads blocked in get().

Queue.shutdown and queue.ShutDown are new in Python 3.13. On an older
Python this script defines them itself below, following the 3.13
documentation, so that it still runs; there the output shows what that
stand-in does, not CPython's own code.
"""

import queue
import threading
import time

if hasattr(queue.Queue, 'shutdown'):
    Queue, ShutDown = queue.Queue, queue.ShutDown
else:
    class ShutDown(Exception):
        """Stand-in for Python 3.13's queue.ShutDown."""

    class Queue(queue.Queue):
        """queue.Queue with a stand-in for 3.13's shutdown(immediate)."""

        def __init__(self, maxsize=0):
            super().__init__(maxsize)
            self.is_shutdown = False

        def put(self, item, block=True, timeout=None):
            with self.not_full:
                if self.is_shutdown:
                    raise ShutDown
                while self.maxsize > 0 and self._qsize() >= self.maxsize:
                    self.not_full.wait()
                    if self.is_shutdown:
                        raise ShutDown
                self._put(item)
                self.unfinished_tasks += 1
                self.not_empty.notify()

        def get(self, block=True, timeout=None):
            with self.not_empty:
                while not self._qsize():
                    if self.is_shutdown:
                        raise ShutDown
                    self.not_empty.wait()
                item = self._get()
                self.not_full.notify()
                return item

        def shutdown(self, immediate=False):
            with self.mutex:
                self.is_shutdown = True
                if immediate:
                    while self._qsize():
                        self._get()
                        if self.unfinished_tasks > 0:
                            self.unfinished_tasks -= 1
                    self.all_tasks_done.notify_all()
                self.not_empty.notify_all()
                self.not_full.notify_all()

# 1. A plain shutdown: puts fail, gets drain what is left.
q = Queue()
for item in range(3):
    q.put(item)
q.shutdown()
try:
    q.put(3)
except ShutDown:
    print('put(3) after shutdown(): ShutDown')
while True:
    try:
        print(f'got {q.get()}')
    except ShutDown:
        print('get() on the drained queue: ShutDown')
        break

# 2. An immediate shutdown: what is queued is discarded, join() returns.
q = Queue()
for item in range(3):
    q.put(item)
print(f'before shutdown(immediate=True): qsize={q.qsize()} unfinished={q.unfinished_tasks}')
q.shutdown(immediate=True)
print(f'after: qsize={q.qsize()} unfinished={q.unfinished_tasks}')
q.join()
print('join() returned')
try:
    q.get()
except ShutDown:
    print('get(): ShutDown')

# 3. Consumers blocked in get() are woken by shutdown().
q = Queue()
results = []


def consumer():
    name = threading.current_thread().name
    while True:
        try:
            item = q.get()
        except ShutDown:
            results.append(f'{name} woken by shutdown')
            return
        results.append(f'{name} got {item}')
        q.task_done()


consumers = [threading.Thread(target=consumer, name=f'consumer-{i}') for i in range(3)]
for c in consumers:
    c.start()
time.sleep(0.1)
q.shutdown()
for c in consumers:
    c.join()
for line in sorted(results):
    print(line)
