"""Issue 24: the JSON API — tokens (hashed, scoped, expiring, revocable, audited, rate
limited), the generic screens and the step tracker with the UI's permissions, masking
and audit, problem details, the OpenAPI document and its offline reference page."""
import base64
import datetime
import hashlib
import json
import re

import pytest
import webtest
from balai_toys import TOYS

from core import audit, cli, db
from core.api import tokens
from core.testing import make_user

PDF = b"%PDF-1.4\n% bukti\n"
NIK = "7471010101900001"


@pytest.fixture
def app(balai_app):
    return balai_app("toy_base", plugin_dirs=TOYS)


def api(app):
    return webtest.TestApp(app.wsgi, extra_environ={"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:80"})


def token_for(user, scopes=("read", "write", "tracker"), expires=None):
    with db.connection():
        return tokens.create(user, "uji", scopes, expires)[1]


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def problem(res, status):
    assert res.status_int == status, res.text
    assert res.content_type == "application/problem+json"
    body = res.json
    assert body["status"] == status and body["type"] == "about:blank" and body["title"] and body["detail"]
    return body


# ---------------------------------------------------------------- tokens

def test_tokens_are_hashed_scoped_expiring_revocable_and_audited(app, tmp_path, capsys):
    clerk = make_user(app, "petugas", ["toy_clerk"])
    config = str(tmp_path / "config.ini")
    assert cli.main(["--config", config, "api-token", "create", "petugas", "--scope", "read,tracker",
                     "--expires", "30d", "--name", "rekap"]) == 0
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert secret.startswith("balai_") and len(secret) > 40
    with db.connection():
        row = tokens.ApiToken.get(tokens.ApiToken.user == clerk.id)
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest() and row.scope_list == ["read", "tracker"]
        assert (row.expires_at.date() - datetime.date.today()).days == 30
        created = audit.AuditLog.get((audit.AuditLog.object_type == "api_token") & (audit.AuditLog.action == "create"))
        assert secret not in created.diff and row.token_hash not in created.diff and "rekap" in created.diff
    client = api(app)
    assert client.get("/api/v1/tasks", headers=bearer(secret)).status_int == 200
    # refused: bad CLI input names the problem, nothing saved
    assert cli.main(["--config", config, "api-token", "create", "petugas", "--scope", "admin"]) == 1
    assert "Cakupan tidak dikenal" in capsys.readouterr().err
    assert cli.main(["--config", config, "api-token", "create", "petugas", "--expires", "2001-01-01"]) == 1
    assert cli.main(["--config", config, "api-token", "list"]) == 0
    assert "petugas" in capsys.readouterr().out
    # revoked → 401, and the revocation is in the audit log
    assert cli.main(["--config", config, "api-token", "revoke", str(row.id)]) == 0
    body = problem(client.get("/api/v1/tasks", headers=bearer(secret), expect_errors=True), 401)
    assert body["reason"] == "invalid_token"
    with db.connection():
        assert audit.AuditLog.select().where((audit.AuditLog.object_type == "api_token")
                                             & (audit.AuditLog.action == "update")).count() == 1
        # expired → 401
        token, other = tokens.create(clerk, "lama", ["read"], "1d")
        tokens.ApiToken.update(expires_at=datetime.datetime(2020, 1, 1)).where(tokens.ApiToken.id == token.id).execute()
    problem(client.get("/api/v1/tasks", headers=bearer(other), expect_errors=True), 401)


def test_401_without_token_403_with_reason_and_cookies_never_authenticate(app, balai_client):
    make_user(app, "tamu", ["toy_head"])
    client = api(app)
    res = client.get("/api/v1/toy/gadgets", expect_errors=True)
    assert problem(res, 401)["reason"] == "missing_token" and res.headers["WWW-Authenticate"].startswith("Bearer")
    problem(client.get("/api/v1/tasks", headers={"Authorization": "Basic eDp5"}, expect_errors=True), 401)
    # A logged-in browser session is not an API credential: a cross-site form post gets 401, not a write.
    browser = balai_client(app, "toy_clerk")
    res = browser.web.post_json("/api/v1/toy/gadgets", {"name": "Dari situs lain"}, expect_errors=True)
    problem(res, 401)
    # Scope missing / permission missing: 403 saying which.
    with db.connection():
        head = make_user(app, "kepala", ["toy_head"])
    read_only = token_for(head, ("read",))
    body = problem(client.post_json("/api/v1/toy/gadgets", {"name": "X"}, headers=bearer(read_only),
                                    expect_errors=True), 403)
    assert body["reason"] == "missing_scope" and "write" in body["detail"]
    writer = token_for(head, ("read", "write"))
    body = problem(client.post_json("/api/v1/toy/gadgets", {"name": "X"}, headers=bearer(writer),
                                    expect_errors=True), 403)
    assert body["reason"] == "missing_permission" and "toy.edit" in body["detail"] and "toy_clerk" in body["detail"]
    with db.connection():
        assert not audit.AuditLog.select().where(audit.AuditLog.object_type == "toy_gadget").exists()


def test_rate_limit_per_token(app):
    clerk = make_user(app, "petugas", ["toy_clerk"])
    first, second = token_for(clerk), token_for(clerk)
    client = api(app)
    app.api.buckets = tokens.Buckets(burst=5, per_minute=1)        # the defaults (60, 120/min) are too fast to test
    statuses = [client.get("/api/v1/toy/gadgets", headers=bearer(first), expect_errors=True).status_int
                for _i in range(6)]
    assert statuses == [200] * 5 + [429]
    res = client.get("/api/v1/toy/gadgets", headers=bearer(first), expect_errors=True)
    assert problem(res, 429)["reason"] == "rate_limited" and 30 <= int(res.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/toy/gadgets", headers=bearer(second)).status_int == 200   # per token


def test_token_bucket_refills():
    buckets = tokens.Buckets(burst=2, per_minute=60)
    clock = iter([0.0, 0.0, 0.0, 0.5, 1.0])
    import unittest.mock
    with unittest.mock.patch.object(tokens.time, "monotonic", lambda: next(clock)):
        assert [buckets.take(1), buckets.take(1), buckets.take(1)] == [0, 0, 1]
        assert buckets.take(1) == 1            # half a token back after 0.5 s
        assert buckets.take(1) == 0            # one whole token after 1 s


# ---------------------------------------------------------------- generic screens

def test_screen_list_detail_create_update_with_audit_masking_and_problems(app):
    clerk = make_user(app, "petugas", ["toy_clerk"])
    head = make_user(app, "kepala", ["toy_head"])
    client, as_clerk, as_head = api(app), bearer(token_for(clerk)), bearer(token_for(head))
    res = client.post_json("/api/v1/toy/gadgets", {"name": "Obeng", "nik": NIK, "size": 3}, headers=as_clerk)
    assert res.status_int == 201 and res.json["name"] == "Obeng" and res.json["nik"] == NIK
    gid, version = res.json["id"], res.json["version"]
    with db.connection():
        row = audit.AuditLog.get((audit.AuditLog.object_type == "toy_gadget") & (audit.AuditLog.action == "create"))
        assert row.actor == "petugas" and row.object_id == str(gid)
    # the model declares nik sensitive (toy.edit shows it): the head, who only views, gets it masked
    assert client.get(f"/api/v1/toy/gadgets/{gid}", headers=as_head).json["nik"] == "7471********0001"
    for n in range(5):
        client.post_json("/api/v1/toy/gadgets", {"name": f"Palu {n}", "size": n}, headers=as_clerk, status=201)
    # keyset pages, search
    page = client.get("/api/v1/toy/gadgets?limit=4", headers=as_clerk).json
    assert [g["name"] for g in page["items"]] == ["Obeng", "Palu 0", "Palu 1", "Palu 2"] and page["next_after"]
    rest = client.get(f"/api/v1/toy/gadgets?limit=4&after={page['next_after']}", headers=as_clerk).json
    assert [g["name"] for g in rest["items"]] == ["Palu 3", "Palu 4"] and rest["next_after"] is None
    assert [g["name"] for g in client.get("/api/v1/toy/gadgets?q=obe", headers=as_clerk).json["items"]] == ["Obeng"]
    # PATCH: sent fields replace, the rest stays; audited as an update by the token's user
    res = client.patch_json(f"/api/v1/toy/gadgets/{gid}", {"size": 9}, headers={**as_clerk, "If-Match": version})
    assert (res.json["size"], res.json["name"]) == (9, "Obeng") and res.json["version"] != version
    # a second edit made from the old version is refused: someone changed it since
    body = problem(client.patch_json(f"/api/v1/toy/gadgets/{gid}", {"size": 1}, headers={**as_clerk, "If-Match": version},
                                     expect_errors=True), 409)
    assert body["reason"] == "stale_version"
    with db.connection():
        row = audit.AuditLog.select().where(audit.AuditLog.action == "update").get()
        assert json.loads(row.diff) == {"size": [3, 9]} and row.actor == "petugas"
    # problems: field errors, conflicts, bad JSON, bad parameters, unknown ids
    body = problem(client.post_json("/api/v1/toy/gadgets", {"name": "", "nik": "12", "size": "besar"},
                                    headers=as_clerk, expect_errors=True), 422)
    assert body["errors"] == {"name": "Wajib diisi.", "nik": "NIK harus 16 digit angka.",
                              "size": "Harus berupa bilangan bulat."}
    assert problem(client.post_json("/api/v1/toy/gadgets", {"name": "Obeng"}, headers=as_clerk,
                                    expect_errors=True), 409)
    assert "size" in problem(client.post_json("/api/v1/toy/gadgets", {"name": "Besar", "size": 2 ** 40},
                                              headers=as_clerk, expect_errors=True), 422)["errors"]
    problem(client.post("/api/v1/toy/gadgets", b"{not json", headers={**as_clerk, "Content-Type": "application/json"},
                        expect_errors=True), 400)
    problem(client.post("/api/v1/toy/gadgets", b"\xff\xfe", headers=as_clerk, expect_errors=True), 400)
    problem(client.post_json("/api/v1/toy/gadgets", [1, 2], headers=as_clerk, expect_errors=True), 400)
    assert "name" in problem(client.post_json("/api/v1/toy/gadgets", {"name": "a\x00b"}, headers=as_clerk,
                                              expect_errors=True), 422)["errors"]
    assert "after" in problem(client.get("/api/v1/toy/gadgets?after=x", headers=as_clerk, expect_errors=True),
                              400)["errors"]
    problem(client.get("/api/v1/toy/gadgets?limit=0", headers=as_clerk, expect_errors=True), 400)
    problem(client.get("/api/v1/toy/gadgets/999999", headers=as_clerk, expect_errors=True), 404)
    problem(client.get("/api/v1/toy/gadgets/99999999999999999999999", headers=as_clerk, expect_errors=True), 404)
    problem(client.delete(f"/api/v1/toy/gadgets/{gid}", headers=as_clerk, expect_errors=True), 405)
    with db.connection():
        assert audit.AuditLog.select().where(audit.AuditLog.object_type == "toy_gadget").count() == 7
        assert audit.verify()[0]


def test_a_list_is_a_constant_number_of_queries(app):
    from core.testing import count_queries
    clerk = make_user(app, "petugas", ["toy_clerk"])
    client, headers = api(app), bearer(token_for(clerk))

    def fill(n):
        for i in range(n):
            client.post_json("/api/v1/toy/gadgets", {"name": f"Alat {n}-{i}", "nik": NIK}, headers=headers, status=201)
    fill(2)
    few = count_queries(lambda: client.get("/api/v1/toy/gadgets?limit=200", headers=headers))
    fill(25)
    assert count_queries(lambda: client.get("/api/v1/toy/gadgets?limit=200", headers=headers)) == few


def test_english_messages_with_accept_language(app):
    clerk = make_user(app, "petugas", ["toy_clerk"])
    res = api(app).post_json("/api/v1/toy/gadgets", {"size": 1}, headers={**bearer(token_for(clerk)),
                                                                          "Accept-Language": "en"}, expect_errors=True)
    assert problem(res, 422)["errors"]["name"] == "Required."


# ---------------------------------------------------------------- step tracker

def test_tracker_tasks_run_complete_with_evidence_pause_return(app, balai_client):
    clerk_user = make_user(app, "petugas", ["toy_clerk"])
    head_user = make_user(app, "kepala", ["toy_head"])
    browser = balai_client(app, user=clerk_user)
    run_id = int(re.search(r"/runs/(\d+)", browser.post("/toy/start/1").headers["Location"]).group(1))
    client, clerk, head = api(app), bearer(token_for(clerk_user)), bearer(token_for(head_user))
    tasks = client.get("/api/v1/tasks", headers=clerk).json["items"]
    assert [(t["run_id"], t["no"]) for t in tasks] == [(run_id, 1)]
    assert client.get("/api/v1/tasks", headers=head).json["items"] == []
    run = client.get(f"/api/v1/runs/{run_id}", headers=clerk).json
    assert run["open_step"] == 1 and run["can_act"] and run["branches"] == ["Daftar", "Kerja sama"]
    # a decision needs its branch: 409 with the tracker's own message, nothing written
    body = problem(client.post_json(f"/api/v1/runs/{run_id}/complete", {"no": 1}, headers=clerk,
                                    expect_errors=True), 409)
    assert "Pilih salah satu keputusan" in body["detail"]
    run = client.post_json(f"/api/v1/runs/{run_id}/complete",
                           {"no": 1, "branch": "Daftar", "notes": "Tamu mendaftar",
                            "evidence": [{"filename": "ktp.pdf", "content_base64": base64.b64encode(PDF).decode()}],
                            "links": [{"label": "Formulir", "url": "/toy/gadgets/1"}]}, headers=clerk).json
    done = run["steps"][0]
    assert done["status"] == "done" and done["notes"] == "Tamu mendaftar" and done["completed_by"] == "Petugas"
    assert {e["kind"] for e in done["evidence"]} == {"file", "link"} and run["open_step"] == 2
    file_url = next(e["url"] for e in done["evidence"] if e["kind"] == "file")
    assert client.get(file_url, headers=clerk).body == PDF
    # nested field errors are named by their path
    body = problem(client.post_json(f"/api/v1/runs/{run_id}/complete", {"links": [{"url": ""}, "x"], "evidence": 5},
                                    headers=clerk, expect_errors=True), 422)
    assert body["errors"] == {"links.0.url": "Wajib diisi.", "links.1": "Harus berupa objek (isian bernama).",
                              "evidence": "Harus berupa daftar."}
    # a stale step number is refused
    problem(client.post_json(f"/api/v1/runs/{run_id}/complete", {"no": 1}, headers=clerk, expect_errors=True), 409)
    # pause needs a reason (422 field error), then pauses; resume
    assert "reason" in problem(client.post_json(f"/api/v1/runs/{run_id}/pause", {}, headers=clerk,
                                                expect_errors=True), 422)["errors"]
    assert client.post_json(f"/api/v1/runs/{run_id}/pause", {"reason": "Menunggu berkas"},
                            headers=clerk).json["steps"][-1]["status"] == "paused"
    assert client.post_json(f"/api/v1/runs/{run_id}/resume", {}, headers=clerk).json["steps"][-1]["status"] == "ready"
    client.post_json(f"/api/v1/runs/{run_id}/complete", {"no": 2}, headers=clerk)
    # the head may not complete the clerk's step, may return their own approval step
    run = client.post_json(f"/api/v1/runs/{run_id}/return", {"reason": "Lengkapi KTP"}, headers=head).json
    assert run["steps"][-2]["status"] == "returned" and run["open_step"] == 2
    body = problem(client.post_json(f"/api/v1/runs/{run_id}/complete", {}, headers=head, expect_errors=True), 409)
    assert "hanya dapat dikerjakan oleh" in body["detail"]
    # a token without the tracker scope may read but not act
    reader = bearer(token_for(clerk_user, ("read",)))
    assert problem(client.post_json(f"/api/v1/runs/{run_id}/complete", {}, headers=reader, expect_errors=True),
                   403)["reason"] == "missing_scope"
    with db.connection():
        from core.tracker.models import RunStep
        assert [rs.status for rs in RunStep.select().where(RunStep.run == run_id).order_by(RunStep.id)] == \
            ["done", "done", "returned", "ready"]


# ---------------------------------------------------------------- the account screen

def test_account_screen_creates_shows_once_lists_and_revokes(app, balai_client):
    browser = balai_client(app, "toy_clerk")
    page = browser.get("/account/tokens")
    assert "Buat token" in page.text
    res = browser.post("/account/tokens", {"name": "", "expires": "90d", "scopes": "read"}, status=422)
    assert "Wajib diisi." in res.text
    browser.post("/account/tokens", {"name": "Skrip", "expires": "90d"}, csrf=False, status=403)
    res = browser.post("/account/tokens", {"name": "Skrip rekap", "expires": "30d", "scopes": ["read", "tracker"]},
                       status=200)
    secret = re.search(r'id="new-token" class="secret">([^<]+)<', res.text).group(1)
    assert "Set-Cookie" not in res.headers or secret not in res.headers["Set-Cookie"]
    listing = browser.get("/account/tokens").text
    assert "Skrip rekap" in listing and secret not in listing and secret[:12] in listing
    assert api(app).get("/api/v1/tasks", headers=bearer(secret)).status_int == 200
    with db.connection():
        token = tokens.ApiToken.get(tokens.ApiToken.name == "Skrip rekap")
    other = balai_client(app, "toy_clerk")
    other.post(f"/account/tokens/{token.id}/revoke", status=404)           # not theirs
    browser.post(f"/account/tokens/{token.id}/revoke", status=303)
    problem(api(app).get("/api/v1/tasks", headers=bearer(secret), expect_errors=True), 401)


# ---------------------------------------------------------------- the document

def test_openapi_document_and_offline_reference(app):
    client = api(app)
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    for path in ("/api/v1/toy/gadgets", "/api/v1/toy/gadgets/{id}", "/api/v1/tasks", "/api/v1/runs/{id}/complete"):
        assert path in spec["paths"]
    gadget_post = spec["paths"]["/api/v1/toy/gadgets"]["post"]
    assert gadget_post["security"] == [{"bearer": []}] and "toy.edit" in gadget_post["description"]
    schema = spec["components"]["schemas"]["GadgetInput"]
    assert schema["required"] == ["name"] and "16 digits" in schema["properties"]["nik"]["description"]
    from openapi_spec_validator import validate
    validate(spec)
    english = client.get("/api/v1/openapi.json", headers={"Accept-Language": "en"}).json
    assert english["paths"]["/api/v1/tasks"]["get"]["summary"] == "My tasks"
    assert spec["paths"]["/api/v1/tasks"]["get"]["summary"] == "Tugas saya"
    page = client.get("/api/v1/docs")
    assert page.content_type == "text/html" and "POST /api/v1/toy/gadgets" in page.text
    # nothing from the internet: no script at all, every link and stylesheet local
    assert "<script" not in page.text
    assert not [u for u in re.findall(r'(?:href|src)="([^"]+)"', page.text) if not u.startswith(("/", "#"))]


# ---------------------------------------------------------------- documents

def test_documents_list_detail_pdf_and_verify(balai_app):
    import hashlib
    from core import documents
    from plugins.training import papers
    from plugins.training.models import Batch, Programme
    app = balai_app("training")
    staff = make_user(app, "staf", ["staf_pelatihan"], full_name="Staf Pelatihan")
    today = datetime.date.today()
    with db.connection():
        with db.write():
            programme = audit.create(Programme, code="TIK-01", title="Teknisi Komputer", field="TIK", total_jp=240)
            batch = audit.create(Batch, programme=programme, name="Angkatan I", start_date=today, end_date=today,
                                 quota=16, reg_opens=today, reg_closes=today, status="registration")
        batch = Batch.get_by_id(batch.id)
        first = papers.issue_participant_list(app, batch, staff)
        second = papers.issue_participant_list(app, batch, staff)
        documents.revoke(first, staff, "Salah cetak")
    client, headers = api(app), bearer(token_for(staff, ("read", "documents")))
    page = client.get("/api/v1/documents?limit=1", headers=headers).json
    assert [d["id"] for d in page["items"]] == [first.id] and page["next_after"] == first.id
    rest = client.get(f"/api/v1/documents?after={first.id}", headers=headers).json
    assert [d["id"] for d in rest["items"]] == [second.id] and rest["next_after"] is None
    valid = client.get("/api/v1/documents?status=valid", headers=headers).json["items"]
    assert [d["number"] for d in valid] == [second.number]
    assert client.get(f"/api/v1/documents?record=training_batch:{batch.id}", headers=headers).json["items"]
    doc = client.get(f"/api/v1/documents/{second.id}", headers=headers).json
    assert doc["subject"].startswith("Daftar Peserta") and doc["verify_url"] == f"/verify/{second.token}"
    pdf = client.get(doc["pdf_url"], headers=headers)
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    digest = hashlib.sha256(pdf.body).hexdigest()
    check = client.get(f"/api/v1/documents/verify/{second.token}?sha256={digest}", headers=headers).json
    assert check["valid"] and check["pdf_matches"] and check["newer"] is None
    revoked = client.get(f"/api/v1/documents/verify/{first.token}", headers=headers).json
    assert not revoked["valid"] and revoked["status"] == "revoked" and revoked["document"]["revoked_reason"] == "Salah cetak"
    problem(client.get("/api/v1/documents/verify/bukan-token-yang-ada", headers=headers, expect_errors=True), 404)
    problem(client.get(f"/api/v1/documents/verify/{second.token}?sha256=xyz", headers=headers, expect_errors=True), 400)
    problem(client.get("/api/v1/documents?status=lama", headers=headers, expect_errors=True), 400)
    # the documents scope is needed
    reader = bearer(token_for(staff, ("read",)))
    assert problem(client.get(doc["pdf_url"], headers=reader, expect_errors=True), 403)["reason"] == "missing_scope"


def test_one_document_and_its_pdf_follow_the_web_pages_rule(balai_app, balai_client):
    """``DocumentType(view_permission=...)``: as on /documents/<id>, the placement officers read their letters
    and the PDF through the API though their roles lost ``documents.view``; others get a 403 problem, an
    unknown id a 404 one, and the archive list stays ``documents.view``'s."""
    from balai_toys import placement_letter
    app, clerk, paper = placement_letter(balai_app, balai_client)
    doc_id = int(paper.rsplit("/", 1)[1])
    outsider = make_user(app, "staf", ["staf_pelatihan"])
    client = api(app)
    mine, theirs = bearer(token_for(clerk.user, ("documents",))), bearer(token_for(outsider, ("documents",)))
    doc = client.get(f"/api/v1/documents/{doc_id}", headers=mine).json
    assert doc["id"] == doc_id and doc["type_code"] == "placement.letter"
    assert client.get(doc["pdf_url"], headers=mine).content_type == "application/pdf"
    for url in (f"/api/v1/documents/{doc_id}", doc["pdf_url"]):
        body = problem(client.get(url, headers=theirs, expect_errors=True), 403)
        assert body["reason"] == "missing_permission" and "documents.view" in body["detail"]
    problem(client.get(f"/api/v1/documents/{doc_id + 1000}", headers=mine, expect_errors=True), 404)
    problem(client.get(f"/api/v1/documents/{doc_id + 1000}/pdf", headers=mine, expect_errors=True), 404)
    assert problem(client.get("/api/v1/documents", headers=mine, expect_errors=True), 403)["reason"] == "missing_permission"
