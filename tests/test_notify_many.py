"""tasks.notify_many (core/tracker/tasks.py): many notices in one INSERT, each in its recipient's
language, once per key and user, at a cost that does not grow with the notices or the recipients."""
from core import db, i18n, identity
from core.testing import count_queries, make_user
from core.toolkit import tasks as toolkit_tasks
from core.tracker import tasks
from core.tracker.models import Notification


def new_task(title):
    return lambda: i18n._("Tugas baru: {title}", title=title)


def notices():
    return {(n.user_id, n.key): n for n in Notification.select()}


def test_each_recipient_in_their_language_once_per_key(balai_app):
    app = balai_app(language="id")
    budi = make_user(app, "budi", (identity.ADMIN,), language="id")
    jane = make_user(app, "jane", (identity.ADMIN,), language="en")
    nobody = make_user(app, "nobody", (identity.ADMIN,), language="")
    gone = make_user(app, "gone", (identity.ADMIN,), active=False)
    everyone = [budi.id, jane.id, nobody.id, gone.id]
    with db.connection():
        assert toolkit_tasks.notify_many is tasks.notify_many
        created = tasks.notify_many(app, [
            (everyone, "k:1", new_task("Paraf surat"), "/a"),
            ([jane.id], "k:2", new_task("Tanda tangan"), "/b"),
            ((u for u in [budi.id]), "k:3", "Teks biasa"),                      # no link; a generator of ids
            ([jane.id, budi.id], "k:2", new_task("Lagi"), "/c"),              # k:2 again: budi's only
        ])
        assert created == 3 + 1 + 1 + 1
        got = notices()
    assert got[(budi.id, "k:1")].message == "Tugas baru: Paraf surat" and got[(budi.id, "k:1")].link == "/a"
    assert got[(jane.id, "k:1")].message == "New task: Paraf surat"
    assert got[(nobody.id, "k:1")].message == "Tugas baru: Paraf surat"       # the deployment's language
    assert (gone.id, "k:1") not in got                                         # inactive: never told
    assert got[(jane.id, "k:2")].message == "New task: Tanda tangan" and got[(jane.id, "k:2")].link == "/b"
    assert got[(budi.id, "k:2")].message == "Tugas baru: Lagi"
    assert got[(budi.id, "k:3")].message == "Teks biasa" and got[(budi.id, "k:3")].link == ""
    assert len(got) == 6
    with db.connection():
        assert tasks.notify_many(app, [(everyone, "k:1", new_task("Paraf surat"), "/a")]) == 0   # idempotent
        assert tasks.notify(app, everyone, "k:1", new_task("Paraf surat"), "/a") == 0
        assert tasks.notify_many(app, []) == 0 and tasks.notify_many(app, [([gone.id], "k:9", "x")]) == 0
        assert Notification.select().count() == 6


def test_a_key_longer_than_stored_is_found_again(balai_app):
    """A key is stored cut to 120 characters: a second call with the same long key adds nothing."""
    app = balai_app()
    budi = make_user(app, "budi", (identity.ADMIN,))
    key = "delivery-reply:" + "x" * 200
    with db.connection():
        assert tasks.notify(app, [budi.id], key, "Satu", "/a") == 1
        assert tasks.notify(app, [budi.id], key, "Satu", "/a") == 0
        assert tasks.notify_many(app, [([budi.id], key, "Satu", "/a")]) == 0
        assert [n.key for n in Notification.select()] == [key[:120]]


def test_the_cost_is_the_same_for_more_notices_and_more_recipients(balai_app):
    """Users read once, their notices once, every new notice in one INSERT: 2 notices to 3 users
    cost what 4 notices to 6 users cost (one ``notify`` per notice would read twice each)."""
    app = balai_app()
    users = [make_user(app, f"u{i}", (identity.ADMIN,), language="en" if i % 2 else "id") for i in range(6)]
    ids = [u.id for u in users]

    def send(prefix, notices_n, recipients):
        with db.connection():
            return tasks.notify_many(app, [(recipients, f"{prefix}:{n}", new_task(f"Surat {n}"), f"/s/{n}")
                                           for n in range(notices_n)])
    small = count_queries(lambda: send("small", 2, ids[:3]))
    large = count_queries(lambda: send("large", 4, ids))
    again = count_queries(lambda: send("large", 4, ids))                      # nothing new: reads only
    assert small == large
    assert again < large
    with db.connection():
        assert Notification.select().where(Notification.key.startswith("small:")).count() == 2 * 3
        assert Notification.select().where(Notification.key.startswith("large:")).count() == 4 * 6
        english = Notification.get((Notification.user == users[1].id) & (Notification.key == "large:3"))
        assert english.message == "New task: Surat 3"
