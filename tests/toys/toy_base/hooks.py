import os

from core.toolkit import (Column, MenuItem, Option, Permission, Screen, current_app, events, forms, hookimpl,
                          roles_of, tracker, web)
from toy_base.models import Gadget

HERE = os.path.dirname(__file__)
RECEIVED = []

SOP = {
    "code": "TOY-1", "number": "TOY/1", "title": "Prosedur Mainan", "unit": "Balai Uji", "created": "2024-01-02",
    "revision": "1", "effective": "2024-01-02", "approved_by": {"name": "Kepala", "nip": "197001012000031001"},
    "roles": [{"code": "toy_clerk", "title": "Petugas Mainan"}, {"code": "toy_head", "title": "Kepala Mainan"},
              {"code": "toy_guest", "title": "Tamu", "external": True}],
    "steps": [
        {"no": 1, "activity": "Terima tamu dan tanyakan keperluan", "lanes": ["toy_guest", "toy_clerk"], "roles": ["toy_clerk"],
         "time": "5 menit", "kind": "decision",
         "branches": [{"label": "Daftar", "to": 2}, {"label": "Kerja sama", "to": 3}]},
        {"no": 2, "activity": "Catat pendaftaran", "roles": ["toy_clerk"], "time": "1 hari", "next": 4},
        {"no": 3, "activity": "Susun usulan kerja sama", "roles": ["toy_clerk"], "time": "2 jam"},
        {"no": 4, "activity": "Setujui", "roles": ["toy_head"], "time": "1 hari", "approval": True, "return_to": 2},
        {"no": 5, "activity": "Arsipkan", "roles": ["toy_clerk"], "time": "30 menit", "next": None, "skippable": True},
    ],
}


class GadgetForm(forms.Schema):
    name = forms.String(required=True, max_length=40, label="Nama")
    nik = forms.Nik(label="NIK")
    size = forms.Integer(label="Ukuran")


@hookimpl
def balai_config_options():
    return [Option("greeting", "str", "Halo"), Option("limit", "int", 3)]


@hookimpl
def balai_models():
    return [Gadget]


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return roles_of(SOP)


@hookimpl
def balai_permissions():
    return [Permission("toy.view", "Lihat mainan", ("toy_clerk", "toy_head")),
            Permission("toy.edit", "Ubah mainan", ("toy_clerk",))]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    Screen(Gadget, GadgetForm, base="/toy/gadgets", view="toy.view", edit="toy.edit", title="Gadget",
           columns=[Column("name", "Nama", link=True), Column("size", "Ukuran")], search=[Gadget.name],
           template="toy", after_save=lambda obj, created: events.emit("toy.saved", id=obj.id)).register(router)

    @router.get("/toy/hello", permission="toy.view")
    def hello():
        return web.render("toy/hello.html", greeting=current_app().config.plugin("toy_base")["greeting"])

    @router.post("/toy/start/<gid:int>", permission="toy.edit")
    def start(gid):
        run = tracker.start_run("TOY-1", "toy_gadget", gid, f"Gadget {gid}")
        web.redirect(f"/runs/{run.id}")


@hookimpl
def balai_menu():
    return [MenuItem("Gadget", "/toy/gadgets", "toy.view", "Mainan", 10)]


@hookimpl
def balai_event(name, data):
    RECEIVED.append((name, dict(data)))
