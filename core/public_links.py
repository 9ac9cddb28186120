"""Tokenised public links answered by outside parties (a candidate confirming a
test, an alumnus answering a survey, a company answering a placement).

One service for every plugin: a link has a ``purpose`` (``"certification.confirm"``),
a subject record, a recipient (name, phone, e-mail), an expiry, and an answer
(a JSON object) with the time it was given. A link takes one answer, or — when
``correctable_until`` is set — may be answered again (corrected) until then.
Every answer is audited; the link's row is locked while it is answered, so
answers sent at the same moment make exactly one accepted answer (the others
are refused, or recorded as corrections of it). Unknown tokens and answers
are rate limited per client address, so tokens cannot be guessed by brute force.

    link = public_links.create("tool_loan.confirm", loan, recipient_name=p.name,
                               recipient_phone=p.phone, expires_at=utcnow() + timedelta(days=7))
    ...
    link = public_links.answer(token, {"answer": "yes"}, client=web.request.remote_addr)
"""
import datetime
import json
import re
import secrets

import peewee

from core import audit, db
from core.db import BaseModel, utcnow
from core.i18n import _, lazy
from core.identity import User

TOKEN = re.compile(r"[A-Za-z0-9_\-]{16,64}")
# Per client address, within the window: failed look-ups (unknown, expired or used links)
# and answers allowed before the address is asked to wait.
WINDOW = datetime.timedelta(minutes=10)
MAX_FAILURES = 20
MAX_ANSWERS = 30


class PublicLink(BaseModel):
    token = peewee.CharField(max_length=64, unique=True)
    purpose = peewee.CharField(max_length=60, index=True)
    subject_type = peewee.CharField(max_length=80)
    subject_id = peewee.CharField(max_length=40)
    recipient_name = peewee.CharField(max_length=150, default="")
    recipient_phone = peewee.CharField(max_length=20, default="")
    recipient_email = peewee.CharField(max_length=150, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    created_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    expires_at = peewee.DateTimeField()
    correctable_until = peewee.DateTimeField(null=True)     # None: one answer only
    answer_json = peewee.TextField(default="")
    answered_at = peewee.DateTimeField(null=True)           # the first answer
    corrected_at = peewee.DateTimeField(null=True)          # the latest correction
    answer_count = peewee.IntegerField(default=0)
    revoked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "public_link"
        indexes = ((("subject_type", "subject_id", "purpose"), False),)

    @property
    def answer(self):
        """The answer given (a dict), or None."""
        return json.loads(self.answer_json) if self.answer_json else None


class PublicLinkAttempt(BaseModel):
    """One use of a public link by a client address (for the rate limit)."""
    client = peewee.CharField(max_length=64)
    at = peewee.DateTimeField(default=utcnow)
    kind = peewee.CharField(max_length=10)                  # failed | answer

    class Meta:
        table_name = "public_link_attempt"
        indexes = ((("client", "at"), False),)


MODELS = [PublicLink, PublicLinkAttempt]
PAGES = {}         # purpose → (path of its page with ``<token>``, title): filled by ``page()``


def url(link, app=None):
    """The full address of a link's page (``page()`` of its purpose must be registered), e.g. to print
    in a letter: ``https://balai.example.go.id/placement/answer/<token>``."""
    from core.context import current_app
    from core.documents.service import base_url
    path, _title = PAGES[link.purpose]
    return base_url(app or current_app()) + path.replace("<token>", link.token)


class LinkError(Exception):
    """A link that cannot be answered; the message is for the outside party.
    ``state`` says why: unknown, expired, revoked, answered, closed or limited."""
    def __init__(self, message, state):
        super().__init__(message)
        self.state = state


# ---------------------------------------------------------------- making links

def subject_of(record):
    """(type, id) of a record or of a (type, id) pair."""
    if isinstance(record, tuple):
        return str(record[0]), str(record[1])
    return record.audit_type(), str(record.id)


def create(purpose, subject, *, expires_at=None, days=None, recipient_name="", recipient_phone="", recipient_email="",
           correctable_until=None, created_by=None):
    """A new link for ``subject`` (a record or (type, id)); audited. It expires at ``expires_at``
    (naive UTC) or ``days`` days from now (one of the two)."""
    if (expires_at is None) == (days is None):
        raise TypeError("public_links.create needs expires_at= or days=, not both")
    expires_at = expires_at if days is None else utcnow() + datetime.timedelta(days=days)
    subject_type, subject_id = subject_of(subject)
    with db.write():
        return audit.create(PublicLink, token=secrets.token_urlsafe(24), purpose=purpose[:60],
                            subject_type=subject_type, subject_id=subject_id,
                            recipient_name=(recipient_name or "")[:150], recipient_phone=(recipient_phone or "")[:20],
                            recipient_email=(recipient_email or "")[:150], expires_at=expires_at,
                            correctable_until=correctable_until,
                            created_by=getattr(created_by, "id", created_by))


def for_subjects(purpose, subject_type, subject_ids):
    """{subject_id (str): the latest unrevoked link} for many subjects in one query."""
    ids = [str(i) for i in subject_ids]
    rows = (PublicLink.select().where((PublicLink.purpose == purpose) & (PublicLink.subject_type == subject_type)
                                      & PublicLink.subject_id.in_(ids or ["-"]) & PublicLink.revoked_at.is_null())
            .order_by(PublicLink.id))
    return {row.subject_id: row for row in rows}


def for_subject(purpose, subject):
    subject_type, subject_id = subject_of(subject)
    return for_subjects(purpose, subject_type, [subject_id]).get(subject_id)


def of_subject(subject):
    """[(link, title, full address, state)] of a record's unrevoked links whose purpose has a page, oldest
    first (one query): a screen's detail page lists them for the officers who send them."""
    subject_type, subject_id = subject_of(subject)
    rows = (PublicLink.select().where((PublicLink.subject_type == subject_type) & (PublicLink.subject_id == subject_id)
                                      & PublicLink.revoked_at.is_null() & PublicLink.purpose.in_(list(PAGES) or ["-"]))
            .order_by(PublicLink.id))
    return [(link, PAGES[link.purpose][1], url(link), state(link)) for link in rows]


def revoke(link, reason=""):
    with db.write():
        audit.update(link, revoked_at=utcnow())
        audit.event("public_link_revoked", PublicLink.audit_type(), link.id, {"reason": (reason or "")[:500]})


# ---------------------------------------------------------------- reading a link

def state(link, now=None):
    """open, answered (may be corrected), closed (answered, no more changes), expired or revoked."""
    now = now or utcnow()
    if link.revoked_at is not None:
        return "revoked"
    if link.answered_at is None:
        return "expired" if now > link.expires_at else "open"
    if link.correctable_until is not None and now <= link.correctable_until:
        return "answered"
    return "closed"


def limited(client, now=None):
    """Whether this client address has used up its allowance (too many failures or answers)."""
    if not client:
        return False
    since = (now or utcnow()) - WINDOW
    rows = (PublicLinkAttempt.select(PublicLinkAttempt.kind, peewee.fn.COUNT(PublicLinkAttempt.id))
            .where((PublicLinkAttempt.client == client) & (PublicLinkAttempt.at > since))
            .group_by(PublicLinkAttempt.kind).tuples())
    counts = dict(rows)
    return counts.get("failed", 0) >= MAX_FAILURES or counts.get("answer", 0) >= MAX_ANSWERS


def note(client, kind):
    if client:
        with db.write():
            PublicLinkAttempt.create(client=client[:64], kind=kind)


def limit_error():
    return LinkError(_("Terlalu banyak percobaan dari alamat Anda. Silakan coba lagi beberapa menit lagi."),
                     "limited")


def find(token, purpose=None, client=None):
    """The link of ``token`` (of ``purpose`` when given), or None; an unknown token counts as a failure
    of ``client``. Raises ``LinkError`` (state ``limited``) when the client must wait."""
    if limited(client):
        raise limit_error()
    link = None
    if token and TOKEN.fullmatch(token):
        query = PublicLink.select().where(PublicLink.token == token)
        link = query.where(PublicLink.purpose == purpose).first() if purpose else query.first()
    if link is None:
        note(client, "failed")
    return link


def refusal(link_state):
    return {
        "expired": _("Tautan ini sudah tidak berlaku."),
        "revoked": _("Tautan ini sudah dibatalkan."),
        "closed": _("Jawaban sudah tercatat sebelumnya."),
    }.get(link_state, _("Tautan tidak dikenal."))


# ---------------------------------------------------------------- answering

def answer(token, data, *, purpose=None, client=None, check=None, now=None):
    """Record ``data`` (a JSON-able dict) as the answer of the link; returns the link.

    The link's row is locked for the check and the write: of answers sent at
    once, the first is accepted, the others are refused (one-answer links) or
    recorded as its corrections (until ``correctable_until``). ``check(link)``
    may raise ``LinkError`` (or another exception) for the plugin's own refusals
    (inside the lock).

    Every refusal counts as a failure of ``client`` (a client sending refused
    answers to a link it holds is limited like one guessing tokens): the state's
    refusals and ``check``'s alike, noted after the link's savepoint in the
    caller's transaction — a caller that undoes its own transaction on the
    refusal notes it again after (``page()`` does).
    """
    now = now or utcnow()
    link = find(token, purpose, client)
    if link is None:
        raise LinkError(refusal("unknown"), "unknown")
    try:
        with db.write():
            link = db.lock(PublicLink, link.id)
            link_state = state(link, now)
            if link_state in ("open", "answered"):
                if check is not None:
                    check(link)
                fields = {"answer_json": json.dumps(data, sort_keys=True, default=str),
                          "answer_count": link.answer_count + 1}
                fields["answered_at" if link.answered_at is None else "corrected_at"] = now
                note(client, "answer")
                return audit.update(link, **fields)
    except peewee.DatabaseError:
        raise
    except Exception:
        note(client, "failed")       # check's refusal: its savepoint is undone, the count is kept
        raise
    note(client, "failed")           # after the write block: a refusal leaves no half answer, the count stays
    raise LinkError(refusal(link_state), link_state)


# ---------------------------------------------------------------- the outside party's page

class _Invalid(Exception):
    """The answer's form has field errors (``page(schema=...)``): shown next to its fields, 422."""
    def __init__(self, errors):
        super().__init__("invalid")
        self.errors = errors


def page(router, path, purpose, template=None, *, load, on_answer, subject=None, answers=(), refusals=(), thanks=None,
         name=None, title=None, schema=None, closed=None, redirect=False):
    """Register ``path`` (ending in ``<token>``) as the public page of the links of ``purpose``.

    GET: an unknown token is the 404 page, a client over its allowance the 429 page,
    a link that can no longer be answered shows its refusal (``message``). POST
    (CSRF-checked) answers inside one savepoint: ``on_answer(link, form)`` does
    the plugin's work with the link's row locked and returns the answer to record
    (a dict; None records nothing more than the time); a refusal (``LinkError``,
    ``Refusal``, ``tracker.StepError`` or one of ``refusals``) leaves nothing,
    counts as a failure of the client and shows its text with 409. ``template``
    gets ``link``, ``state``, ``message`` (None while the form is to be shown),
    ``values``, ``errors``, ``schema``, ``page_title`` (``title``) and
    ``load(link)``'s dict (which may replace ``values`` or ``page_title``). With
    ``subject`` (the model of the links' records), ``load``, ``on_answer``,
    ``schema`` and ``closed`` get the record instead of the link (locked while
    answering). Without a ``template``, the core's page shows ``heading``
    (default: the record's str), ``lines`` (from ``load``) and one button per
    ``answers`` pair (value, label), posted as ``answer`` (another value is
    refused). ``url(link)`` is then a link's full address, and the record's page
    on a ``Screen`` lists its links under ``title``.

    A form of many fields: ``schema`` (a ``forms.Schema``, or a function of the
    record giving one) validates the form under the lock; field errors re-show
    the template with ``values`` (what was sent) and ``errors`` (field → message)
    at 422, nothing kept, and ``on_answer`` gets the validated data instead of the
    raw form. ``values`` is otherwise the link's recorded answer (``{}`` before
    one): a correctable answer is shown prefilled. ``closed(record)``, when given,
    is the plugin's own reason the page takes no answer now (a survey not yet
    open, or closed): a (state, message) pair, else None; the page then shows
    that state (GET and POST alike, 200) unless the link is revoked, and records
    nothing (``on_answer`` still checks under the lock and raises ``LinkError``).
    ``thanks`` is the text after an accepted answer, or a function of the
    answered link (e.g. a first answer or a correction). ``redirect=True``
    flashes it and redirects (303) to the page again (post/redirect/get: the
    form is shown again, prefilled) instead of rendering state ``done``. A page
    of its own (``template``) also renders the 404 and 429 answers itself, with
    state ``unknown`` or ``limited``, ``link`` None and nothing from ``load``.

        public_links.page(router, "/placement/answer/<token>", "placement.answer", subject=Vacancy,
                          load=lambda vacancy: {"lines": names_of_candidates(vacancy)},
                          answers=[("invite", lazy("Undang wawancara")), ("reject", lazy("Tolak"))],
                          on_answer=lambda vacancy, form: {"invited": form.get("answer") == "invite"})
    """
    from core import forms, web
    from core.tracker.service import StepError       # here: the tracker imports this module's neighbours
    from core.posts import Refusal

    def record(link, lock=False):
        if subject is None:
            return link
        found = db.lock(subject, int(link.subject_id)) if lock else subject.get_or_none(
            subject._meta.primary_key == int(link.subject_id))
        if found is None:        # the record was deleted since the link was sent
            raise LinkError(refusal("unknown"), "unknown")
        return found

    def schema_of(obj):
        if schema is None or isinstance(schema, type):
            return schema() if schema is not None else None
        return schema if hasattr(schema, "load") else schema(obj)

    def values_of(link, obj, page_state, message, **extra):
        values = {"heading": str(obj) if subject is not None else "", "lines": [], "answers": answers,
                  "values": link.answer or {}, "errors": {}, "schema": schema_of(obj), "page_title": title or "",
                  **load(obj), **extra}
        return dict(values, link=link, state=page_state, message=message)

    def show(link, obj, page_state, message, status=200, **extra):
        web.response.status = status
        return web.render(template or "public_links/page.html", **values_of(link, obj, page_state, message, **extra))

    def refused(status, page_state, message):
        if template is None:
            return web.error_page(status, _("Terlalu banyak percobaan") if status == 429 else
                                  _("Halaman tidak ditemukan"), message)
        web.response.status = status
        return web.render(template, link=None, state=page_state, message=message, values={}, errors={}, schema=None,
                          heading="", lines=[], answers=answers, page_title=title or "")

    def shut(link, obj):
        """The plugin's own (state, message) while the page takes no answer, else None."""
        return closed(obj) if closed is not None and state(link) != "revoked" else None

    def answered(obj, form):
        if answers and form.get("answer") not in {str(value) for value, _label in answers}:
            raise Refusal(_("Pilihan tidak valid."))
        form_schema = schema_of(obj)
        if form_schema is not None:
            form, errors = forms.validate(form_schema, form)
            if errors:
                raise _Invalid(errors)
        return on_answer(obj, form)

    def thanks_for(link):
        if callable(thanks):
            return thanks(link)
        return thanks or _("Terima kasih, jawaban Anda tercatat.")

    def handler(token):
        client = web.client_address()
        try:
            link = find(token, purpose, client)
            obj = record(link) if link is not None else None
        except LinkError as exc:
            if exc.state == "limited":
                return refused(429, "limited", str(exc))
            link = None
        if link is None:         # a page, not an exception: the failure counted above is kept
            return refused(404, "unknown", refusal("unknown"))
        reason = shut(link, obj)
        if web.request.method != "POST":
            link_state = state(link)
            if reason is not None:
                return show(link, obj, *reason)
            return show(link, obj, link_state, None if link_state in ("open", "answered") else refusal(link_state))
        if reason is not None:   # a form sent as the page closed: shown closed, nothing recorded, counted
            note(client, "failed")
            return show(link, obj, *reason)
        form, data = web.form(), {}
        try:
            with db.write():     # a savepoint: a refused answer leaves nothing behind
                link = answer(token, data, purpose=purpose, client=client,
                              check=lambda locked: data.update(answered(record(locked, True), form) or {}))
        except _Invalid as exc:  # bad input: shown next to its fields; a 422 keeps nothing, counts nothing
            return show(link, obj, state(link), None, 422, values=form, errors=exc.errors)
        except (LinkError, StepError, Refusal, *refusals) as exc:
            link_state = getattr(exc, "state", "refused")
            if link_state == "limited":
                return refused(429, "limited", str(exc))
            note(client, "failed")   # the savepoint took the failure count with it
            if link_state == "unknown":
                return refused(404, "unknown", str(exc))
            link = PublicLink.get_by_id(link.id)     # read again: an answer that won the race is shown
            return show(link, record(link), link_state, str(exc), 409)
        if redirect:
            web.flash(thanks_for(link))
            web.redirect(web.request.path)
        return show(link, record(link), "done", thanks_for(link))

    router.route(path, method=["GET", "POST"], public=True, name=name or f"{router.plugin}.{purpose}")(handler)
    PAGES[purpose] = (path, title or lazy("Tautan jawaban"))
    return handler
