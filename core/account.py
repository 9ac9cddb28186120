"""Login, logout, own password and language, the home page and /healthz."""
from core import audit, db, forms, identity, web
from core.context import set_actor
from core.i18n import _
from core.posts import Refusal, submit_form
from core.web import redirect, render, request, response


class LoginForm(forms.Schema):
    username = forms.String(required=True, max_length=64, label="Nama pengguna")
    password = forms.String(required=True, max_length=200, label="Kata sandi")


class PasswordForm(forms.Schema):
    current = forms.String(required=True, max_length=200, label="Kata sandi sekarang")
    new = forms.String(required=True, max_length=200, label="Kata sandi baru")
    repeat = forms.String(required=True, max_length=200, label="Ulangi kata sandi baru")


def register(router):
    @router.get("/", public=True)
    def home():
        redirect("/tasks" if web.user() else "/login")

    @router.get("/healthz", public=True)
    def healthz():
        db.database.obj.execute_sql("SELECT 1")
        response.content_type = "application/json"
        return '{"status": "ok"}'

    @router.get("/login", public=True)
    def login_form():
        if web.user():
            redirect(web.safe_next(web.query("next")) if web.query("next") else "/tasks")
        return render("login.html", page_title=_("Masuk"), values={}, errors={}, next=web.query("next"))

    @router.post("/login", public=True)
    def login():
        data, errors = forms.validate(LoginForm(), web.form())
        raw = web.form()
        nxt = web.safe_next(raw.get("next") if isinstance(raw.get("next"), str) else "", "/tasks")
        if errors:
            return render("login.html", page_title=_("Masuk"), values=raw, errors=errors, next=nxt)
        username, client = data["username"].lower(), web.client_address()
        wait = identity.throttle_wait(username, client)
        if wait:
            audit.event("login_throttled", "user", username, {"client": client, "wait": wait})
            response.status = 429
            return render("login.html", page_title=_("Masuk"), values={"username": username}, next=nxt,
                          errors={"_form": _("Terlalu banyak percobaan gagal. Coba lagi dalam {n} detik.", n=wait)})
        user = identity.User.get_or_none(identity.User.username == username)
        if not identity.check_password(user, data["password"]):
            identity.record_attempt(username, client, False)
            audit.event("login_failed", "user", username, {"client": client})
            return render("login.html", page_title=_("Masuk"), values={"username": username}, next=nxt,
                          errors={"_form": _("Nama pengguna atau kata sandi salah.")})
        identity.record_attempt(username, client, True)
        if identity.needs_rehash(user):
            identity.User.update(password_hash=identity.hash_password(data["password"])).where(identity.User.id == user.id).execute()
        old = request.get_cookie(web.SESSION_COOKIE)
        if old:   # a new session id at every login (no fixation)
            identity.Session.delete().where(identity.Session.key_hash == identity.key_hash(old)).execute()
        key = identity.open_session(user, client)
        set_actor(user)
        audit.event("login", "user", user.id, {"client": client})
        web.set_cookie(web.SESSION_COOKIE, key)
        if user.language:
            web.set_cookie(web.LANG_COOKIE, user.language, max_age=365 * 86400)
        redirect("/account/password" if user.must_change_password else nxt)

    @router.post("/logout", public=True)
    def logout():
        s = web.session()
        if s is not None:
            audit.event("logout", "user", s.user_id, {})
            identity.Session.delete().where(identity.Session.key_hash == s.key_hash).execute()
        response.delete_cookie(web.SESSION_COOKIE, path="/")
        web.flash(_("Anda sudah keluar."), "info")
        redirect("/login")

    @router.get("/account/password", permission="core.account", name="core.password_form")
    def password_form():
        return render("password.html", page_title=_("Ganti kata sandi"), errors={})

    @router.post("/account/password", permission="core.account", name="core.password_save")
    def password_save():
        return submit_form(PasswordForm(), lambda data: change_password(web.user(), data),
                           lambda values, errors: render("password.html", page_title=_("Ganti kata sandi"),
                                                         errors=errors),
                           message=_("Kata sandi sudah diganti."), to="/tasks")

    @router.post("/account/language", public=True)
    def language():
        lang = web.form().get("lang")
        if lang not in ("id", "en"):
            lang = "id"
        user = web.user()
        if user is not None:
            audit.update(user, language=lang)
        web.set_cookie(web.LANG_COOKIE, lang, max_age=365 * 86400)
        redirect(web.safe_next(web.form().get("next"), "/"))


def change_password(user, data):
    """A user changes their own password (the current one, the new one twice); their other
    sessions end, this one stays. A wrong or weak entry is refused next to its field."""
    if not identity.check_password(user, data["current"]):
        raise Refusal(_("Kata sandi sekarang salah."), "current")
    if data["new"] != data["repeat"]:
        raise Refusal(_("Kedua kata sandi baru tidak sama."), "repeat")
    problem = identity.password_problem(data["new"], user.username)
    if problem:
        raise Refusal(problem, "new")
    audit.update(user, password_hash=identity.hash_password(data["new"]), must_change_password=False)
    audit.event("password_changed", "user", user.id, {})
    identity.Session.delete().where((identity.Session.user == user.id)
                                    & (identity.Session.key_hash != web.session().key_hash)).execute()
