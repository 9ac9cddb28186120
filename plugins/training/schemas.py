"""Form schemas of the ``training`` plugin (labels are Indonesian msgids)."""
import datetime

from marshmallow import ValidationError, validates, validates_schema

from core.toolkit import _, forms, lazy, local_today
from plugins.training.models import DELIVERY, EDUCATION, INSTRUCTOR_KIND, KEJURUAN, SEX, SOURCE, Programme


def programme_options():
    return [(p.id, str(p) + ("" if p.active else " (" + _("nonaktif") + ")"))
            for p in Programme.select(Programme.id, Programme.code, Programme.title, Programme.active)
            .order_by(Programme.active.desc(), Programme.code)]


class ProgrammeForm(forms.Schema):
    code = forms.String(required=True, max_length=40, label=lazy("Kode program"))
    title = forms.String(required=True, max_length=200, label=lazy("Judul program"))
    field = forms.Choice(KEJURUAN, required=True, label=lazy("Kejuruan"))
    version = forms.String(max_length=20, label=lazy("Versi"))
    total_jp = forms.Integer(required=True, validate=forms.Range(min=1, max=5000), label=lazy("Total JP"),
                             metadata={"help": lazy("Jam pelajaran @ 45 menit")})
    delivery = forms.Choice(DELIVERY, required=True, label=lazy("Jenis penyelenggaraan"))
    active = forms.Boolean(label=lazy("Aktif"))


class UnitForm(forms.Schema):
    code = forms.String(required=True, max_length=60, label=lazy("Kode unit"))
    title = forms.String(required=True, max_length=255, label=lazy("Judul unit kompetensi"))
    jp = forms.Integer(required=True, validate=forms.Range(min=1, max=2000), label=lazy("JP"))


class BatchForm(forms.Schema):
    programme = forms.Related(programme_options, required=True, label=lazy("Program pelatihan"))
    name = forms.String(required=True, max_length=120, label=lazy("Nama angkatan"))
    wave = forms.String(max_length=60, label=lazy("Gelombang"))
    start_date = forms.Date(required=True, label=lazy("Tanggal mulai"))
    end_date = forms.Date(required=True, label=lazy("Tanggal selesai"))
    quota = forms.Integer(required=True, validate=forms.Range(min=1, max=10000), label=lazy("Kuota"))
    reg_opens = forms.Date(required=True, label=lazy("Pendaftaran dibuka"))
    reg_closes = forms.Date(required=True, label=lazy("Pendaftaran ditutup"))
    venue = forms.String(max_length=200, label=lazy("Tempat"))
    funding = forms.String(max_length=60, label=lazy("Sumber dana"), metadata={"help": lazy("mis. DIPA, APBD, swadana")})

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            raise ValidationError({"end_date": [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]})
        if data.get("reg_opens") and data.get("reg_closes") and data["reg_closes"] < data["reg_opens"]:
            raise ValidationError({"reg_closes": [_("Penutupan pendaftaran tidak boleh sebelum pembukaannya.")]})
        if data.get("reg_opens") and data.get("start_date") and data["reg_opens"] > data["start_date"]:
            raise ValidationError({"reg_opens": [_("Pendaftaran harus dibuka sebelum pelatihan dimulai.")]})


class InstructorForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label=lazy("Nama instruktur"))
    kind = forms.Choice(INSTRUCTOR_KIND, required=True, label=lazy("Jenis instruktur"))
    nip = forms.Nip(label=lazy("NIP"))


class AttendanceDayForm(forms.Schema):
    """The day of a daily attendance form (the statuses are its ``st-<enrolment>`` radio buttons)."""
    day = forms.Date(required=True, label=lazy("Tanggal"))


class PersonForm(forms.Schema):
    nik = forms.Nik(required=True, label=lazy("NIK"))
    name = forms.String(required=True, max_length=150, label=lazy("Nama lengkap"))
    sex = forms.Choice(SEX, required=True, label=lazy("Jenis kelamin"))
    birth_date = forms.Date(label=lazy("Tanggal lahir"))
    phone = forms.Phone(label=lazy("Nomor telepon/WA"))
    email = forms.Email(label=lazy("Email"))
    education = forms.Choice(EDUCATION, label=lazy("Pendidikan terakhir"))
    province = forms.String(max_length=80, label=lazy("Provinsi"))
    regency = forms.String(max_length=80, label=lazy("Kabupaten/kota"))
    district = forms.String(max_length=80, label=lazy("Kecamatan"))
    address = forms.String(max_length=255, label=lazy("Alamat"))
    disability = forms.Boolean(label=lazy("Penyandang disabilitas"))

    @validates("birth_date")
    def _birth(self, value, **kwargs):
        if value and value > local_today():
            raise ValidationError(_("Tanggal lahir tidak boleh di masa depan."))
        if value and value < datetime.date(1900, 1, 1):
            raise ValidationError(_("Tanggal lahir tidak valid."))


class RegisterForm(PersonForm):
    """Registration: a person (found by NIK or new) and how they came."""
    source = forms.Choice(SOURCE, required=True, label=lazy("Sumber pendaftaran"))
    siapkerja_ref = forms.String(max_length=60, label=lazy("Nomor bukti daftar SIAPkerja"))
    nominated_by = forms.String(max_length=150, label=lazy("Diusulkan oleh"))


def person_fields(data):
    """The Person fields of validated form data (blanks as empty text)."""
    keys = ("name", "sex", "birth_date", "phone", "email", "education", "province", "regency", "district",
            "address", "disability")
    out = {}
    for k in keys:
        if k not in data:
            continue
        v = data[k]
        out[k] = ("" if v is None else v) if k not in ("birth_date", "disability") else v
    return out
