"""HTML → A4 PDF with real (selectable) text, through xhtml2pdf (ReportLab).

Why xhtml2pdf: pure-Python wheels on Linux and Windows (ReportLab, svglib,
lxml, Pillow ship binary wheels; nothing needs system cairo or pango), it
renders the same HTML and CSS the browser prints, and it writes text, not an
image of the page. The frozen HTML carries its images as data: URIs, so the
renderer is given no file or network access at all.

The stack (xhtml2pdf, ReportLab, pypdf, html5lib, Pillow: ~0.5 s of CPU and ~30 MB
resident) is imported on first use, not at start-up; ``load()`` imports it ahead,
so the first paper does not pay for it while holding the write lock.
"""
import io
import logging
import os

CSS_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "static", "documents.css")


class PdfError(Exception):
    pass


def load():
    """Import the PDF stack (once per process); returns its ``pisa`` module."""
    from xhtml2pdf import pisa
    return pisa


def _deny(uri, rel):
    # Only inline data: images are allowed; anything else resolves to nothing.
    return uri if uri.startswith("data:") else ""


def html_to_pdf(fragment, title=""):
    """The frozen document fragment (an <article>) → PDF bytes."""
    with open(CSS_PATH, encoding="utf-8") as fh:
        css = fh.read()
    from markupsafe import escape
    page = (f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{css}</style></head><body class=\"pdf\">{fragment}</body></html>")
    pisa = load()
    out = io.BytesIO()
    logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
    result = pisa.CreatePDF(page, dest=out, encoding="utf-8", link_callback=_deny)
    if result.err:
        raise PdfError(f"PDF tidak dapat dibuat ({result.err} kesalahan)")
    return out.getvalue()
