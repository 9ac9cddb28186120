"""Drive the real server (waitress, started here) and measure latency, throughput,
start-up time and memory. Run after benchmarks/generate.py on the same config:

    .venv/bin/python benchmarks/load.py --config benchmarks/bench.ini --requests 200

Prints a JSON object and a Markdown table for docs/performance.md. One client,
sequential requests on one keep-alive connection (p50/p95/p99 per page), then
step completions (a write with its audit row) as fast as one client can.
"""
import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {}

    def request(self, method, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        res = self.conn.getresponse()
        text = res.read().decode("utf-8", "replace")
        for header in res.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return res.status, text


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    from core.app import build
    from core.testing import TEST_PASSWORD
    build(args.config)          # to know the SOP (first_branch); the server is a separate process

    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "core.cli", "--config", args.config, "serve", "--port", str(port),
                               "--no-jobs", "--threads", "4"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            try:
                Session(port).request("GET", "/healthz")
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(server.stderr.read().decode())
                time.sleep(0.02)
        startup = time.perf_counter() - started
        s = Session(port)
        _st, page = s.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        s.request("POST", "/login", {"username": "bench", "password": TEST_PASSWORD, "csrf_token": token})
        _st, page = s.request("GET", "/tasks")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        pages = {"task inbox": "/tasks", "list with search": "/training/people?q=Budi",
                 "record with history": "/training/people/1", "compliance report": "/compliance"}
        status, _t = s.request("GET", "/tracer/recap")
        if status == 200:
            pages["tracer recap"] = "/tracer/recap"
        results = {}
        for label, path in pages.items():
            s.request("GET", path)                                  # warm up
            times = []
            for _ in range(args.requests):
                t = time.perf_counter()
                status, _text = s.request("GET", path)
                times.append((time.perf_counter() - t) * 1000)
                assert status == 200, (path, status)
            results[label] = {"p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1),
                              "p99": round(percentile(times, 99), 1), "rps": round(1000 / statistics.mean(times), 1)}
        # Step completion: complete the open step of runs, newest first.
        done, t = 0, time.perf_counter()
        for run_id in range(1, args.writes + 1):
            status, _text = s.request("POST", f"/runs/{run_id}/complete",
                                      {"csrf_token": token, "notes": "bench", "branch": first_branch(run_id)})
            done += status == 303
        elapsed = time.perf_counter() - t
        results["step completion"] = {"per_second": round(done / elapsed, 1), "completed": done}
        out = {"config": args.config, "startup_s": round(startup, 2), "rss_mb": rss_mb(server.pid), "pages": results}
        print(json.dumps(out, indent=2))
        print("\n| page | p50 ms | p95 ms | p99 ms | req/s |\n|---|---|---|---|---|")
        for label, r in results.items():
            if "p50" in r:
                print(f"| {label} | {r['p50']} | {r['p95']} | {r['p99']} | {r['rps']} |")
        print(f"| step completion (write + audit) | | | | {results['step completion']['per_second']} |")
        print(f"\nstart-up {out['startup_s']} s, memory {out['rss_mb']} MB")
    finally:
        server.terminate()
        server.wait(10)


_steps = []


def first_branch(run_id):
    """The generator put run i at step (i-1) mod n of the last SOP; a decision needs its first branch."""
    if not _steps:
        from core.app import current
        _steps.extend(current().sops[-1][1]["steps"])
    step = _steps[(run_id - 1) % len(_steps)]
    return step["branches"][0]["label"] if step.get("branches") else ""


if __name__ == "__main__":
    main()
