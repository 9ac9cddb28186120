"""Personal API tokens: hashed at rest, shown once, scoped, expiring, revocable, audited.

    token, secret = tokens.create(user, "Rekap SIAPkerja", scopes=["read"], expires=date(2027, 1, 1))
    # give ``secret`` to the script once; only sha256(secret) is stored
    tokens.find(secret)          # → the ApiToken (with its user) or None
    tokens.revoke(token)

A token acts as its user: a request needs the route's scope on the token AND
the route's permission on the user (so a token can never do more than its
owner can in the browser). Creating and revoking go through ``core.audit``;
the hash is left out of the audit log.

Rate limit: an in-process token bucket per API token (``BURST`` requests at
once, refilled at ``PER_MINUTE`` a minute). Each ``balai serve`` process keeps
its own buckets, so with N processes a token may make N times as many
requests; a restart refills them.
"""
import datetime
import hashlib
import secrets
import threading
import time

import peewee

from core import audit, db
from core.db import BaseModel, utcnow
from core.i18n import lazy
from core.identity import User

PREFIX = "balai_"
SCOPES = {
    "read": lazy("Membaca data (GET)"),
    "write": lazy("Menambah dan mengubah data layar umum"),
    "tracker": lazy("Menjalankan langkah SOP (selesai, kembalikan, tunda, lanjutkan)"),
    "documents": lazy("Mengunduh dan memeriksa dokumen terbit"),
}
DEFAULT_SCOPES = ("read",)
DEFAULT_DAYS = 90
MAX_DAYS = 366
BURST = 60
PER_MINUTE = 120


class ApiToken(BaseModel):
    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    token_hash = peewee.CharField(max_length=64, unique=True)
    prefix = peewee.CharField(max_length=16)                 # shown in lists to tell tokens apart
    scopes = peewee.CharField(max_length=200)                # comma-separated
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    last_used_at = peewee.DateTimeField(null=True)
    revoked_at = peewee.DateTimeField(null=True)

    audit_exclude = ("token_hash",)

    class Meta:
        table_name = "api_token"

    @property
    def scope_list(self):
        return [s for s in self.scopes.split(",") if s]

    @property
    def active(self):
        return self.revoked_at is None and self.expires_at > utcnow()


class TokenError(Exception):
    """A token request that cannot be granted (message for the user)."""


def hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_expiry(text, today=None):
    """``"90d"``, ``"2027-01-31"`` or blank (90 days) → the expiry as naive UTC; TokenError if invalid."""
    from core.i18n import _
    today = today or datetime.date.today()
    text = (text or "").strip()
    if not text:
        day = today + datetime.timedelta(days=DEFAULT_DAYS)
    elif text.endswith("d") and text[:-1].isdigit() and len(text) < 6:
        day = today + datetime.timedelta(days=int(text[:-1]))
    else:
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise TokenError(_("Masa berlaku tidak valid: tulis jumlah hari (mis. 90d) atau tanggal TTTT-BB-HH."))
    if day <= today:
        raise TokenError(_("Masa berlaku harus sesudah hari ini."))
    if day > today + datetime.timedelta(days=MAX_DAYS):
        raise TokenError(_("Masa berlaku paling lama {n} hari.", n=MAX_DAYS))
    return datetime.datetime.combine(day, datetime.time())


def parse_scopes(values):
    from core.i18n import _
    scopes = [s.strip() for v in (values or DEFAULT_SCOPES) for s in str(v).split(",") if s.strip()]
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise TokenError(_("Cakupan tidak dikenal: {s} (boleh: {ok}).", s=", ".join(unknown) or "-", ok=", ".join(SCOPES)))
    return list(dict.fromkeys(scopes))


def create(user, name, scopes=DEFAULT_SCOPES, expires=None):
    """A new token for ``user``: returns (ApiToken, secret). The secret is never stored."""
    from core.i18n import _
    name = (name or "").strip()[:100]
    if not name:
        raise TokenError(_("Nama token wajib diisi."))
    scopes = parse_scopes(scopes)
    expires_at = expires if isinstance(expires, datetime.datetime) else parse_expiry(expires)
    secret = PREFIX + secrets.token_urlsafe(32)
    with db.write():
        token = audit.create(ApiToken, user=user, name=name, token_hash=hash_secret(secret), prefix=secret[:12],
                             scopes=",".join(scopes), expires_at=expires_at)
    return token, secret


def revoke(token):
    with db.write():
        if token.revoked_at is None:
            audit.update(token, revoked_at=utcnow())
    return token


def of_user(user):
    return list(ApiToken.select().where(ApiToken.user == user).order_by(ApiToken.id.desc()))


def find(secret):
    """The active token for ``secret`` with its user, or None (unknown, revoked, expired, user inactive)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.select(ApiToken, User).join(User)
             .where(ApiToken.token_hash == hash_secret(secret)).first())
    if token is None or not token.active or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # Bookkeeping, not a change of the record: at most once a minute, outside the audit log.
        ApiToken.update(last_used_at=now).where(ApiToken.id == token.id).execute()
    return token


# ---------------------------------------------------------------- rate limit

class Buckets:
    """Token buckets per API token id, in this process."""

    def __init__(self, burst=BURST, per_minute=PER_MINUTE):
        self.burst, self.rate = burst, per_minute / 60.0
        self.state = {}
        self.lock = threading.Lock()

    def take(self, key):
        """0 when a request may go ahead, else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            level, at = self.state.get(key, (self.burst, now))
            level = min(self.burst, level + (now - at) * self.rate)
            if level < 1:
                self.state[key] = (level, now)
                return max(1, int((1 - level) / self.rate + 0.999))
            self.state[key] = (level - 1, now)
            return 0
