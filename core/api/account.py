"""Personal API tokens for people: the screen in the account page and ``balai api-token``.

The secret is shown once — in the answer to the form that created it (never
in a cookie, a redirect or the database) or on the CLI's standard output.
"""
import sys

from core import forms, identity, web
from core.api import tokens
from core.i18n import _
from core.errors import Fail
from core.plugins import Command
from core.posts import run_action
from core.web import render

EXPIRY_CHOICES = [("30d", "30 hari"), ("90d", "90 hari"), ("180d", "180 hari"), ("365d", "365 hari")]


class TokenForm(forms.Schema):
    name = forms.String(required=True, max_length=100, label="Nama token (untuk apa)")
    expires = forms.Choice(EXPIRY_CHOICES, required=True, label="Berlaku")


# ---------------------------------------------------------------- the screen

def register(router):
    def page(values=None, errors=None, secret=None, created=None):
        return render("account/tokens.html", page_title=_("Token API"), rows=tokens.of_user(web.user()),
                      scopes=tokens.SCOPES, expiry=EXPIRY_CHOICES, schema=TokenForm(), now=tokens.utcnow(),
                      values=values or {"expires": "90d", "scopes": list(tokens.DEFAULT_SCOPES)},
                      errors=errors or {}, secret=secret, created=created)

    @router.get("/account/tokens", permission="core.api_tokens")
    def api_tokens():
        return page()

    @router.post("/account/tokens", permission="core.api_tokens")
    def api_token_create():
        raw = web.form()
        scopes = [s for s in web.form_list("scopes") if isinstance(s, str)]
        data, errors = forms.validate(TokenForm(), raw)
        values = {**raw, "scopes": scopes}
        if not errors:
            try:
                token, secret = tokens.create(web.user(), data["name"], scopes or ["-"], data["expires"])
            except tokens.TokenError as exc:
                errors = {"scopes": str(exc)}
        if errors:
            web.response.status = 422
            return page(values, errors)
        # Shown in this answer only: not flashed (a cookie), not redirected to.
        return page(secret=secret, created=token)

    @router.post("/account/tokens/<token_id:int>/revoke", permission="core.api_tokens")
    def api_token_revoke(token_id):
        token = tokens.ApiToken.get_or_none((tokens.ApiToken.id == token_id) & (tokens.ApiToken.user == web.user().id))
        if token is None:
            raise web.NotFound()
        run_action(lambda: tokens.revoke(token), "/account/tokens", _("Token {n} dicabut.", n=token.name))


# ---------------------------------------------------------------- the CLI

def configure(parser):
    sub = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    a = sub.add_parser("create", help="create a token for USER; prints the secret once")
    a.add_argument("username")
    a.add_argument("--scope", action="append", default=[],
                   help="read, write, tracker, documents (repeat or comma-separate; default: read)")
    a.add_argument("--expires", default="", help="days (e.g. 90d) or a date YYYY-MM-DD; default 90d, at most 366 days")
    a.add_argument("--name", default="", help="what the token is for (default: cli)")
    a = sub.add_parser("list", help="tokens (of USER, or everyone's)")
    a.add_argument("username", nargs="?")
    a = sub.add_parser("revoke", help="revoke a token by its id")
    a.add_argument("token_id", type=int)


def run(app, args):
    if args.token_command == "create":
        user = identity.User.get_or_none(identity.User.username == args.username.lower())
        if user is None or not user.active:
            raise Fail(f"no active user {args.username!r}")
        try:
            token, secret = tokens.create(user, args.name or "cli", args.scope or tokens.DEFAULT_SCOPES, args.expires)
        except tokens.TokenError as exc:
            raise Fail(str(exc))
        print(f"token {token.id} for {user.username}: scopes {token.scopes}, expires {token.expires_at:%Y-%m-%d}",
              file=sys.stderr)
        print(secret)
        return 0
    if args.token_command == "list":
        q = tokens.ApiToken.select(tokens.ApiToken, identity.User).join(identity.User).order_by(tokens.ApiToken.id)
        if args.username:
            q = q.where(identity.User.username == args.username.lower())
        for t in q:
            state = "revoked" if t.revoked_at else ("expired" if not t.active else "active")
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            print(f"{t.id}\t{t.user.username}\t{t.prefix}…\t{t.name}\t{t.scopes}\t"
                  f"expires {t.expires_at:%Y-%m-%d}\tlast used {used}\t{state}")
        return 0
    token = tokens.ApiToken.get_or_none(tokens.ApiToken.id == args.token_id)
    if token is None:
        raise Fail(f"no token {args.token_id}")
    tokens.revoke(token)
    print(f"token {token.id} ({token.name}) of user {token.user.username} revoked")
    return 0


COMMAND = Command("api-token", "personal API tokens: create, list, revoke", run, configure)
