"""Race tests across processes: ``race(config, requests, processes=4)`` spreads the
requests over several worker processes (tests/race_worker.py), lets them all go
at the same moment, and returns each request's answer (status, location, text)
in order. A request is ``{"url", "data", "cookies", "method"}``; ``session_for``
gives the cookies and CSRF token of a logged-in user without a login round trip."""
import json
import os
import subprocess
import sys
import time

from core import db, identity

HERE = os.path.dirname(os.path.abspath(__file__))


def session_for(user):
    """Cookies and CSRF token of a fresh session of ``user`` (as after a login)."""
    with db.connection(), db.write():
        key = identity.open_session(user, "127.0.0.1")
        token = identity.Session.get(identity.Session.key_hash == identity.key_hash(key)).csrf_token
    return {"balai_session": key}, token


def race(config, requests, folder, processes=4, timeout=120):
    folder = str(folder)
    go = os.path.join(folder, "race-go")
    if os.path.exists(go):
        os.remove(go)
    if not db.database.obj.is_closed():
        db.database.obj.close()
    workers = []
    for w in range(processes):
        mine = requests[w::processes]
        if not mine:
            continue
        job = {"config": config, "requests": mine, "go": go,
               "ready": os.path.join(folder, f"race-ready-{w}"), "out": os.path.join(folder, f"race-out-{w}.json")}
        for path in (job["ready"], job["out"]):
            if os.path.exists(path):
                os.remove(path)
        path = os.path.join(folder, f"race-job-{w}.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(job, fh)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(HERE), HERE, os.environ.get("PYTHONPATH", "")]))
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "race_worker.py"), path], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        workers.append((w, job, proc))
    deadline = time.time() + timeout
    while not all(os.path.exists(job["ready"]) for _w, job, _p in workers):
        for _w, _job, proc in workers:
            if proc.poll() is not None and proc.returncode != 0:
                raise AssertionError(f"race worker failed:\n{proc.stdout.read().decode()[-3000:]}")
        if time.time() > deadline:
            raise AssertionError("race workers did not get ready in time")
        time.sleep(0.02)
    open(go, "w").close()
    answers = [None] * len(requests)
    for w, job, proc in workers:
        out, _ = proc.communicate(timeout=max(5, deadline - time.time()))
        if proc.returncode != 0:
            raise AssertionError(f"race worker {w} failed:\n{out.decode()[-3000:]}")
        with open(job["out"], encoding="utf-8") as fh:
            for i, answer in enumerate(json.load(fh)):
                answers[w + i * processes] = answer
    broken = [a for a in answers if a["status"] == -1 or a["status"] >= 500]
    assert not broken, f"server errors in the race: {[(a['status'], a['text'][-300:]) for a in broken[:3]]}"
    return answers
