"""Issue 20 §4, §6, §9: malformed requests answer 4xx (never 5xx), redirects stay
on this site, static files stay in their folder on either path separator."""
import ntpath
import posixpath

from balai_toys import TOYS

from core import web
from core.testing import make_user

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


# ---------------------------------------------------------------- §4 bad input

def test_body_that_is_not_utf8_is_a_400(balai_app, balai_client):
    app = balai_app()
    admin = balai_client(app, "admin")
    body = b"csrf_token=" + admin.csrf().encode() + b"&username=\xff\xfe&full_name=%FF%FE"
    res = admin.web.post("/admin/users/new", body, headers=FORM, expect_errors=True)
    assert res.status_int == 400 and "UTF-8" in res.text


def test_integers_beyond_64_bits_are_4xx(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    admin = balai_client(app, "admin")
    huge = "9" * 25
    for url in (f"/admin/users/{huge}", f"/toy/gadgets/{huge}", f"/toy/gadgets/{huge}/edit",
                f"/admin/users?page={huge}", f"/toy/gadgets?page={huge}", f"/runs?page={huge}",
                f"/admin/audit?page={huge}", f"/runs/{huge}"):
        status = admin.get(url, status="*").status_int
        assert 400 <= status < 500, (url, status)
    status = admin.post(f"/admin/users/{huge}", {"full_name": "x"}, status="*").status_int
    assert 400 <= status < 500


def test_repeated_form_keys_keep_the_last_value(balai_app, balai_client):
    app = balai_app()
    admin = balai_client(app, "admin")
    token = admin.csrf()
    body = (f"csrf_token={token}&username=ganda&username=ganda2&full_name=A&full_name=B"
            "&password=Sangat-Rahasia-99&password=Sangat-Rahasia-98&active=1&active=1").encode()
    res = admin.web.post("/admin/users/new", body, headers=FORM, expect_errors=True)
    assert res.status_int == 303, res.status
    # A handler that reads one field (``web.form().get(...).strip()``) gets one string.
    body = f"csrf_token={token}&lang=en&lang=id&next=/tasks&next=/runs".encode()
    res = admin.web.post("/account/language", body, headers=FORM, expect_errors=True)
    assert res.status_int == 303 and res.headers["Location"].endswith("/runs")


def test_admin_edits_a_user_leaving_optional_fields_blank(balai_app, balai_client):
    app = balai_app()
    target = make_user(app, "demo_petugas", ["admin"], email="a@b.id", phone="081234567890", rank="III/a")
    admin = balai_client(app, "admin")
    res = admin.post(f"/admin/users/{target.id}", {"username": "demo_petugas", "full_name": "Demo Petugas",
                                                   "rank": "", "email": "", "phone": "", "nip": ""}, status="*")
    assert res.status_int == 303, res.status               # deactivated (active unticked), blanks kept as ""
    from core import db, identity
    with db.connection():
        saved = identity.User.get_by_id(target.id)
    assert (saved.active, saved.email, saved.phone, saved.rank) == (False, "", "", "")


# ---------------------------------------------------------------- §6 redirects

EVIL = ["/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
        "https://evil.example/", "/\n/evil.example", " //evil.example", "/\x00/evil.example", "javascript:alert(1)"]


def test_safe_next_accepts_only_same_origin_paths():
    for bad in EVIL:
        target = web.safe_next(bad.replace("%09", "\t"), "/tasks")
        assert target == "/tasks", (bad, target)
    assert web.safe_next("/runs/3?tab=steps", "/") == "/runs/3?tab=steps"


def test_login_and_language_switch_never_redirect_off_site(balai_app, balai_client):
    app = balai_app()
    admin = balai_client(app, "admin")
    res = admin.get("/login?next=/%09/evil.example", status=303)       # already logged in
    assert res.headers["Location"] in ("/", "/tasks"), res.headers["Location"]
    res = admin.post("/account/language", {"lang": "id", "next": "/\t/evil.example"}, status=303)
    assert res.headers["Location"] in ("/", "http://localhost/")
    make_user(app, "siti", ["admin"])
    fresh = balai_client(app)
    page = fresh.web.get("/login?next=/%09/evil.example")
    form = page.forms[0]
    form["username"], form["password"] = "siti", "Uji-Coba-Balai-2026"
    res = form.submit()
    assert res.status_int == 303 and res.headers["Location"].endswith("/tasks"), res.headers["Location"]


# ---------------------------------------------------------------- §9 static files

def test_static_path_holds_on_both_separators():
    root_nt = r"C:\balai\core\static"
    for rel in ("..\\..\\config.ini", "..%5c..%5cconfig.ini".replace("%5c", "\\"), "css/..\\..\\x",
                "C:\\Windows\\win.ini", "css/c:x", "..", "css/../../x", ""):
        assert web.static_path(root_nt, rel, ntpath) is None, rel
        assert web.static_path("/srv/balai/static", rel, posixpath) is None, rel
    assert web.static_path(root_nt, "css/balai.css", ntpath) == r"C:\balai\core\static\css\balai.css"


def test_static_backslash_escape_is_404(balai_app, balai_client, tmp_path):
    app = balai_app()
    client = balai_client(app)
    assert client.get("/static/..%5c..%5cconfig.ini", status="*").status_int == 404
    assert client.get("/static/css%5c..%5c..%5cweb.py", status="*").status_int == 404
