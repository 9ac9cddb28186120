"""One process of a race test (``balai_race``): builds the app from a config,
prepares one WSGI client per request, waits for the common start signal, then
sends every request at once from its own thread and writes the answers as JSON.

    python tests/race_worker.py JOB.json
"""
import json
import os
import sys
import threading
import time


def main(job_path):
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    import webtest

    from core import app as app_mod
    app = app_mod.build(job["config"])
    clients = []
    for request in job["requests"]:
        client = webtest.TestApp(app.wsgi, extra_environ={"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:80"})
        for name, value in request.get("cookies", {}).items():
            client.set_cookie(name, value)
        clients.append(client)
    open(job["ready"], "w").close()
    deadline = time.time() + 60
    while not os.path.exists(job["go"]) and time.time() < deadline:
        time.sleep(0.002)
    results = [None] * len(clients)

    def send(i):
        request = job["requests"][i]
        try:
            if request.get("method", "POST") == "GET":
                res = clients[i].get(request["url"], expect_errors=True)
            else:
                res = clients[i].post(request["url"], request.get("data", {}), expect_errors=True)
            results[i] = {"status": res.status_int, "location": res.headers.get("Location", ""),
                          "text": res.text[:20000]}
        except Exception as exc:          # reported to the test, which fails naming it
            results[i] = {"status": -1, "location": "", "text": repr(exc)}
    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(job["out"], "w", encoding="utf-8") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main(sys.argv[1])
