from core.toolkit import Permission, current_app, hookimpl, roles_of, tracker, web

# What the tests set: subject id → the day of the event (the anchor of step 5); reasons a guard answers.
EVENT_DAY = {}
BLOCKED = {}

SOP = {
    "code": "TOY-2", "number": "TOY/2", "title": "Kegiatan Mainan", "revision": "1", "effective": "2024-01-02",
    "roles": [{"code": "toy_officer", "title": "Petugas Kegiatan"}, {"code": "toy_finance", "title": "Bendahara"},
              {"code": "toy_chief", "title": "Kepala Seksi"}, {"code": "toy_director", "title": "Kepala Balai"},
              {"code": "toy_applicant", "title": "Pemohon", "external": True}],
    "steps": [
        {"no": 1, "activity": "Seleksi berkas", "roles": ["toy_officer"], "time": "1 hari", "kind": "decision",
         "branches": [{"label": "Lolos", "to": 2}, {"label": "Tidak lolos", "to": None}]},
        {"no": 2, "activity": "Siapkan kegiatan", "roles": ["toy_officer"], "time": "1 hari", "parallel": [3, 4]},
        {"no": 3, "activity": "Siapkan anggaran", "roles": ["toy_finance"], "time": "1 hari", "next": 5},
        {"no": 4, "activity": "Siapkan tempat", "roles": ["toy_officer"], "time": "1 hari", "next": 5},
        {"no": 5, "activity": "Catat pelaksanaan kegiatan", "roles": ["toy_officer"], "time": "1 hari", "join": True,
         "anchor": "hari_kegiatan", "escalate_after_days": 1, "escalate_to": "toy_director"},
        {"no": 6, "activity": "Tandatangani berita acara", "roles": ["toy_chief", "toy_director"], "time": "1 hari",
         "sign_off": "all", "next": None},
    ],
}


@hookimpl
def balai_roles():
    return roles_of(SOP)


@hookimpl
def balai_permissions():
    return [Permission("toy2.start", "Mulai kegiatan mainan", ("toy_officer",))]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    @router.post("/toy2/start/<sid:int>", permission="toy2.start")
    def start(sid):
        run = tracker.start_run("TOY-2", "toy_event", sid, f"Kegiatan {sid}", app=current_app())
        web.redirect(f"/runs/{run.id}")


@hookimpl
def balai_step_anchor(app, run, step):
    if run.code == "TOY-2" and step.anchor == "hari_kegiatan":
        return EVENT_DAY.get(run.subject_id)
    return None


@hookimpl
def balai_step_guards(app, run, step):
    if run.code == "TOY-2":
        return BLOCKED.get((run.subject_id, step.no), [])
    return None
