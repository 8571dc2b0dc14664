# The article's square_numbers run in threads instead of processes: what its
# note on the GIL predicts ("threads in Python cannot achieve true parallelism
# for CPU-heavy tasks"). WORKERS threads share TOTAL iterations of the loop;
# the wall time printed as JSON.
import json
import sys
import threading
import time


def square_numbers(lo, hi):
    for i in range(lo, hi):
        i * i


if __name__ == "__main__":
    workers, total = int(sys.argv[1]), int(sys.argv[2])
    bounds = [total * w // workers for w in range(workers + 1)]
    start = time.perf_counter()
    threads = [threading.Thread(target=square_numbers, args=(bounds[w], bounds[w + 1])) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"wall": time.perf_counter() - start, "items": total}))
