"""A real browser for tests: Debian's Chromium driven by Playwright against the app served by
waitress, and the text of the PDFs it prints. The fixtures (``balai_live``, ``balai_browser``,
``balai_page``, ``balai_phone``) are in ``core.testing``, which re-exports these names."""
import os

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
