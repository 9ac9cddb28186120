"""``balai demo``: a deployment a new user can click through at once.

Migrates the database, creates one demo user per staff role (and an admin),
prints their passwords once, then lets every enabled plugin load its demo
data (``balai_demo_data``). Running it again changes nothing.
"""
import secrets

from core import audit, db, i18n, identity
from core.i18n import _, format_number
from core.context import SYSTEM, set_actor

WORDS = ["merah", "biru", "kopi", "sawah", "pantai", "gunung", "rotan", "batik", "jati", "kenari", "melati", "ombak"]


def demo_password():
    return "-".join(secrets.choice(WORDS) for _ in range(2)) + "-" + str(secrets.randbelow(900) + 100)


def demo_users(app):
    """One user per staff role, username = role code; returns [(username, role title, password or None)]."""
    from core.admin import set_roles
    out = []
    roles = [r for r in app.roles.values() if not r.external]
    for role in sorted(roles, key=lambda r: (r.code != identity.ADMIN, r.code)):
        username = role.code.replace("_", ".")
        existing = identity.User.get_or_none(identity.User.username == username)
        if existing is not None:
            out.append((username, app.role_title(role.code), None))
            continue
        password = demo_password()
        with db.write():
            user = audit.create(identity.User, username=username, full_name=demo_name(role),
                                nip=demo_nip(len(out)), rank="Penata / III.c", position=role.title,
                                password_hash=identity.hash_password(password))
            set_roles(user, {role.code})
        out.append((username, app.role_title(role.code), password))   # in the deployment's language
    return out


NAMES = ["Andi Pratama", "Siti Rahmawati", "Muhammad Rizky", "Dewi Lestari", "Agus Salim", "Nur Aini",
         "Budi Santoso", "Rina Marlina", "Hendra Gunawan", "Yuliana Sari", "La Ode Hamid", "Wa Ode Nurul",
         "Fajar Nugroho", "Intan Permata", "Rahmat Hidayat", "Sri Wahyuni", "Yusuf Maulana", "Ayu Kartika"]


def demo_name(role):
    return f"{NAMES[sum(map(ord, role.code)) % len(NAMES)]} ({role.title})"


def demo_nip(i):
    return f"19{80 + i % 15:02d}0{1 + i % 9}1{2 + i % 7}20{10 + i % 10:02d}0{1 + i % 2}100{i % 10}"[:18].ljust(18, "1")


def load(app, args=None):
    from core import audit_anchor
    audit_anchor.use_key_of(app, create=True)
    set_actor(SYSTEM)
    ran = db.migrate(app.plugins)
    audit.install_triggers(db.database.obj)
    app.startup()
    users = demo_users(app)
    lines = []
    with i18n.using(app.config["language"]):      # what the demo records is in the deployment's language
        for plugin, result in app.plugins.each("balai_demo_data", app=app):
            lines += [f"{plugin.name}: {line}" for line in (result or [])]
    # What staff read, in the deployment's language (config ``language``).
    with i18n.using(app.config["language"]):
        print(_("Data demo untuk {institution} ({n} migrasi dijalankan)",
                institution=app.config["institution"], n=format_number(len(ran), 0)))
        for line in lines:
            print("  " + line)
        fresh = [(u, t, p) for u, t, p in users if p]
        if fresh:
            print("\n" + _("Pengguna demo — kata sandi hanya ditampilkan sekali ini:"))
            width = max(len(u) for u, _t, _p in fresh)
            for username, title, password in fresh:
                print(f"  {username:<{width}}  {password:<22}  {title}")
        else:
            print("\n" + _("Pengguna demo sudah ada; kata sandinya ditampilkan saat pertama kali "
                          "(kata sandi baru: balai user passwd USERNAME)."))
    return 0
