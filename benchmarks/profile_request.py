"""Profile one page or one step completion in-process (no HTTP server), on a
database made by benchmarks/generate.py. Shows where a request's time goes and
the SQL it runs:

    .venv/bin/python benchmarks/profile_request.py --config benchmarks/bench.ini /tasks
    .venv/bin/python benchmarks/profile_request.py --config benchmarks/bench.ini --complete 500 --n 50
    .venv/bin/python benchmarks/profile_request.py --config benchmarks/bench.ini /training/people --sql

Prints the mean time per request, the statements of one request (--sql) and
the top functions by cumulative time.
"""
import argparse
import cProfile
import logging
import os
import pstats
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("path", nargs="?", default="/tasks")
    parser.add_argument("--complete", type=int, help="complete the open step of runs from this id on")
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print the statements of one request")
    parser.add_argument("--top", type=int, default=25)
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
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/tasks").text).group(1)
    steps = app.sops[-1][1]["steps"]

    def one(i):
        if args.complete is None:
            res = web.get(args.path)
            assert res.status_int == 200, res.status
            return
        run_id = args.complete + i
        step = steps[(run_id - 1) % len(steps)]
        branch = step["branches"][0]["label"] if step.get("branches") else ""
        res = web.post(f"/runs/{run_id}/complete", {"csrf_token": token, "notes": "bench", "branch": branch})
        assert res.status_int == 303, res.status

    one(0)                                         # warm up (templates, caches)
    if args.sql:
        logger = logging.getLogger("peewee")
        handler = logging.StreamHandler(sys.stdout)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        one(1)
        logger.removeHandler(handler)
        logger.setLevel(logging.WARNING)
    profiler = cProfile.Profile()
    t = time.perf_counter()
    profiler.enable()
    for i in range(2, args.n + 2):
        one(i)
    profiler.disable()
    print(f"\n{(time.perf_counter() - t) / args.n * 1000:.1f} ms per request (profiled)\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
