"""Every pending action is a task: approvals, paraf, signatures, confirmations.

Open steps of runs are tasks already; anything else a person must act on is a
``Task`` that a plugin opens and closes through these two functions::

    from core.tracker import tasks
    tasks.open(f"rab-approve:{rab.id}", "Setujui RAB Angkatan 3", f"/delivery/plans/{plan.id}",
               role="kepala_bpvp", source=rab, due=deadline)
    tasks.close(f"rab-approve:{rab.id}", by=user)          # or tasks.close(source=rab)

Both appear in *Tugas saya* with a count in the navigation; whoever receives a
task gets a notice in their own language; reminders and escalation follow
(``core/tracker/jobs.py``).
"""
import peewee

from core import audit, db, i18n
from core.i18n import _
from core.tracker import people
from core.tracker.base import app_of
from core.tracker.models import Notification, RunStep, SopStepRole, StepSignoff, Task

def _source(source):
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return str(source[0]), str(source[1])
    return source.audit_type(), str(source.id)


KEY_LENGTH = Notification.key.max_length      # a longer key is cut, and found again as cut
_INSERT_ROWS = 500                             # rows per INSERT (5 values each: under SQLite's 32,766)


def notify(app, user_ids, key, message, link=""):
    """Tell users something once per ``key``, each in their own language (``message()`` is called per
    language). Returns how many notices were added. Several notices at once: ``notify_many``."""
    return notify_many(app, [(user_ids, key, message, link)])


def _notice(user_ids, key, message, link=""):
    """One item of ``notify_many``: its recipients as a set, key and link as stored."""
    return set(user_ids), key[:KEY_LENGTH], message, link[:255]


def notify_many(app, items):
    """``notify`` for many notices at once: ``items`` are ``(user_ids, key, message[, link])`` — the
    arguments of ``notify`` — one per notice (say, per overdue record). The active users of every item
    are read once, the notices they already have once, and the new ones inserted in one statement
    (per 500), whatever the number of items and users: a job's cost does not grow with them. Each user
    gets a ``key`` once (a later item with the same key and user is left out); ``message`` is called
    (or a ``lazy`` made a text) in each recipient's language (``i18n.in_language_of``). Notices are
    not audited (neither are ``notify``'s): they tell of a change, the change's own write is.
    Returns how many notices were added."""
    items = [_notice(*item) for item in items]
    users = people.users_by_id({uid for ids, _key, _message, _link in items for uid in ids})
    users = {uid: user for uid, user in users.items() if user.active}
    keys = {key for ids, key, _message, _link in items if ids & users.keys()}
    have = set(Notification.select(Notification.user, Notification.key).where(
        Notification.key.in_(list(keys)) & Notification.user.in_(list(users))).tuples()) if keys else set()
    now, rows = db.utcnow(), []
    for ids, key, message, link in items:
        texts = {}                                     # language → the text: made once per language
        for uid in sorted(ids & users.keys()):
            if (uid, key) not in have:
                have.add((uid, key))
                language = getattr(users[uid], "language", None) or None
                if language not in texts:
                    texts[language] = i18n.in_language_of(users[uid], message)
                rows.append({"user": uid, "key": key, "message": texts[language], "link": link, "created_at": now})
    if not rows:
        return 0
    created = 0
    with db.write():
        for start in range(0, len(rows), _INSERT_ROWS):   # a notice added meanwhile (another job): ignored
            created += Notification.insert_many(rows[start:start + _INSERT_ROWS]).on_conflict_ignore() \
                .as_rowcount().execute()
    return created


def notify_role(app, role, key, message, link="", on=None):
    """``notify`` every holder of a role that day (own or acting); ``message`` a callable or a text."""
    text = message if callable(message) else (lambda: message)
    return notify(app, people.holders([role], on)[role], key, text, link)


def open(key, title, link="", user=None, role=None, source=None, due=None, app=None):   # noqa: A001
    """Open (or re-open) a task for a user or for the holders of a role; idempotent by ``key``. Returns the Task.

    ``title`` may be a callable (``lambda: _("Setujui RAB {n}", n=...)``) or a ``lazy``: the notice
    then reaches each recipient in their own language, and the task keeps the deployment's. A plain
    text is used as it is (in the language of whoever opened the task)."""
    if (user is None) == (role is None):
        raise ValueError("a task is for a user or for a role")
    app = app_of(app)
    source_type, source_id = _source(source)
    with i18n.using(None):                    # the stored title: the deployment's language
        stored = str(title() if callable(title) else title)
    fields = dict(user=getattr(user, "id", user), role=role or "", title=stored[:255], link=link[:255],
                  source_type=source_type, source_id=source_id, due_at=due, status="open",
                  closed_at=None, closed_by=None)
    key = key[:160]                           # as stored: a longer key is found again, not created twice
    with db.write():
        task = Task.get_or_none(Task.key == key)
        if task is not None and task.status == "open":
            return task
        if task is None:
            task = audit.create(Task, key=key, **fields)
        else:                                 # re-opened: a new notice (its key carries the opening time)
            task = audit.update(task, created_at=db.utcnow(), **fields)
        recipients = [task.user_id] if task.user_id else people.holders([role])[role]
        notify(app, recipients, f"task:{task.id}:{task.created_at:%Y%m%d%H%M%S}",
               lambda: _("Tugas baru: {title}", title=str(title() if callable(title) else title)), link)
    return task


def close(key=None, source=None, by=None, status="done"):
    """Close the open task(s) of a key or a source record (``status`` done or cancelled); returns how many."""
    q = Task.select().where(Task.status == "open")
    if key is not None:
        q = q.where(Task.key == key)
    elif source is not None:
        source_type, source_id = _source(source)
        q = q.where((Task.source_type == source_type) & (Task.source_id == source_id))
    else:
        raise ValueError("close a task by key or by source")
    n = 0
    with db.write():
        for task in q:
            audit.update(task, status=status, closed_at=db.utcnow(), closed_by=getattr(by, "id", by))
            n += 1
    return n


def for_user(user, on=None, limit=200):
    """The user's open tasks (theirs, or their roles' — own or acting), most urgent first: one query."""
    roles = list(people.roles_on(user, on))
    mine = Task.user == user.id
    if roles:
        mine |= Task.user.is_null() & Task.role.in_(roles)
    return list(Task.select().where((Task.status == "open") & mine)
                .order_by(Task.due_at.is_null(), Task.due_at, Task.id).limit(limit))


PENDING_CAP = 100          # the navigation counts this many at most and shows "99+"


def _pending_query():
    from core.identity import UserRole
    from core.tracker.models import Acting
    from core.tracker.reports import _open_sql
    param = db.param

    def roles():
        own = UserRole.select(UserRole.role).where(UserRole.user == param("user"))
        acting = Acting.select(Acting.role).where((Acting.user == param("user")) & (Acting.date_from <= param("day"))
                                                  & (Acting.date_to >= param("day")))
        return own | acting
    tasks_q = Task.select(Task.id).where(
        (Task.status == "open") & ((Task.user == param("user")) | (Task.user.is_null() & Task.role.in_(roles())))
    ).limit(param("cap"))
    signed = StepSignoff.select(StepSignoff.id).where((StepSignoff.run_step == RunStep.id)
                                                      & (StepSignoff.role == SopStepRole.role))
    steps_q = (SopStepRole.select(RunStep.id).distinct()
               .join(RunStep, on=(RunStep.step == SopStepRole.step))
               .where(SopStepRole.role.in_(roles()) & _open_sql() & ~peewee.fn.EXISTS(signed)
                      & (RunStep.assigned_to.is_null() | (RunStep.assigned_to == param("user"))))
               .limit(param("cap")))

    def count(q, name):
        return peewee.Select(from_list=[q.alias(name)], columns=[peewee.fn.COUNT(peewee.SQL("*"))])
    return peewee.Select(columns=[count(tasks_q, "t"), count(steps_q, "s")]).bind(db.database).tuples()


_PENDING = db.Prepared(_pending_query)      # runs on every page: SQL built once (core/db.py)


def pending_count(user, on=None, cap=PENDING_CAP):
    """Open tasks plus open steps waiting for the user (own or acting roles), for the
    navigation: one query on every page, so it counts at most ``cap`` of each and
    goes from the user's roles to their steps' open activations (index
    ``run_step(step_id, status)``). Going from every open step to its roles scanned them
    all: ~1 s a page at 100,000 open runs."""
    if user is None or getattr(user, "id", None) is None:
        return 0
    t, s = _PENDING.first(user=user.id, day=people._day(on), cap=cap)
    return (t or 0) + (s or 0)
