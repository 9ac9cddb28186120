"""A tiny Balai API client with only a token (Python standard library, nothing to install).

    BALAI_URL=https://balai.example.go.id BALAI_TOKEN=balai_... python kendari.py

Lists the Kendari guest book (of one day, or all of it), completes the first
open step of the token owner's tasks that the tracker lets them do, and saves
the PDF of the newest valid issued document in the current folder. See docs/api.md.
"""
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class ApiProblem(Exception):
    """A refusal of the API (RFC 9457 problem details)."""

    def __init__(self, problem):
        super().__init__(f"{problem.get('status')} {problem.get('detail')} {problem.get('errors') or ''}".strip())
        self.problem = problem


def call(base, token, method, path, payload=None, raw=False):
    """One request; returns the decoded JSON (or bytes when ``raw``); raises ApiProblem."""
    data = json.dumps(payload).encode() if payload is not None else None
    req = urllib.request.Request(base.rstrip("/") + "/api/v1" + path, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                          "Accept-Language": "id"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            body = res.read()
    except urllib.error.HTTPError as exc:
        raise ApiProblem(json.loads(exc.read() or b"{}"))
    return body if raw else json.loads(body)


def guest_book(base, token, day=None):
    """Every visit (of ``day``, YYYY-MM-DD, when given), following the keyset pages."""
    visits, after = [], 0
    while True:
        query = {"after": after, "limit": 100, **({"day": day} if day else {})}
        page = call(base, token, "GET", "/service-desk/visits?" + urllib.parse.urlencode(query))
        visits += page["items"]
        if page["next_after"] is None:
            return visits
        after = page["next_after"]


def complete_step(base, token, run_id, no, notes):
    """Complete step ``no`` of run ``run_id`` (refused if someone else already moved the run)."""
    return call(base, token, "POST", f"/runs/{run_id}/complete", {"no": no, "notes": notes})


def download(base, token, path):
    """The bytes of a file the API serves (an evidence file, an issued document)."""
    return call(base, token, "GET", path, raw=True)


def newest_document(base, token):
    """The newest valid issued document (the archive is in id order: read to its last page)."""
    newest, after = None, 0
    while True:
        page = call(base, token, "GET", f"/documents?status=valid&limit=200&after={after}")
        newest = page["items"][-1] if page["items"] else newest
        if page["next_after"] is None:
            return newest
        after = page["next_after"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    base, token = os.environ["BALAI_URL"], os.environ["BALAI_TOKEN"]
    for v in guest_book(base, token, argv[0] if argv else None):
        print(f"{v['day']}  {v['name']:<30} {v['purpose']:<13} langkah {v['current_no'] or '-'}")
    for task in call(base, token, "GET", "/tasks")["items"]:
        try:
            run = complete_step(base, token, task["run_id"], task["no"], "Selesai (dicatat lewat API).")
        except ApiProblem as exc:          # e.g. 409: this step is done on the plugin's own screen
            print(f"run {task['run_id']} langkah {task['no']}: {exc.problem['detail']}")
            continue
        print(f"run {run['id']}: langkah {task['no']} selesai; sekarang langkah {run['current_no'] or 'selesai'}")
        break
    doc = newest_document(base, token)
    if doc:
        name = "".join(c if c.isalnum() else "-" for c in doc["number"]) + ".pdf"
        pdf = download(base, token, doc["pdf_url"].removeprefix("/api/v1"))
        with open(name, "wb") as fh:
            fh.write(pdf)
        # Is the file we hold this document's, and does the document still stand?
        check = call(base, token, "GET", f"/documents/verify/{doc['verify_url'].rsplit('/', 1)[-1]}"
                                         f"?sha256={hashlib.sha256(pdf).hexdigest()}")
        print(f"{doc['subject']} ({doc['number']}) disimpan sebagai {name}; berlaku: {check['valid']}")


if __name__ == "__main__":
    main()
