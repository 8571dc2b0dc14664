# The article's "Multiprocessing" example: Pool().map(compute_square, numbers).
# Scaled: ITEMS numbers instead of four, PROCESSES (default: one per core),
# no per-item prints. "wall" times the map alone; "startup" the pool's
# creation and shutdown around it.
import json
import multiprocessing
import sys
import time


def compute_square(n):
    return n * n


if __name__ == "__main__":
    items = int(sys.argv[1])
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else None
    numbers = range(items)
    t0 = time.perf_counter()
    with multiprocessing.Pool(procs) as pool:
        t1 = time.perf_counter()
        results = pool.map(compute_square, numbers)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    assert len(results) == items and results[-1] == (items - 1) ** 2
    print(json.dumps({"wall": t2 - t1, "startup": (t1 - t0) + (t3 - t2), "items": items}))
