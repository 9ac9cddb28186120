"""Drive the real server (``balai serve``, waitress, started here) and the bare
reference app (benchmarks/reference.py) over the same database, and measure
latency, throughput, step completions, start-up time and memory. Run after
benchmarks/generate.py on the same config:

    .venv/bin/python benchmarks/load.py --config benchmarks/bench.ini --requests 100 --writes 200

Prints a JSON object and Markdown tables for docs/performance.md.

- Pages: one client, sequential requests on one keep-alive connection
  (p50/p95/p99 per page and requests per second).
- Step completions: ``--clients`` clients (default 4) at once, each on its own
  runs; a completion counts when the database shows the step done (the route
  answers 303 to refusals too), for Balai and for the reference doing the same writes.
- Start-up: process start to the first answer of /healthz (median of three).
- Memory: resident size of the server after every request of the run, and its peak.
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
import threading
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
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
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


def cpu_seconds(pid):
    """CPU time (user + system) a process has used: per request, a figure that holds on a
    shared machine, where wall-clock latency includes waiting for a core."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid):
    """(resident now, peak resident) in MB."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line[:5]] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out.get("VmRSS"), out.get("VmHWM")


# ---------------------------------------------------------------- servers

def server_env():
    """The servers run from byte-compiled modules, as an installed deployment does (pip
    compiles at install): a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise have each
    start compile every module of the project again (~0.25 s of CPU)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "core", "plugins", "benchmarks"], cwd=ROOT, check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


_ENV = {}


def start(command):
    """Start a server; return (process, port, seconds to the first /healthz answer). The CPU
    seconds the process used up to then are kept on it (``proc.startup_cpu``): on a shared
    machine the wall time mostly measures waiting for a core."""
    port = free_port()
    started = time.perf_counter()
    if not _ENV:
        _ENV.update(server_env())
    proc = subprocess.Popen(command + ["--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=_ENV)
    while True:
        try:
            Session(port).request("GET", "/healthz")
            proc.startup_cpu = cpu_seconds(proc.pid)
            return proc, port, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None:
                sys.exit(proc.stderr.read().decode())
            time.sleep(0.01)


def stop(proc):
    proc.terminate()
    proc.wait(10)


def balai_command(config):
    return [sys.executable, "-m", "core.cli", "--config", config, "serve", "--no-jobs", "--threads", "4"]


def reference_command(config):
    return [sys.executable, os.path.join(ROOT, "benchmarks", "reference.py"), "--config", config, "--threads", "4"]


def login(port):
    s = Session(port)
    from core.testing import TEST_PASSWORD
    _st, page = s.request("GET", "/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    s.request("POST", "/login", {"username": "bench", "password": TEST_PASSWORD, "csrf_token": token})
    _st, page = s.request("GET", "/tasks")
    s.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return s


# ---------------------------------------------------------------- measuring

def measure_page(s, path, n, pid):
    s.request("GET", path)                                  # warm up
    times = []
    cpu = cpu_seconds(pid)
    for _ in range(n):
        t = time.perf_counter()
        status, _text = s.request("GET", path)
        times.append((time.perf_counter() - t) * 1000)
        assert status == 200, (path, status)
    cpu_ms = (cpu_seconds(pid) - cpu) * 1000 / n
    return {"p50": round(percentile(times, 50), 1), "p95": round(percentile(times, 95), 1),
            "p99": round(percentile(times, 99), 1), "rps": round(1000 / statistics.mean(times), 1),
            "cpu_ms": round(cpu_ms, 1)}


def untouched_runs(n):
    """Active runs no earlier benchmark completed a step of (notes "bench"), still where the
    generator put them, so first_branch() knows their open step. Shuffled: the writes spread."""
    import random
    from core import db
    from core.tracker.models import Run, RunStep
    with db.connection():
        touched = RunStep.select(RunStep.run).where(RunStep.notes == "bench")
        ids = [r for (r,) in Run.select(Run.id).where((Run.status == "active") & Run.id.not_in(touched))
               .order_by(Run.id).limit(n * 3).tuples()]
    # A step anchored on a date of its subject (the SOP's step 6: the wave's close) is refused
    # for the generator's bare subjects, by design: those runs are left out.
    ids = [i for i in ids if not _steps[(i - 1) % len(_steps)].get("anchor")]
    if len(ids) < n:
        sys.exit(f"only {len(ids)} untouched runs left: generate the data again")
    random.Random(7).shuffle(ids)
    return ids[:n]


def completions_done(run_ids, since):
    """Steps of these runs the database shows done since ``since`` (UTC)."""
    from core import db
    from core.tracker.models import RunStep
    with db.connection():
        return (RunStep.select().where(RunStep.run.in_(run_ids) & (RunStep.status == "done")
                                       & (RunStep.completed_at >= since)).count())


def measure_writes(sessions, post, run_ids, pid):
    """Each session completes its share of ``run_ids`` at once; completions per second (counted in
    the database) and the server's CPU time per completion."""
    from core import db
    since = db.utcnow()
    cpu = cpu_seconds(pid)
    shares = [run_ids[i::len(sessions)] for i in range(len(sessions))]
    errors = []

    def work(s, share):
        try:
            for run_id in share:
                post(s, run_id)
        except Exception as exc:          # reported, not swallowed
            errors.append(repr(exc))
    threads = [threading.Thread(target=work, args=(s, share)) for s, share in zip(sessions, shares)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    cpu = cpu_seconds(pid) - cpu
    done = completions_done(run_ids, since)
    return {"per_second": round(done / elapsed, 1), "completed": done, "attempted": len(run_ids), "errors": errors[:3],
            "cpu_ms": round(cpu * 1000 / max(done, 1), 1), "per_cpu_second": round(done / cpu, 1) if cpu else None}


_steps = []


def first_branch(run_id):
    """The generator put run i at step (i-1) mod n of the last SOP; a decision needs its first branch."""
    step = _steps[(run_id - 1) % len(_steps)]
    return step["branches"][0]["label"] if step.get("branches") else ""


def balai_complete(s, run_id):
    s.request("POST", f"/runs/{run_id}/complete", {"csrf_token": s.csrf, "notes": "bench", "branch": first_branch(run_id)})


def reference_complete(s, run_id):
    s.request("POST", f"/complete/{run_id}", {"notes": "bench"})


# ---------------------------------------------------------------- the run

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--writes", type=int, default=200, help="step completions per app")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients completing steps")
    args = parser.parse_args()
    from core.app import build
    app = build(args.config)    # to know the SOP (first_branch) and read the database; servers are separate processes
    _steps.extend(app.sops[-1][1]["steps"])

    startups, startup_cpu = [], []
    for _ in range(2):
        proc, _port, seconds = start(balai_command(args.config))
        startups.append(seconds)
        startup_cpu.append(proc.startup_cpu)
        stop(proc)
    server, port, seconds = start(balai_command(args.config))
    startups.append(seconds)
    startup_cpu.append(server.startup_cpu)
    reference, ref_port, _s = start(reference_command(args.config))
    try:
        rss_start = memory_mb(server.pid)[0]
        s = login(port)
        r = Session(ref_port)
        pages = {"task inbox": "/tasks", "people list": "/training/people",
                 "people search, common term": "/training/people?q=Budi",
                 "people search, two words": "/training/people?q=Wa+Ode+Hamid",
                 "people search, no match": "/training/people?q=Susilo",
                 "people search, no match, common trigrams": "/training/people?q=Pratama+Budi",
                 "record with history": "/training/people/1", "compliance report": "/compliance",
                 "runs list": "/runs"}
        if s.request("GET", "/tracer/recap")[0] == 200:
            pages["tracer recap"] = "/tracer/recap"
        results = {label: measure_page(s, path, args.requests, server.pid) for label, path in pages.items()}
        reference_pages = {"people list": "/people", "people search, common term": "/people?q=Budi",
                           "people search, no match": "/people?q=Susilo"}
        ref_results = {label: measure_page(r, path, args.requests, reference.pid) for label, path in reference_pages.items()}

        rss_pages = memory_mb(server.pid)[0]            # after one login and every page request
        # Completions: Balai and the reference each on their own untouched runs (same database, same SOP).
        writers = [login(port) for _ in range(args.clients)]
        fresh = untouched_runs(2 * args.writes + args.writes // 2)
        balai_runs, ref_runs, single_runs = (fresh[:args.writes], fresh[args.writes:2 * args.writes],
                                             fresh[2 * args.writes:])
        results["step completion"] = measure_writes(writers, balai_complete, balai_runs, server.pid)
        ref_results["step completion"] = measure_writes([Session(ref_port) for _ in range(args.clients)],
                                                        reference_complete, ref_runs, reference.pid)
        single = measure_writes([writers[0]], balai_complete, single_runs, server.pid)
        results["step completion, 1 client"] = single

        served = args.requests * (len(pages) + 1) + args.writes + args.writes // 2
        rss, peak = memory_mb(server.pid)
        out = {"config": args.config, "startup_s": [round(x, 2) for x in startups],
               "startup_cpu_s": [round(x, 2) for x in startup_cpu], "requests_served": served,
               "rss_mb": rss, "peak_rss_mb": peak, "rss_start_mb": rss_start, "rss_after_pages_mb": rss_pages,
               "pages_served": args.requests * (len(pages) + 1), "reference_rss_mb": memory_mb(reference.pid)[0],
               "pages": results, "reference": ref_results}
        print(json.dumps(out, indent=2))
        report(out)
    finally:
        stop(server)
        stop(reference)


def report(out):
    pages, ref = out["pages"], out["reference"]
    print("\n| page | p50 ms | p95 ms | p99 ms | req/s | server CPU ms/req | reference CPU ms/req | ratio (reference CPU / Balai CPU) |"
          "\n|---|---|---|---|---|---|---|---|")
    for label, r in pages.items():
        if "p50" in r:
            base = ref.get(label)
            ratio = f"{base['cpu_ms'] / r['cpu_ms']:.2f}×" if base and r["cpu_ms"] else ""
            print(f"| {label} | {r['p50']} | {r['p95']} | {r['p99']} | {r['rps']} | {r['cpu_ms']} | "
                  f"{base['cpu_ms'] if base else ''} | {ratio} |")
    w, rw = pages["step completion"], ref["step completion"]
    print("\n| step completions | per second (wall) | completed/attempted | server CPU ms each | per CPU-second |\n|---|---|---|---|---|")
    for label, r in (("Balai, concurrent clients", w), ("reference, concurrent clients", rw),
                     ("Balai, 1 client", pages["step completion, 1 client"])):
        print(f"| {label} | {r['per_second']} | {r['completed']}/{r['attempted']} | {r['cpu_ms']} | {r['per_cpu_second']} |"
              + (f" errors: {r['errors']}" if r.get("errors") else ""))
    print(f"\nstart-up {', '.join(str(x) for x in out['startup_s'])} s wall, "
          f"{', '.join(str(x) for x in out['startup_cpu_s'])} s CPU; memory {out['rss_start_mb']} MB at start, "
          f"{out['rss_after_pages_mb']} MB after one login and {out['pages_served']} page requests, {out['rss_mb']} MB after "
          f"{out['requests_served']} requests (5 more logins, completions), peak {out['peak_rss_mb']} MB; "
          f"reference {out['reference_rss_mb']} MB")


if __name__ == "__main__":
    main()
