"""Form schemas of the ``training`` plugin (labels are Indonesian msgids)."""
import datetime

from marshmallow import ValidationError, validates, validates_schema

from core.toolkit import _, forms
from plugins.training.models import DELIVERY, EDUCATION, KEJURUAN, SEX, Programme

INSTRUCTOR_KIND = [("internal", "Instruktur internal"), ("external", "Instruktur luar (dibayar per JP)")]
SOURCE = [("walk_in", "Datang langsung"), ("siapkerja", "SIAPkerja"), ("nomination", "Usulan/rekomendasi"),
          ("import", "Impor berkas")]


def programme_options():
    return [(p.id, str(p) + ("" if p.active else " (" + _("nonaktif") + ")"))
            for p in Programme.select(Programme.id, Programme.code, Programme.title, Programme.active)
            .order_by(Programme.active.desc(), Programme.code)]


class ProgrammeForm(forms.Schema):
    code = forms.String(required=True, max_length=40, label="Kode program")
    title = forms.String(required=True, max_length=200, label="Judul program")
    field = forms.Choice(KEJURUAN, required=True, label="Kejuruan")
    version = forms.String(max_length=20, label="Versi")
    total_jp = forms.Integer(required=True, validate=forms.Range(min=1, max=5000), label="Total JP",
                             metadata={"help": "Jam pelajaran @ 45 menit"})
    delivery = forms.Choice(DELIVERY, required=True, label="Jenis penyelenggaraan")
    active = forms.Boolean(label="Aktif")


class UnitForm(forms.Schema):
    code = forms.String(required=True, max_length=60, label="Kode unit")
    title = forms.String(required=True, max_length=255, label="Judul unit kompetensi")
    jp = forms.Integer(required=True, validate=forms.Range(min=1, max=2000), label="JP")


class BatchForm(forms.Schema):
    programme = forms.Related(programme_options, required=True, label="Program pelatihan")
    name = forms.String(required=True, max_length=120, label="Nama angkatan")
    wave = forms.String(max_length=60, label="Gelombang")
    start_date = forms.Date(required=True, label="Tanggal mulai")
    end_date = forms.Date(required=True, label="Tanggal selesai")
    quota = forms.Integer(required=True, validate=forms.Range(min=1, max=10000), label="Kuota")
    reg_opens = forms.Date(required=True, label="Pendaftaran dibuka")
    reg_closes = forms.Date(required=True, label="Pendaftaran ditutup")
    venue = forms.String(max_length=200, label="Tempat")
    funding = forms.String(max_length=60, label="Sumber dana", metadata={"help": "mis. DIPA, APBD, swadana"})

    @validates_schema
    def _dates(self, data, **kwargs):
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            raise ValidationError({"end_date": ["Tanggal selesai tidak boleh sebelum tanggal mulai."]})
        if data.get("reg_opens") and data.get("reg_closes") and data["reg_closes"] < data["reg_opens"]:
            raise ValidationError({"reg_closes": ["Penutupan pendaftaran tidak boleh sebelum pembukaannya."]})
        if data.get("reg_opens") and data.get("start_date") and data["reg_opens"] > data["start_date"]:
            raise ValidationError({"reg_opens": ["Pendaftaran harus dibuka sebelum pelatihan dimulai."]})


class InstructorForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label="Nama instruktur")
    kind = forms.Choice(INSTRUCTOR_KIND, required=True, label="Jenis")
    nip = forms.Nip(label="NIP")


class PersonForm(forms.Schema):
    nik = forms.Nik(required=True, label="NIK")
    name = forms.String(required=True, max_length=150, label="Nama lengkap")
    sex = forms.Choice(SEX, required=True, label="Jenis kelamin")
    birth_date = forms.Date(label="Tanggal lahir")
    phone = forms.Phone(label="Nomor telepon/WA")
    email = forms.Email(label="Email")
    education = forms.Choice(EDUCATION, label="Pendidikan terakhir")
    province = forms.String(max_length=80, label="Provinsi")
    regency = forms.String(max_length=80, label="Kabupaten/kota")
    district = forms.String(max_length=80, label="Kecamatan")
    address = forms.String(max_length=255, label="Alamat")
    disability = forms.Boolean(label="Penyandang disabilitas")

    @validates("birth_date")
    def _birth(self, value, **kwargs):
        if value and value > datetime.date.today():
            raise ValidationError("Tanggal lahir tidak boleh di masa depan.")
        if value and value < datetime.date(1900, 1, 1):
            raise ValidationError("Tanggal lahir tidak valid.")


class RegisterForm(PersonForm):
    """Registration: a person (found by NIK or new) and how they came."""
    source = forms.Choice(SOURCE, required=True, label="Sumber pendaftaran")
    siapkerja_ref = forms.String(max_length=60, label="Nomor bukti daftar SIAPkerja")
    nominated_by = forms.String(max_length=150, label="Diusulkan oleh")


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
