"""Issuing, correcting, revoking and finding documents.

    doc = documents.issue(app, "training.participants", values, subject="Daftar Peserta ...",
                          record=("training_batch", batch.id), signer=user, issued_by=user)

Issuing takes the type's next number (locked counter row, same transaction),
renders the template in the sandbox with the signer block and QR, freezes the
HTML and its PDF (stored by sha256) and writes the document through the
audit log. A correction (``supersede``) issues a new version (same number,
new token); the old one stays, marked superseded. Nothing issued is ever
rewritten: only its status moves.
"""
import base64
import datetime
import decimal
import hashlib
import json
import mimetypes
import os
import re
import secrets

import peewee

from core import audit, db, numbering
from core.documents import pdf, sandbox, signer as signer_mod, types, words
from core.documents.models import Document, DocumentFile, DocumentTemplate
from core.i18n import _


class DocumentError(Exception):
    """A refusal the user can read."""


# ---------------------------------------------------------------- the sandboxed environment

def environment(app):
    """The one sandbox every document template renders in (cached on the app)."""
    env = getattr(app, "_document_env", None)
    if env is None:
        from core import i18n

        def rupiah(value):
            return i18n.format_rupiah(decimal.Decimal(str(value))) if value not in (None, "") else ""

        def indonesian(text, **kw):      # msgids are Indonesian; papers are Indonesian whatever the UI says
            return str(text).format(**kw) if kw else str(text)

        filters = {"date": words.tanggal, "rupiah": rupiah, **words.FILTERS}
        env = sandbox.make_environment(app.templates.loader, filters,
                                       {"_": indonesian, "institution": app.config["institution"]})
        app._document_env = env
    return env


def _json_default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def plain_values(values):
    """Values as JSON keeps them (dates → ISO text, Decimal → text): what a correction re-renders from."""
    return json.loads(json.dumps(values, default=_json_default))


def base_url(app):
    try:
        from core import web
        if app.config["base_url"]:
            return app.config["base_url"].rstrip("/")
        parts = web.request.urlparts
        default = {"http": 80, "https": 443}.get(parts.scheme)
        port = f":{parts.port}" if parts.port and parts.port != default else ""
        return f"{parts.scheme}://{parts.hostname}{port}"
    except (RuntimeError, KeyError, AttributeError):
        return "http://localhost:8080"       # issued outside a request (demo, CLI) without base_url


def qr_data_uri(link):
    import segno
    return segno.make(link, error="m").png_data_uri(scale=3, border=1)


_STATIC = re.compile(r'src="/static/([A-Za-z0-9_./\-]+)"')


def inline_static(app, html):
    """Replace ``src="/static/..."`` (the theme's logo) by data: URIs: the frozen paper
    carries its images and the PDF renderer needs no file access."""
    def repl(m):
        rel = m.group(1)
        if ".." in rel.split("/"):
            return 'src=""'
        for folder in app.static_folders:
            path = os.path.join(folder, *rel.split("/"))
            if os.path.isfile(path):
                with open(path, "rb") as fh:
                    data = base64.b64encode(fh.read()).decode()
                ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return f'src="data:{ctype};base64,{data}"'
        return 'src=""'
    return _STATIC.sub(repl, html)


def context_for(app, dtype, values, *, number, dated, place, subject, signer, copies_to, token, version=1):
    link = f"{base_url(app)}/verify/{token}" if token else ""
    doc = {"number": number, "dated": dated, "date": words.tanggal(dated), "place": place,
           "place_date": words.place_date(place, dated), "subject": subject, "signer": signer,
           "copies_to": list(copies_to or []), "type": dtype.title, "code": dtype.code,
           "classification": dtype.classification, "version": version, "verify_url": link,
           "qr": qr_data_uri(link) if (dtype.qr and link) else ""}
    return {**values, "doc": doc, "institution": app.config["institution"]}


def edited_source(dtype):
    if not dtype.editable:
        return None
    row = DocumentTemplate.get_or_none(DocumentTemplate.type_code == dtype.code)
    return row.source if row is not None else None


def default_source(app, dtype):
    """The template text from the chain (what an institution starts editing from)."""
    source, _path, _up = app.templates.loader.get_source(app.templates, dtype.template)
    return source


def render_fragment(app, dtype, context, source=None):
    """The document's HTML (an <article>), or DocumentError naming the line and reason."""
    env = environment(app)
    source = source if source is not None else edited_source(dtype)
    try:
        html, report = sandbox.render(env, context, name=dtype.template if source is None else None, source=source)
    except sandbox.RenderProblem as exc:
        raise DocumentError(_("Templat {t} tidak dapat diproses: {p}", t=dtype.title, p=str(exc)))
    if report.undefined:
        missing = "; ".join((f"baris {line}: " if line else "") + what for line, _n, what in report.undefined[:5])
        raise DocumentError(_("Templat {t} memakai data yang tidak ada: {p}", t=dtype.title, p=missing))
    return inline_static(app, html)


# ---------------------------------------------------------------- stored files

def store_file(content, content_type):
    digest = hashlib.sha256(content).hexdigest()
    DocumentFile.insert(sha256=digest, content_type=content_type, size=len(content),
                        content=content).on_conflict_ignore().execute()
    return digest


def file_content(digest):
    row = DocumentFile.get_or_none(DocumentFile.sha256 == digest)
    if row is None:
        return None
    content = bytes(row.content)
    if hashlib.sha256(content).hexdigest() != digest:      # a stored paper that changed is not served
        raise DocumentError(_("Berkas dokumen rusak: isinya tidak cocok dengan sidik sha256."))
    return content


def html_of(doc):
    content = file_content(doc.html_sha256)
    return content.decode("utf-8") if content is not None else ""


# ---------------------------------------------------------------- issuing

def take_number(app, type_code, dated=None, number_values=None):
    """The next number of a type's series, in the caller's transaction (for a paper whose own
    text must carry its number before it is issued; pass it to ``issue(number=...)``)."""
    from core.tracker.base import local_today
    dtype = types.get(app, type_code)
    return numbering.next_number(dtype.counter, dtype.number_format, dated or local_today(app),
                                 {"classification": dtype.classification, **dtype.extra, **(number_values or {})})


def issue(app, type_code, values, *, subject=None, record=None, signer=None, position=None, on_behalf="",
          dated=None, place=None, issued_by=None, number=None, token=None, copies_to=None, supersedes=None,
          number_values=None):
    """Issue (number, render, freeze, store) one document; returns the Document.

    ``signer`` is the User who signs (default: the holder of the type's
    signer role); ``number`` keeps a number taken before (papers numbered
    before the service existed); ``supersedes`` is the document this one corrects.
    ``record`` is the record the paper is about — a model instance, or (record type, id) —, its
    page lists it; ``subject`` (the archive's line) defaults to the record's text. Dated today in
    the institution's time zone unless ``dated`` says otherwise."""
    from core.tracker.base import local_today
    dtype = types.get(app, type_code)
    if isinstance(record, peewee.Model):
        subject = str(record) if subject is None else subject
        record = (record.audit_type(), record.get_id())
    if subject is None:
        raise TypeError("documents.issue needs subject= (the archive's line) or a record=")
    dated = dated or local_today(app)
    place = place if place is not None else (app.config["city"] or "")
    if signer is None and dtype.signer_role:
        signer = signer_mod.holder_of(dtype.signer_role)
    block = signer_mod.signer_block(signer, dtype.signer_role, dated, position=position, on_behalf=on_behalf, app=app)
    copies = list(dtype.copies_to if copies_to is None else copies_to)
    values = plain_values(values)
    token = token or secrets.token_urlsafe(24)

    def paper(number, version):
        context = context_for(app, dtype, values, number=number, dated=dated, place=place, subject=subject,
                              signer=block, copies_to=copies, token=token, version=version)
        html = render_fragment(app, dtype, context)
        try:
            return html, pdf.html_to_pdf(html, f"{dtype.title} {number}")
        except pdf.PdfError as exc:
            raise DocumentError(str(exc))

    pdf.load()          # the PDF stack's first import (~0.5 s) never runs under the write lock
    early = None
    if not db.database.obj.in_transaction():
        # Render before taking the write lock, with the number and version the paper will
        # most likely get; kept only if the locked read below agrees, else rendered again.
        guess = _expected(app, dtype, dated, number, supersedes, number_values)
        if guess is not None:
            early = guess, paper(*guess)
    with db.write():
        version = 1
        if supersedes is not None:
            supersedes = lock(supersedes)
            if supersedes.status != "valid":
                raise DocumentError(_("Hanya dokumen yang berlaku yang dapat dikoreksi."))
            version = supersedes.version + 1
            number = supersedes.number
        if number is None:
            number = take_number(app, dtype.code, dated, number_values)
        html, pdf_bytes = early[1] if early and early[0] == (number, version) else paper(number, version)
        html_sha = store_file(html.encode("utf-8"), "text/html; charset=utf-8")
        pdf_sha = store_file(pdf_bytes, "application/pdf")
        rtype, rid = record if record else (dtype.record_type, "")
        doc = audit.create(Document, type_code=dtype.code, number=number, version=version, subject=subject[:300],
                           dated=dated, place=place, record_type=rtype or "", record_id=str(rid or ""),
                           signer=block["user_id"], signer_name=block["name"],
                           signer_title=(f"a.n. {block['on_behalf']} " if block["on_behalf"] else "") + block["title"],
                           signer_nip=block["nip"], signer_rank=block["rank"],
                           values_json=json.dumps({"values": values, "copies_to": copies, "position": position,
                                                   "on_behalf": on_behalf}, ensure_ascii=False),
                           html_sha256=html_sha, pdf_sha256=pdf_sha, token=token,
                           supersedes=supersedes.id if supersedes else None,
                           issued_by=issued_by.id if issued_by is not None else None)
        if supersedes is not None:
            audit.update(supersedes, status="superseded", superseded_by=doc.id)
    return doc


def _expected(app, dtype, dated, number, supersedes, number_values):
    """(number, version) the paper will get if no other writer comes first (read without a lock)."""
    from core.numbering import NumberCounter
    if supersedes is not None:
        current = Document.get_or_none(Document.id == supersedes.id)
        return (current.number, current.version + 1) if current is not None and current.status == "valid" else None
    if number is not None:
        return number, 1
    last = (NumberCounter.select(NumberCounter.last)
            .where((NumberCounter.series == dtype.counter) & (NumberCounter.year == dated.year)).scalar())
    return numbering.render(dtype.number_format, (last or 0) + 1, dated,
                            {"classification": dtype.classification, **dtype.extra, **(number_values or {})}), 1


def lock(doc):
    """Re-read a document with its row locked (PostgreSQL) inside the caller's transaction."""
    q = Document.select().where(Document.id == doc.id)
    if not db.is_sqlite():
        q = q.for_update()
    return q.get()


def supersede(app, doc, values=None, *, subject=None, signer=None, issued_by=None, dated=None):
    """Issue a corrected version of ``doc`` (same number, new token); the old one is kept, superseded.
    ``values`` default to what ``doc`` was rendered from (e.g. after the template was corrected)."""
    stored = json.loads(doc.values_json or "{}")
    if signer is None and doc.signer_id:
        from core.identity import User
        signer = User.get_or_none(User.id == doc.signer_id)
    return issue(app, doc.type_code, values if values is not None else stored.get("values", {}),
                 subject=subject or doc.subject, record=(doc.record_type, doc.record_id), signer=signer,
                 position=stored.get("position"), on_behalf=stored.get("on_behalf") or "",
                 dated=dated, place=doc.place, issued_by=issued_by,
                 copies_to=stored.get("copies_to"), supersedes=doc)


def revoke(doc, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Alasan pencabutan wajib diisi."))
    with db.write():
        doc = lock(doc)
        if doc.status == "revoked":
            raise DocumentError(_("Dokumen ini sudah dicabut."))
        audit.update(doc, status="revoked", revoked_reason=reason[:2000], revoked_at=db.utcnow(),
                     revoked_by=user.id if user is not None else None)
    return doc


# ---------------------------------------------------------------- finding

def for_record(record_type, record_id):
    """Every version of every document about one record — or about each of a list of
    records (for a page listing many: still one query) — newest first."""
    if isinstance(record_id, (list, tuple, set)):
        match = Document.record_id.in_([str(r) for r in record_id])
    else:
        match = Document.record_id == str(record_id)
    return list(Document.select().where((Document.record_type == record_type) & match)
                .order_by(Document.issued_at.desc(), Document.id.desc()))


def current_for(record_type, record_id, type_code=None):
    """The valid (or latest) document about a record, or None."""
    q = Document.select().where((Document.record_type == record_type) & (Document.record_id == str(record_id)))
    if type_code:
        q = q.where(Document.type_code == type_code)
    return q.order_by(Document.version.desc(), Document.id.desc()).first()


def of_record(app, record_type, record_id, user):
    """[(document, type title)] of the papers about a record that ``user`` may read (``types.may_read``):
    each paper's latest version, newest first; one query. A screen's detail page lists them."""
    found, latest = types.collect(app), {}
    for doc in for_record(record_type, record_id):
        latest.setdefault((doc.type_code, doc.number), doc)      # a correction stands for the paper it corrects
    return [(doc, found[doc.type_code].title if doc.type_code in found else doc.type_code)
            for doc in latest.values() if types.may_read(app, user, doc)]


def by_token(token):
    if not re.fullmatch(r"[A-Za-z0-9_\-]{10,64}", token or ""):
        return None
    return Document.get_or_none(Document.token == token)


def archive_query(type_code="", text="", record=""):
    from core.identity import User
    issuer = User.alias()
    q = (Document.select(Document, issuer.full_name.alias("issuer_name"))
         .join(issuer, peewee.JOIN.LEFT_OUTER, on=(Document.issued_by == issuer.id)))
    if type_code:
        q = q.where(Document.type_code == type_code)
    if record and ":" in record:
        rtype, rid = record.split(":", 1)
        q = q.where((Document.record_type == rtype) & (Document.record_id == rid))
    if text:
        q = q.where(Document.number.contains(text) | Document.subject.contains(text)
                    | Document.signer_name.contains(text))
    # objects(): the joined issuer's name lands on each Document row as ``issuer_name`` (without it
    # peewee puts it on a User object and the archive showed "—" for every issuer).
    return q.order_by(Document.issued_at.desc(), Document.id.desc()).objects()


# ---------------------------------------------------------------- editing templates

def trial_values(app, dtype):
    """Values to try a template with: the last issued document of the type, else the type's sample."""
    last = (Document.select(Document.values_json, Document.number, Document.subject, Document.dated, Document.place)
            .where(Document.type_code == dtype.code).order_by(Document.id.desc()).first())
    if last is not None:
        stored = json.loads(last.values_json or "{}")
        return stored.get("values", {}), last.number, last.subject, last.dated
    sample = dtype.sample(app) if dtype.sample else {}
    return plain_values(sample), numbering.render(dtype.number_format, 1, datetime.date.today(),
                                                  {"classification": dtype.classification, **dtype.extra,
                                                   **{k: "X" for k in ("code", "programme")}}), dtype.title, \
        datetime.date.today()


def try_template(app, dtype, source):
    """(problems, preview) of an edited template against real or sample data."""
    values, number, subject, dated = trial_values(app, dtype)
    block = signer_mod.signer_block(None, dtype.signer_role, dated, position=app.role_title(dtype.signer_role)
                                    if dtype.signer_role else "", app=app)
    block.update(name="Nama Penanda Tangan", nip="198001012005011001", rank="Pembina (IV/a)")
    context = context_for(app, dtype, values, number=number, dated=dated, place=app.config["city"] or "",
                          subject=subject, signer=block, copies_to=dtype.copies_to, token="contoh-token-pratinjau")
    problems, preview = sandbox.trial(environment(app), context, source=source)
    return problems, inline_static(app, preview) if preview else ""


def save_template(app, dtype, source):
    """Save an institution's text of an editable template, after a trial render."""
    if not dtype.editable:
        raise DocumentError(_("Templat dokumen ini tidak dapat diubah."))
    problems, _preview = try_template(app, dtype, source)
    if problems:
        raise DocumentError("; ".join(problems))
    with db.write():
        row = DocumentTemplate.get_or_none(DocumentTemplate.type_code == dtype.code)
        if row is None:
            audit.create(DocumentTemplate, type_code=dtype.code, source=source)
        else:
            audit.update(row, source=source, updated_at=db.utcnow())


def reset_template(dtype):
    with db.write():
        row = DocumentTemplate.get_or_none(DocumentTemplate.type_code == dtype.code)
        if row is not None:
            audit.delete(row)
