"""Issue 20 item 1 (step part): eight processes pausing one step at the same moment — exactly one wins,
the others are told the step is already paused (SQLite and PostgreSQL)."""
import json
import os
import subprocess
import sys
import time

from balai_toys import TOYS

from core import audit, db
from core.testing import make_user
from core.tracker import service
from core.tracker.models import RunStep

WORKER = r"""
import json, os, sys, time
from core import app as app_mod, db, identity
from core.tracker import service
config, run_id, user_id, folder, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
app = app_mod.build(config)
with app.activated(), db.connection():
    user = identity.User.get_by_id(user_id)
    run = service.Run.get_by_id(run_id)
    open(os.path.join(folder, "ready-" + n), "w").close()        # a barrier: all wait for "go"
    while not os.path.exists(os.path.join(folder, "go")):
        time.sleep(0.001)
    try:
        service.pause(run, user, "menunggu surat mitra", app=app)
        print(json.dumps("ok"))
    except service.StepError as exc:
        print(json.dumps(str(exc)))
"""


def test_eight_parallel_pauses_one_wins(balai_app, balai_db, tmp_path):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = make_user(app, "petugas", ["toy_clerk"])
    with db.connection():
        run = service.start_run("TOY-1", "toy_gadget", 1, "Gadget 1", app=app)
        rs_id = service.open_step(run).id
    db.database.obj.close()
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), TOYS, os.environ.get("PYTHONPATH", "")]))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, app.config.path, str(run.id), str(clerk.id), str(barrier),
                               str(i)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
             for i in range(8)]
    deadline = time.time() + 180
    while len(list(barrier.glob("ready-*"))) < 8 and time.time() < deadline and all(p.poll() is None for p in procs):
        time.sleep(0.05)
    (barrier / "go").touch()               # every process has its app and connection: now all at once
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert results.count("ok") == 1, results
    assert sorted(set(results) - {"ok"}) == ["Langkah ini sudah ditunda."], results
    with db.connection():
        assert RunStep.get_by_id(rs_id).status == "paused"
        pauses = [row for row in audit.AuditLog.select().where((audit.AuditLog.object_type == "run_step")
                                                               & (audit.AuditLog.object_id == str(rs_id))
                                                               & (audit.AuditLog.action == "update"))]
        assert len(pauses) == 1
