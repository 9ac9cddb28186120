"""Issue 20 §5: a field declared sensitive once (``sensitive = {"nik": "training.nik"}``
on the model) is masked the same way in the page, the record history, the
audit viewer and its CSV export for a user without that permission."""
from core import db, identity, privacy

NIK = "7471011234567890"
MASKED = "7471********7890"


def test_nik_is_masked_everywhere_without_the_permission(balai_app, balai_client):
    app = balai_app("training")
    staff = balai_client(app, "staf_pelatihan")
    res = staff.post("/training/people/new", {"nik": NIK, "name": "Ahmad Fauzi", "sex": "L"})
    person_id = int(res.headers["Location"].rsplit("/", 1)[1])
    staff.post(f"/training/people/{person_id}/edit", {"nik": "7471019876543210", "name": "Ahmad Fauzi", "sex": "L"})
    with db.connection(), db.write():        # this office lets instructors read the audit log, not NIKs
        identity.RolePermission.create(role="instruktur", permission="core.audit")
    instructor = balai_client(app, "instruktur")

    page = instructor.get(f"/training/people/{person_id}").text
    assert NIK not in page and "7471019876543210" not in page        # the page and its history (chatter)
    assert MASKED in page and "7471********3210" in page
    viewer = instructor.get("/admin/audit?object_type=training_person").text
    assert NIK not in viewer and MASKED in viewer
    export = instructor.get("/admin/audit?format=csv").text
    assert NIK not in export and MASKED in export

    full = staff.get(f"/training/people/{person_id}").text               # holds training.nik: in full
    assert NIK in full and "7471019876543210" in full


def test_declared_once_on_the_model():
    from plugins.training.models import Person
    assert privacy.declared()["training_person"] == {"nik": "training.nik"}
    assert privacy.mask(NIK) == MASKED
    assert privacy.shown(Person, "nik", NIK, user=None) == MASKED          # anonymous
    assert privacy.shown(Person, "name", "Ahmad", user=None) == "Ahmad"
