"""A real browser for tests: Debian's Chromium driven by Playwright against the app served by
waitress (``LiveServer``: ``.url``, ``.open(page, path)``, ``.login(page, user)``), and the text of
the PDFs it prints. The fixtures (``balai_live``, ``balai_browser``,
``balai_page``, ``balai_phone``) are in ``core.testing``, which re-exports these names."""
import os
from urllib.parse import urlsplit

from core.testclient import TEST_PASSWORD

CHROMIUM = os.environ.get("BALAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


class LiveServer:
    """An app served by waitress in a thread on a free port (``.url``, ``.app``)."""

    def __init__(self, app, threads=4):
        import threading

        import waitress
        self.app = app
        self.server = waitress.create_server(app.wsgi, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.close()

    def open(self, page, path):
        """``page.goto(url + path)``: the Playwright response of ``path`` on this server."""
        return page.goto(self.url + path)

    def login(self, page, user, password=TEST_PASSWORD):
        """Log in a Playwright page as a person does: open /login, fill *Nama pengguna* and *Kata sandi*,
        press Enter, wait for the page that follows. ``user`` is a username, a User or a test Client
        (``balai_client(...)``). Fails naming the app's message when the login is refused.
        Returns the response of the page the login leads to."""
        username = getattr(getattr(user, "user", None), "username", None) or getattr(user, "username", user)
        self.open(page, "/login")
        if urlsplit(page.url).path != "/login":
            raise AssertionError(f"login of {username!r}: /login led to {page.url} (already logged in?)")
        name_field, password_field = page.get_by_label("Nama pengguna", exact=True), page.get_by_label("Kata sandi", exact=True)
        if name_field.count() != 1 or password_field.count() != 1:
            raise AssertionError(f"login of {username!r}: the page at {page.url} has no fields labelled "
                                 "'Nama pengguna' and 'Kata sandi' (another language?)")
        name_field.fill(username)
        password_field.fill(password)
        with page.expect_navigation() as navigation:
            password_field.press("Enter")
        res = navigation.value
        if urlsplit(page.url).path == "/login" or (res is not None and res.status >= 400):
            shown = page.locator(".flash-error, .error").all_inner_texts()
            status = res.status if res is not None else "?"
            raise AssertionError(f"login of {username!r} failed (status {status}): "
                                 + ("; ".join(t.strip() for t in shown) or "no message on the page"))
        return res


def _new_page(browser, **context):
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    return ctx, pg


def pdf_text(body):
    """(text of every page, [(width, height) in points]) of a PDF; fails if it is not one."""
    import io as _io

    from pypdf import PdfReader
    assert body[:5] == b"%PDF-", "not a PDF"
    reader = PdfReader(_io.BytesIO(body))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    return "\n".join(p.extract_text() or "" for p in reader.pages), sizes
