"""CPU and wall time of one page, in-process (no server, no network): what the server spends on it.

    .venv/bin/python benchmarks/time_page.py --config benchmarks/bench.ini /training/people --n 200

Logs in as the generator's ``bench`` user, warms up, then requests the page ``--n`` times and prints
server CPU ms per request (process time: the figure that holds on a shared machine) and p50/p95 wall.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("path")
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    import webtest

    from core.app import build
    from core.testing import TEST_PASSWORD
    app = build(args.config)
    app.startup()
    web = webtest.TestApp(app.wsgi, extra_environ={"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:80"})
    form = web.get("/login").forms[0]
    form["username"], form["password"] = "bench", TEST_PASSWORD
    form.submit()
    for _ in range(5):
        web.get(args.path)
    wall, cpu0 = [], time.process_time()
    for _ in range(args.n):
        t = time.perf_counter()
        web.get(args.path)
        wall.append((time.perf_counter() - t) * 1000)
    cpu = (time.process_time() - cpu0) / args.n * 1000
    wall.sort()
    print(f"{args.path}: CPU {cpu:.2f} ms/req; wall p50 {wall[len(wall) // 2]:.1f} p95 {wall[int(len(wall) * .95)]:.1f} ms "
          f"({args.n} requests)")


if __name__ == "__main__":
    main()
