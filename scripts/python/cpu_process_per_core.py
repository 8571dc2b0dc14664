# The article's "Multiprocessing Example": square_numbers in one Process per
# core, joined. Scaled: WORKERS processes share TOTAL iterations of the loop
# (the article gives each 1 000 000), so that any number of workers does the
# same work; the wall time, process start-up included, printed as JSON.
import json
import multiprocessing
import sys
import time


def square_numbers(lo, hi):
    for i in range(lo, hi):
        i * i


if __name__ == "__main__":
    workers, total = int(sys.argv[1]), int(sys.argv[2])
    bounds = [total * w // workers for w in range(workers + 1)]
    start = time.perf_counter()
    processes = []
    for w in range(workers):
        p = multiprocessing.Process(target=square_numbers, args=(bounds[w], bounds[w + 1]))
        processes.append(p)
        p.start()
    for p in processes:
        p.join()
    print(json.dumps({"wall": time.perf_counter() - start, "items": total}))
