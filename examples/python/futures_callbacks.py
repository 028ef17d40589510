"""futures_callbacks.py: done-callbacks see a result, a failing task and a
cancelled one; a callback added to a finished future runs at once."""

import time
from concurrent.futures import ThreadPoolExecutor


def task(n):
    time.sleep(n / 10)
    if n == 2:
        raise ValueError(f"bad value {n}")
    return n * 10


def done(n, fn):
    if fn.cancelled():
        print(f"{n}: cancelled")
    elif fn.exception() is not None:
        print(f"{n}: error returned: {fn.exception()}")
    else:
        print(f"{n}: value returned: {fn.result()}")


with ThreadPoolExecutor(max_workers=1) as ex:
    print("main: starting")
    fs = []
    for n in [1, 2, 3]:
        f = ex.submit(task, n)
        f.add_done_callback(lambda fut, n=n: done(n, fut))
        fs.append(f)
    print(f"main: cancel 3: {fs[2].cancel()}")
    print("main: waiting")
print(f"main: cancel 1 once finished: {fs[0].cancel()}")
print("main: a callback added to a finished future runs at once:")
fs[0].add_done_callback(lambda fut: done(1, fut))
