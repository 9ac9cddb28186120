"""Issue 23, the CLI: what staff read (init, user messages, `balai sop list/show`, the demo summary)
is in the deployment's `language`; error lines are English, `balai: <what failed>: <reason>`."""
import io
import sys

import pytest
from balai_toys import TOYS

from core.cli import main
from core.testing import write_config


def deployment(tmp_path, language):
    folder = tmp_path / language
    folder.mkdir()
    return write_config(str(folder), ["toy_base"], f"sqlite:///{folder}/balai.db", language=language,
                        plugin_dirs=TOYS)


def run(config, *args, stdin=None, monkeypatch=None, capsys=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--config", config, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("language, expected", [
    ("en", {"init": "Admin kepala created.", "ready": "Database ready (", "user": "User budi created with roles",
            "list": ("CODE", "in force"), "show": ("performed by:", "(revision 1, published)")}),
    ("id", {"init": "Admin kepala dibuat.", "ready": "Basis data siap (", "user": "Pengguna budi dibuat dengan peran",
            "list": ("KODE", "berlaku"), "show": ("pelaksana:", "(revisi 1, terbit)")}),
])
def test_cli_speaks_the_deployment_language(tmp_path, monkeypatch, capsys, language, expected):
    """init, user add, sop list and sop show print in the configured language, none of the other's words."""
    config = deployment(tmp_path, language)
    code, out, _err = run(config, "init", "--admin", "kepala", "--password-stdin", stdin="Kantor-Baru-2026\n",
                          monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and expected["init"] in out and expected["ready"] in out
    code, out, _err = run(config, "user", "add", "budi", "--role", "toy_clerk", "--password-stdin",
                          stdin="Gunung-Rotan-2028\n", monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and expected["user"] in out
    code, out, _err = run(config, "sop", "list", capsys=capsys)
    assert code == 0 and all(word in out for word in expected["list"])
    code, out, _err = run(config, "sop", "show", "TOY-1", capsys=capsys)
    assert code == 0 and all(word in out for word in expected["show"]), out
    other = {"en": ("pelaksana:", "Basis data", "berlaku"), "id": ("performed by:", "Database ready", "in force")}
    assert not any(word in out for word in other[language])


def test_error_lines_are_english_with_the_reason_given_to_people(tmp_path, monkeypatch, capsys):
    """A refused password: exit 1, one English line on stderr naming what failed, then the reason."""
    config = deployment(tmp_path, "id")
    code, out, err = run(config, "init", "--admin", "kepala", "--password-stdin", stdin="pendek\n",
                         monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1
    assert err.startswith("balai: password refused: ") and len(err.strip().splitlines()) == 1
    code, out, err = run(config, "sop", "show", "TIDAK-ADA", capsys=capsys)
    assert code == 1 and err.strip() == "balai: unknown SOP TIDAK-ADA (see: balai sop list)"


def test_demo_summary_in_the_deployment_language(tmp_path, capsys):
    """`balai demo` in an English deployment: headings in English, no Indonesian heading left."""
    config = deployment(tmp_path, "en")
    code, out, _err = run(config, "demo", capsys=capsys)
    assert code == 0
    assert "Demo data for Balai Pelatihan (" in out and "Demo users — passwords are shown only this once:" in out
    assert "Data demo" not in out and "Pengguna demo" not in out
    assert "Administrator" in out
    code, out, _err = run(config, "demo", capsys=capsys)
    assert "Demo users already exist" in out
