"""Issue 21: what a server process loads at start-up (no timing here: the figures are in
docs/performance.md). Heavy modules load when first used — the PDF stack of the document
service (xhtml2pdf, ReportLab, pypdf, html5lib: ~30 MB resident) when a paper is first
rendered — and a SQLite deployment never loads the PostgreSQL driver (~22 MB resident)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PROBE = """
import sys
from core import cli
cli.skip_unused_database_driver(["--config", sys.argv[1], "serve"])
from core.app import build
app = build(sys.argv[1])
app.wsgi
HEAVY = ("psycopg", "psycopg2", "holidays", "openpyxl", "segno", "playhouse.schema_diff",
         "xhtml2pdf", "reportlab", "pypdf", "html5lib", "num2words", "docx")
print(" ".join(sorted(m for m in HEAVY if sys.modules.get(m) is not None)))
"""


def loaded_at_start(config):
    out = subprocess.run([sys.executable, "-c", PROBE, str(config)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_a_sqlite_server_starts_without_heavy_modules(tmp_path):
    """Every bundled plugin enabled (each issues papers): nothing heavy is imported at start."""
    config = tmp_path / "config.ini"
    config.write_text(f"[balai]\ninstitution = Uji\nplugins = training certification service_desk training_delivery casefile tracer_survey\ndatabase = sqlite:///{tmp_path}/b.db\n")
    assert loaded_at_start(config) == set()


def test_a_postgresql_server_keeps_its_driver(tmp_path):
    config = tmp_path / "config.ini"
    config.write_text("[balai]\ninstitution = Uji\nplugins = training\n"
                      "database = postgresql://postgres@127.0.0.1:5432/postgres\n")
    assert loaded_at_start(config) == {"psycopg"}


def test_the_pdf_stack_loads_on_first_paper():
    """The lazy import still renders: a paper's PDF comes out of ``html_to_pdf``."""
    from core.documents import pdf
    assert pdf.html_to_pdf("<article><p>Uji</p></article>", "Uji").startswith(b"%PDF")
