"""Issue 20 §4: a bounded fuzz layer. Hypothesis crawls every registered route of
every bundled plugin — GET and POST (with the CSRF token), as a logged-in admin
and anonymously — with malformed path parameters, query strings and form
bodies (huge and negative numbers, non-UTF-8 bytes, NUL, repeated keys, long
text), and fails on any 5xx. Bounded: a fixed number of examples, well under
a minute on SQLite."""
import re
import time
import urllib.parse

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from core import db
from core.context import SYSTEM, set_actor
from core.testing import Client, make_user

PLUGINS = ("training", "certification", "service_desk", "tracer_survey", "training_delivery")
# Routes that would end the fuzzing session itself rather than test input handling.
SKIP = {("POST", "/logout"), ("POST", "/account/password")}
PARAM = re.compile(r"<([a-zA-Z_]+)(?::([a-z]+))?>")
BUDGET_SECONDS = 60

numbers = st.sampled_from(["1", "2", "3", "0", "-1", "9" * 19, "9" * 30, "1e9", "0x10", "١", "1.5"])
texts = st.one_of(
    numbers,
    st.sampled_from(["", " ", "a" * 5000, "<script>x</script>", "%00", "\x00", "../../etc/passwd",
                     "2024-02-30", "31/12/2024", "null", "true", "' OR 1=1 --", "\ud7ff", "=1+1", "/\t/evil.example"]),
    st.text(max_size=40),
)
keys = st.sampled_from(["page", "q", "sort", "format", "year", "month", "run", "next", "status", "id", "ids",
                        "name", "title", "code", "date", "day", "notes", "answer", "kind", "target", "lang",
                        "username", "full_name", "email", "phone", "nik", "amount", "score", "no", "branch",
                        "batch", "programme", "reason", "reference", "vacancy", "alumnus", "grant", "roles",
                        "start", "end", "quota", "participant"])
pairs = st.lists(st.tuples(keys, texts), max_size=8)


def concrete(path, values):
    """Fill each ``<name>`` of a route path with a drawn value (quoted for the URL)."""
    it = iter(values)
    return PARAM.sub(lambda m: urllib.parse.quote(next(it), safe=""), path)


def encode(items, raw_tail):
    body = urllib.parse.urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in items]).encode()
    return body + raw_tail


def build(balai_app):
    app = balai_app(*PLUGINS)
    with db.connection():
        set_actor(SYSTEM)
        try:
            from core import demo
            demo.demo_users(app)
            for _p, _lines in app.plugins.each("balai_demo_data", app=app):
                pass
        finally:
            set_actor(None)
    return app


@pytest.mark.filterwarnings("ignore:http.cookiejar bug")     # WebTest's cookie jar and non-Latin-1 paths
def test_no_route_answers_5xx_to_malformed_input(balai_app, balai_db):
    app = build(balai_app)
    admin_user = make_user(app, "fuzz_admin", ["admin"])
    routes = sorted({(r.method, r.path) for r in app.router.routes} - SKIP)
    started = time.monotonic()
    admin, anonymous = Client(app, admin_user), Client(app)
    assert admin.login("fuzz_admin").status_int == 303
    failures = []
    sqlite = balai_db.startswith("sqlite")

    @settings(max_examples=400 if sqlite else 150, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(routes), as_admin=st.booleans(), data=st.data(),
           query=pairs, form=pairs, raw_tail=st.sampled_from([b"", b"&x=\xff\xfe", b"&%FF=1", b"&a=1&a=2"]))
    def crawl(route, as_admin, data, query, form, raw_tail):
        if time.monotonic() - started > BUDGET_SECONDS:
            return
        method, path = route
        client = admin if as_admin else anonymous
        values = [data.draw(numbers if m.group(2) == "int" else texts) for m in PARAM.finditer(path)]
        url = concrete(path, values)
        if query:
            url += "?" + urllib.parse.urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in query])
        if method == "GET":
            res = client.web.get(url, expect_errors=True)
        else:
            body = encode([("csrf_token", client.csrf())] + form, raw_tail)
            res = client.web.post(url, body, headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  expect_errors=True)
        if res.status_int >= 500:
            failures.append(f"{method} {url} ({'admin' if as_admin else 'anonymous'}) → {res.status}")
        if as_admin and res.status_int == 303 and res.headers.get("Location", "").startswith("/login"):
            admin.login("fuzz_admin")         # a fuzzed form may have ended the session; keep crawling as admin

    crawl()
    assert not failures, "server errors on malformed input:\n  " + "\n  ".join(sorted(set(failures))[:40])
