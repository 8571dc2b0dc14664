# The article's "Example using Lock": THREADS threads (5) each add INCREMENTS
# (10 000) to a counter under a threading.Lock. Scaled: sizes from the command
# line; the wall time and the final value printed as JSON.
import json
import sys
import threading
import time

counter = 0
lock = threading.Lock()


def increment(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


if __name__ == "__main__":
    nthreads, n = int(sys.argv[1]), int(sys.argv[2])
    start = time.perf_counter()
    threads = [threading.Thread(target=increment, args=(n,)) for _ in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    assert counter == nthreads * n, counter
    print(json.dumps({"wall": wall, "items": counter, "total": counter}))
