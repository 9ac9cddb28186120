"""Identity: users, roles, the role → permission matrix, passwords and sessions.

Roles are codes declared by core (``admin``) and by plugins (SOP actor roles).
Permissions are declared with default roles; the matrix an admin edits lives
in ``role_permission``. ``admin`` holds every permission (but performs SOP
steps only for the actor roles it also holds: "may edit" ≠ "may perform").
"""
import datetime
import hashlib
import os
import secrets

import peewee
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.db import BaseModel, utcnow

ADMIN = "admin"
PASSWORD_MIN_LENGTH = 10
# argon2id with OWASP's password-storage recommendation (m=19 MiB, t=2, p=1): memory-hard
# but small enough that a burst of logins does not push a worker past a few hundred MB
# (the library defaults, RFC 9106's first option, take 64 MiB per login). Hashes made
# with other parameters are rehashed at the next successful login (``needs_rehash``).
ARGON2_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hasher = PasswordHasher(**ARGON2_PARAMETERS)


# ---------------------------------------------------------------- models

class User(BaseModel):
    username = peewee.CharField(max_length=64, unique=True)
    full_name = peewee.CharField(max_length=150)
    nip = peewee.CharField(max_length=18, null=True)
    rank = peewee.CharField(max_length=80, default="")       # pangkat/golongan, shown under signatures
    position = peewee.CharField(max_length=150, default="")  # jabatan, shown under signatures
    email = peewee.CharField(max_length=150, default="")
    phone = peewee.CharField(max_length=20, default="")
    active = peewee.BooleanField(default=True)
    password_hash = peewee.CharField(max_length=255, default="")
    must_change_password = peewee.BooleanField(default=False)
    language = peewee.CharField(max_length=5, default="")
    created_at = peewee.DateTimeField(default=utcnow)

    audit_exclude = ("password_hash",)

    class Meta:
        table_name = "user"

    # Filled by load_roles(); a frozenset of role codes.
    _roles = None
    _permissions = None
    counts = {}        # per-request counts read with the session (see find_session)

    @property
    def roles(self):
        if self._roles is None:
            self._roles = frozenset(r for (r,) in UserRole.select(UserRole.role)
                                    .where(UserRole.user == self.id).tuples())
        return self._roles

    @property
    def is_admin(self):
        return ADMIN in self.roles

    def can(self, permission):
        """True if one of the user's roles grants ``permission`` (admin: all)."""
        if not self.active:
            return False
        if self.is_admin:
            return True
        if self._permissions is None:
            self._permissions = granted_permissions(self.roles)
        return permission in self._permissions

    def __str__(self):
        return self.full_name or self.username


class UserRole(BaseModel):
    user = peewee.ForeignKeyField(User, backref="role_rows", on_delete="CASCADE")
    role = peewee.CharField(max_length=64)

    class Meta:
        table_name = "user_role"
        indexes = ((("user", "role"), True), (("role",), False))


class RolePermission(BaseModel):
    role = peewee.CharField(max_length=64)
    permission = peewee.CharField(max_length=100)

    class Meta:
        table_name = "role_permission"
        indexes = ((("role", "permission"), True),)


class PermissionSeen(BaseModel):
    """(permission, role) default grants applied once; an admin's later edits are kept."""
    key = peewee.CharField(max_length=170, primary_key=True)   # "permission role"

    class Meta:
        table_name = "permission_seen"


class Session(BaseModel):
    key_hash = peewee.CharField(max_length=64, primary_key=True)   # sha256 of the cookie value
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    csrf_token = peewee.CharField(max_length=64)
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen = peewee.DateTimeField(default=utcnow)
    client = peewee.CharField(max_length=64, default="")

    class Meta:
        table_name = "session"


class LoginAttempt(BaseModel):
    username = peewee.CharField(max_length=64, index=True)
    client = peewee.CharField(max_length=64, index=True)
    at = peewee.DateTimeField(default=utcnow, index=True)
    success = peewee.BooleanField(default=False)

    class Meta:
        table_name = "login_attempt"


MODELS = [User, UserRole, RolePermission, PermissionSeen, Session, LoginAttempt]


# ---------------------------------------------------------------- permissions

def users_with_role(role, active=True):
    """A query of the users holding ``role`` (only active accounts unless ``active=False``), by id."""
    query = User.select().join(UserRole, on=(UserRole.user == User.id)).where(UserRole.role == role)
    if active:
        query = query.where(User.active == True)  # noqa: E712
    return query.order_by(User.id)


def granted_permissions(roles):
    return frozenset(p for (p,) in RolePermission.select(RolePermission.permission)
                     .where(RolePermission.role.in_(list(roles) or [""])).tuples())


def roles_granting(permission):
    return sorted(r for (r,) in RolePermission.select(RolePermission.role)
                  .where(RolePermission.permission == permission).tuples())


def seed_permissions(declared, roles):
    """Apply each default grant the first time it is seen (``"*"``: every staff role).

    Seen per (permission, role), so a role a newly enabled plugin brings gets
    its defaults, while a grant an admin removed stays removed.
    """
    seen = {k for (k,) in PermissionSeen.select(PermissionSeen.key).tuples()}
    staff = [r.code for r in roles if not r.external]
    for perm in declared:
        targets = staff if "*" in perm.default_roles else list(perm.default_roles)
        for role in targets:
            key = f"{perm.name} {role}"
            if key in seen:
                continue
            RolePermission.insert(role=role, permission=perm.name).on_conflict_ignore().execute()
            PermissionSeen.insert(key=key).on_conflict_ignore().execute()


# ---------------------------------------------------------------- passwords

_COMMON = None


def common_passwords():
    """The 30,000 most common passwords of zxcvbn's list (from leaked password sets),
    plus Indonesian ones of our own (core/data/common-passwords.txt)."""
    global _COMMON
    if _COMMON is None:
        from zxcvbn.frequency_lists import FREQUENCY_LISTS
        path = os.path.join(os.path.dirname(__file__), "data", "common-passwords.txt")
        with open(path, encoding="utf-8") as fh:
            own = {line.strip().lower() for line in fh if line.strip()}
        _COMMON = frozenset(own | {p.lower() for p in FREQUENCY_LISTS["passwords"]})
    return _COMMON


def password_problem(password, username=""):
    """The reason a password is refused (Indonesian msgid), or None."""
    from core.i18n import _
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("Kata sandi minimal {n} karakter.", n=PASSWORD_MIN_LENGTH)
    if len(password) > 200:
        return _("Kata sandi terlalu panjang (maksimal 200 karakter).")
    lowered = password.lower()
    if lowered in common_passwords() or (username and username.lower() in lowered):
        return _("Kata sandi ini terlalu mudah ditebak; pilih yang lain.")
    return None


def hash_password(password):
    return _hasher.hash(password)


_DUMMY_HASH = None


def _dummy_hash():
    """A hash of a random password with our parameters: an unknown user costs one verify too."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def check_password(user, password):
    """True if ``password`` is the user's. Takes the time of one argon2 verify whether
    the user exists, is inactive or has no password (no timing oracle for usernames)."""
    stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return stored is not _DUMMY_HASH and bool(user.active)


def needs_rehash(user):
    return _hasher.check_needs_rehash(user.password_hash)


# ---------------------------------------------------------------- sessions

def new_session_key():
    return secrets.token_urlsafe(32)


def key_hash(key):
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def open_session(user, client=""):
    key = new_session_key()
    Session.create(key_hash=key_hash(key), user=user, csrf_token=secrets.token_urlsafe(32), client=client or "")
    return key


def _joined(column):
    """All values of ``column`` in one string (for reading a user's roles and
    permissions in the session query itself)."""
    from core.db import is_sqlite
    if is_sqlite():
        return peewee.fn.GROUP_CONCAT(column, "\n")
    return peewee.fn.STRING_AGG(column, "\n")


_session_queries = {}


def _session_query(names, counts):
    """The session query, compiled once per set of counts (it runs on every request)."""
    if names not in _session_queries:
        from core.db import Prepared, param

        def build():
            roles = UserRole.select(_joined(UserRole.role)).where(UserRole.user == User.id)
            granted = (RolePermission.select(_joined(RolePermission.permission))
                       .where(RolePermission.role.in_(UserRole.select(UserRole.role).where(UserRole.user == User.id))))
            extra = [roles.alias("_role_list"), granted.alias("_permission_list")]
            extra += [counts[name].alias(f"_count_{name}") for name in names]
            return Session.select(Session, User, *extra).join(User).where(Session.key_hash == param("key")).limit(1)
        _session_queries[names] = Prepared(build)
    return _session_queries[names]


def find_session(key, idle_minutes, max_hours, counts=None):
    """The live session for a cookie value, or None (expired ones are removed).

    ONE query reads the session, its user, the user's roles and permissions and
    the ``counts`` ({name: correlated subquery on ``User.id``}, e.g. unread
    notifications) every page shows; they land on ``user.roles``,
    ``user.can()`` and ``user.counts``."""
    if not key or len(key) > 100:
        return None
    session = _session_query(tuple(counts or {}), counts).first(key=key_hash(key))
    if session is None:
        return None
    now = utcnow()
    if (now - session.last_seen > datetime.timedelta(minutes=idle_minutes)
            or now - session.created_at > datetime.timedelta(hours=max_hours)
            or not session.user.active):
        Session.delete().where(Session.key_hash == session.key_hash).execute()
        return None
    user = session.user
    user._roles = frozenset(filter(None, (session._role_list or "").split("\n")))
    user._permissions = frozenset(filter(None, (session._permission_list or "").split("\n")))
    user.counts = {name: getattr(session, f"_count_{name}") or 0 for name in counts or {}}
    return session


# ---------------------------------------------------------------- login throttling

THROTTLE_FREE_FAILURES = 5
THROTTLE_MAX_WAIT = 900
THROTTLE_WINDOW = datetime.timedelta(minutes=15)


def throttle_wait(username, client):
    """Seconds the next attempt of this (user, address) pair must wait.

    Counted per pair, so a colleague behind the same office NAT, or the same
    user from another address, is never refused a correct password because of
    someone else's failures. Five failures are free; then the pair slows down,
    waiting 1, 2, 4, … seconds between attempts, until the wait reaches 15
    minutes (a lock that ends by itself when the window has passed).
    """
    since = utcnow() - THROTTLE_WINDOW
    rows = list(LoginAttempt.select(LoginAttempt.at)
                .where((LoginAttempt.username == username.lower()[:64]) & (LoginAttempt.client == (client or ""))
                       & (LoginAttempt.at > since) & (LoginAttempt.success == False))  # noqa: E712
                .order_by(LoginAttempt.at.desc()).limit(20).tuples())
    failures = len(rows)
    if failures < THROTTLE_FREE_FAILURES:
        return 0
    delay = min(2 ** (failures - THROTTLE_FREE_FAILURES), THROTTLE_MAX_WAIT)
    remaining = delay - (utcnow() - rows[0][0]).total_seconds()
    return int(remaining + 0.999) if remaining > 0 else 0


def record_attempt(username, client, success):
    LoginAttempt.create(username=username.lower()[:64], client=client or "", success=success)
    if success:
        LoginAttempt.delete().where((LoginAttempt.username == username.lower()[:64])
                                    & (LoginAttempt.client == (client or ""))
                                    & (LoginAttempt.success == False)).execute()  # noqa: E712
