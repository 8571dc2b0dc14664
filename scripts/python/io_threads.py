# The article's "Threading in Python" example: one thread per file, each
# waiting LATENCY seconds. Scaled: FILES and LATENCY from the command line, no
# per-file prints, the wall time printed as JSON.
import json
import sys
import threading
import time


def download_file(file_num, latency):
    # Simulate a delay
    time.sleep(latency)


def main():
    files, latency = int(sys.argv[1]), float(sys.argv[2])
    start = time.perf_counter()
    threads = []
    for i in range(files):
        t = threading.Thread(target=download_file, args=(i + 1, latency))
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"wall": time.perf_counter() - start, "items": files}))


if __name__ == "__main__":
    main()
