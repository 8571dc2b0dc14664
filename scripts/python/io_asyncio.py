# The article's "AsyncIO" example: TASKS coroutines each awaiting
# asyncio.sleep(LATENCY), gathered. Scaled: sizes from the command line, no
# per-task prints, the wall time printed as JSON.
import asyncio
import json
import sys
import time


async def fetch_data(task_id, latency):
    await asyncio.sleep(latency)


async def gather_all(n, latency):
    tasks = [fetch_data(i, latency) for i in range(n)]
    await asyncio.gather(*tasks)


def main():
    n, latency = int(sys.argv[1]), float(sys.argv[2])
    start = time.perf_counter()
    asyncio.run(gather_all(n, latency))
    print(json.dumps({"wall": time.perf_counter() - start, "items": n}))


if __name__ == "__main__":
    main()
