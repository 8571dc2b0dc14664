# The article's "Example using ThreadPoolExecutor": executor.map(greet, names)
# with max_workers=3. Scaled: TASKS names instead of three, WORKERS threads
# (default 3); the results are consumed, as the article's for loop does, and
# the wall time printed as JSON.
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def greet(name):
    return f"Hello, {name}!"


if __name__ == "__main__":
    tasks = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    names = [f"name{i}" for i in range(tasks)]
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as executor:
        results = executor.map(greet, names)
        n = sum(1 for _ in results)
    wall = time.perf_counter() - start
    assert n == tasks
    print(json.dumps({"wall": wall, "items": tasks}))
