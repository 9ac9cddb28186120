"""Issue 11: ``balai new-plugin`` generates a plugin package that works as generated:
enabled through ``plugin_dirs``, its own tests pass, models match its migration,
and it passes the plugin contract unchanged."""
import os
import subprocess
import sys

import pytest

from core import cli
from core.testing import check_plugin_contract

NAME = "surat_masuk"          # unique in this test session (plugin modules are imported by name)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scaffold")
    assert cli.main(["new-plugin", NAME, "--dir", str(folder)]) == 0
    return os.path.join(str(folder), f"balai-{NAME}")


def test_the_package_has_every_part(generated):
    files = sorted(os.path.relpath(os.path.join(d, f), generated).replace(os.sep, "/")
                   for d, _dirs, fs in os.walk(generated) for f in fs)
    assert files == [
        "README.md", "pyproject.toml",
        f"{NAME}/__init__.py", f"{NAME}/demo.py", f"{NAME}/hooks.py",
        f"{NAME}/locale/en/LC_MESSAGES/messages.po", f"{NAME}/locale/id/LC_MESSAGES/messages.po",
        f"{NAME}/migrations/0001_initial.py", f"{NAME}/models.py", f"{NAME}/routes.py",
        f"{NAME}/sop.py", f"{NAME}/templates/{NAME}/README.txt", f"tests/test_{NAME}.py"]
    pyproject = open(os.path.join(generated, "pyproject.toml"), encoding="utf-8").read()
    assert '[project.entry-points."balai.plugins"]\nsurat_masuk = "surat_masuk"' in pyproject
    assert 'dependencies = ["balai"]' in pyproject and 'name = "balai-surat-masuk"' in pyproject
    en = open(os.path.join(generated, NAME, "locale/en/LC_MESSAGES/messages.po"), encoding="utf-8").read()
    assert 'msgid "Permohonan"\nmsgstr "Requests"' in en
    from babel.messages.pofile import read_po
    with open(os.path.join(generated, NAME, "locale/id/LC_MESSAGES/messages.po"), "rb") as fh:
        assert read_po(fh).get("Perihal").string == "Perihal"


def test_refusals_are_one_line(tmp_path, capsys, generated):
    for name, reason in [("Surat-Masuk", "invalid plugin name 'Surat-Masuk'"), ("1surat", "invalid plugin name"),
                         ("class", "reserved word"), ("core", "reserved word"),
                         ("training", "a plugin named 'training' already exists"),
                         ("json", "clashes with the installed Python module 'json'")]:
        assert cli.main(["new-plugin", name, "--dir", str(tmp_path)]) == cli.EXIT_FAIL
        err = capsys.readouterr().err
        assert reason in err and err.count("\n") == 1, err
    assert os.listdir(tmp_path) == []
    # An existing folder is never overwritten.
    parent = os.path.dirname(generated)
    assert cli.main(["new-plugin", "surat_keluar", "--dir", str(tmp_path / "nowhere")]) == cli.EXIT_FAIL
    assert "does not exist" in capsys.readouterr().err
    os.makedirs(os.path.join(parent, "balai-surat_keluar"))
    assert cli.main(["new-plugin", "surat_keluar", "--dir", parent]) == cli.EXIT_FAIL
    assert "already exists; not overwriting it" in capsys.readouterr().err
    assert os.listdir(os.path.join(parent, "balai-surat_keluar")) == []


def test_enabled_through_plugin_dirs(generated, balai_app, balai_client):
    app = balai_app(NAME, plugin_dirs=generated)
    assert app.plugins.names() == ["core", NAME]
    assert {(r.method, r.path) for r in app.router.routes if r.plugin == NAME} >= {
        ("GET", "/surat-masuk/submissions"), ("POST", "/surat-masuk/submissions/new")}
    clerk = balai_client(app, "petugas_surat_masuk")
    page = clerk.get("/surat-masuk/submissions")
    assert 'href="/surat-masuk/submissions"' in page.text                  # the menu entry
    res = clerk.follow(clerk.post("/surat-masuk/submissions/new",
                                  {"applicant": "Nur Aini", "subject": "Undangan rapat", "request_date": "2026-03-17"}))
    assert "Undangan rapat" in res.text and "SURAT-MASUK-01" in res.text    # the run panel of the override template
    assert "Melihat data Surat Masuk" in balai_client(app, "admin").get("/admin/permissions").text


def test_models_match_the_generated_migration(generated, tmp_path, capsys):
    config = tmp_path / "mk.ini"
    config.write_text(f"[balai]\nplugins = {NAME}\nplugin_dirs = {generated}\ndatabase = sqlite:///{tmp_path}/mk.db\n")
    assert cli.main(["--config", str(config), "makemigration", NAME, "check"]) == 0
    assert f"no changes: the models of {NAME} match its migrations" in capsys.readouterr().out


def test_generated_tests_pass(generated):
    """The generated tests, run as the plugin's author would: pytest in its folder, before pip install."""
    res = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                         cwd=generated, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-2000:]
    import re
    passed = int(re.search(r"(\d+) passed", res.stdout).group(1))
    assert passed >= 3 and "failed" not in res.stdout      # 3 tests, run again on PostgreSQL when it answers


def test_generated_plugin_passes_the_contract(generated, tmp_path):
    summary = check_plugin_contract(NAME, tmp_path, plugin_dirs=[generated])
    assert summary["tables"] == {"surat_masuk_submission": 1}      # the demo record, kept through disable
    assert summary["menu"] == ["/surat-masuk/submissions"]


def test_options_are_filled_in_everywhere(tmp_path, capsys):
    """Issue 22: --title, --sop-code, --depends and --roles reach the manifest, the SOP, permissions,
    catalogs, pyproject and README; the generated plugin works with them (its contract passes)."""
    name = "penempatan_uji"
    assert cli.main(["new-plugin", name, "--dir", str(tmp_path), "--title", "Penempatan Tenaga Kerja",
                     "--sop-code", "PTK-01", "--depends", "training",
                     "--roles", "pengantar_kerja_uji,sub_koordinator_uji"]) == 0
    root = tmp_path / f"balai-{name}"
    read = lambda rel: (root / rel).read_text(encoding="utf-8")      # noqa: E731
    init = read(f"{name}/__init__.py")
    assert 'title="Penempatan Tenaga Kerja"' in init and 'depends=("training",)' in init
    assert 'sop_codes=("PTK-01",)' in init
    sop = read(f"{name}/sop.py")
    assert 'CODE = "PTK-01"' in sop and 'CLERK = "pengantar_kerja_uji"' in sop
    assert '{"code": CLERK, "title": "Pengantar Kerja Uji"}' in sop
    assert "Mencatat data Penempatan Tenaga Kerja" in read(f"{name}/hooks.py")
    assert 'msgid "Penempatan Tenaga Kerja"' in read(f"{name}/locale/en/LC_MESSAGES/messages.po")
    assert "(SOP PTK-01)" in read("pyproject.toml") and "**Penempatan Tenaga Kerja**, the SOP PTK-01" in read("README.md")
    summary = check_plugin_contract(name, tmp_path, plugin_dirs=[str(root)])
    assert summary["tables"] == {f"{name}_submission": 1}
    # Bad options: one line naming each problem, nothing written.
    assert cli.main(["new-plugin", "lain_uji", "--dir", str(tmp_path), "--sop-code", "ptk 1", "--depends", "tidak_ada",
                     "--roles", "satu"]) == cli.EXIT_FAIL
    err = capsys.readouterr().err
    assert "invalid --sop-code 'ptk 1'" in err and "'tidak_ada', which is not an installed plugin" in err
    assert "invalid --roles 'satu'" in err and err.count("\n") == 1
    assert not (tmp_path / "balai-lain_uji").exists()
