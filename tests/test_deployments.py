"""Issue 2/10: for each file in deployments/, `balai plugins` and `balai routes` print
what is true, and a deployment shows only its own plugins, roles and SOPs."""
import os
import re

import pytest

from core.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = {
    # Kendari enables service_desk and certification: their bridge comes by itself (auto_enable).
    "kendari": (["core", "training", "service_desk", "tracer_survey", "certification", "casefile",
                 "service_desk_certification"], {"KDI-PM-06", "KDI-PM-09", "PSM-DISNAKER-10"}),
    "pagaralam": (["core", "training", "training_delivery", "casefile"], {"BLK-PA-503-47"}),
    "tangerang": (["core", "training", "certification", "casefile"], {"PSM-DISNAKER-10"}),
}


def local_copy(name, tmp_path):
    text = open(os.path.join(ROOT, "deployments", f"{name}.ini"), encoding="utf-8").read()
    text = re.sub(r"^database = .*$", f"database = sqlite:///{tmp_path}/{name}.db", text, flags=re.M)
    text = re.sub(r"^upload_dir = .*$", f"upload_dir = {tmp_path}/uploads", text, flags=re.M)
    path = tmp_path / f"{name}.ini"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_plugins_routes_and_sops_of_each_deployment(name, tmp_path, capsys, monkeypatch):
    """Each shipped deployment config enables exactly its plugins (bridges included), owns only their
    routes, migrates from empty, lists its SOPs and leaves a valid audit chain."""
    plugins, sops = EXPECTED[name]
    config = local_copy(name, tmp_path)
    assert main(["--config", config, "plugins"]) == 0
    out = capsys.readouterr().out
    listed = re.findall(r"^\s+\d+\. (\w+) ", out, flags=re.M)
    assert listed == plugins
    assert "pending migrations: 0001_initial" in out                 # nothing migrated yet
    assert main(["--config", config, "routes"]) == 0
    owners = {line.split()[2] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert owners == set(plugins)                                    # no route of a plugin not enabled
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("Deploy-Uji-2026\n"))
    assert main(["--config", config, "init", "--admin", "kepala", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["--config", config, "plugins"]) == 0
    assert "pending migrations: none" in capsys.readouterr().out
    assert main(["--config", config, "sop", "list"]) == 0
    listed_sops = {line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert listed_sops == sops
    assert main(["--config", config, "audit", "verify"]) == 0
