"""Form schemas of the service desk (messages in Indonesian, shown next to fields)."""
from marshmallow import ValidationError, validates_schema

from core.toolkit import forms
from plugins.service_desk.models import CATEGORIES, COMPLAINT_CHANNELS, COOPERATION_KINDS, PURPOSES
from plugins.service_desk.skm import ELEMENTS, SCALE
from plugins.training.models import SEX

SCORE_RANGE = forms.Range(min=0, max=100)


class VisitForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label="Nama tamu")
    category = forms.Choice(CATEGORIES, required=True, label="Asal tamu")
    organisation = forms.String(max_length=200, label="Instansi / perusahaan")
    phone = forms.Phone(label="Nomor HP")
    purpose = forms.Choice(PURPOSES, required=True, label="Keperluan")
    consent = forms.Boolean(label="Tamu setuju datanya disimpan (UU 27/2022)")
    notes = forms.Text(max_length=1000, label="Catatan")

    @validates_schema
    def _rules(self, data, **kwargs):
        if not data.get("consent"):
            raise ValidationError("Persetujuan tamu wajib dicentang sebelum data disimpan (UU 27/2022).", "consent")
        if data.get("category") in ("instansi", "industri", "mitra") and not data.get("organisation"):
            raise ValidationError("Isi nama instansi / perusahaan.", "organisation")
        if data.get("purpose") == "complaint" and not data.get("notes"):
            raise ValidationError("Tulis isi pengaduan tamu di catatan.", "notes")


class RegistrationForm(forms.Schema):
    batch = forms.Integer(required=True, label="Daftar ke angkatan pelatihan")
    nik = forms.Nik(required=True, label="NIK")
    sex = forms.Choice(SEX, required=True, label="Jenis kelamin")
    birth_date = forms.PastDate(label="Tanggal lahir")
    siapkerja_ref = forms.String(required=True, max_length=60, label="Nomor bukti pendaftaran SIAPkerja")


class SettingForm(forms.Schema):
    cbt_weight = forms.Decimal(required=True, validate=SCORE_RANGE, label="Bobot CBT (%)")
    interview_weight = forms.Decimal(required=True, validate=SCORE_RANGE, label="Bobot wawancara (%)")
    pass_mark = forms.Decimal(required=True, validate=SCORE_RANGE, label="Nilai batas lulus")
    reserve_mark = forms.Decimal(required=True, validate=SCORE_RANGE, label="Nilai batas cadangan")

    @validates_schema
    def _weights(self, data, **kwargs):
        if "cbt_weight" in data and "interview_weight" in data and data["cbt_weight"] + data["interview_weight"] != 100:
            raise ValidationError("Jumlah bobot CBT dan wawancara harus 100%.", "interview_weight")


class ScoreForm(forms.Schema):
    cbt_score = forms.Decimal(validate=SCORE_RANGE, label="Nilai CBT")
    interview_score = forms.Decimal(validate=SCORE_RANGE, label="Nilai wawancara")
    interview_notes = forms.Text(max_length=2000, label="Catatan lembar wawancara")


class MinutesForm(forms.Schema):
    kind = forms.Choice(COOPERATION_KINDS, required=True, label="Jenis kerja sama")
    meeting_date = forms.PastDate(required=True, label="Tanggal pertemuan")
    attendees = forms.Text(max_length=1000, label="Peserta pertemuan")
    minutes = forms.Text(required=True, label="Notulen hasil pertemuan")
    follow_up = forms.Text(max_length=2000, label="Tindak lanjut")
    correction_reason = forms.Text(max_length=1000, label="Alasan koreksi (bila sudah dikunci)")


class RabLineForm(forms.Schema):
    item = forms.String(required=True, max_length=200, label="Uraian")
    volume = forms.Decimal(required=True, label="Volume", validate=forms.Range(
        min=0.01, max=100000, error="Volume harus antara 0,01 dan 100.000."))
    unit = forms.String(required=True, max_length=30, label="Satuan")
    unit_cost = forms.Money(required=True, label="Harga satuan (Rp)", validate=forms.Range(
        min=0, max=10 ** 9, error="Harga satuan harus antara Rp 0 dan Rp 1.000.000.000."))


class PksForm(forms.Schema):
    number = forms.String(max_length=80, label="Nomor PKS")
    parties = forms.Text(required=True, max_length=2000, label="Para pihak")
    scope = forms.Text(required=True, label="Ruang lingkup")
    period_start = forms.Date(required=True, label="Berlaku mulai")
    period_end = forms.Date(required=True, label="Berlaku sampai")


class BillingForm(forms.Schema):
    billing_id = forms.String(required=True, max_length=40, label="ID Billing",
                              validate=[forms.Regexp(r"^[0-9A-Za-z\-]{6,40}$", error="ID Billing tidak valid.")])
    billing_amount = forms.Money(required=True, label="Jumlah tagihan (Rp)", validate=forms.Range(
        min=0, max=10 ** 10, error="Jumlah tagihan harus antara Rp 0 dan Rp 10.000.000.000."))
    billed_on = forms.PastDate(required=True, label="Tanggal tagihan")
    paid = forms.Boolean(label="Sudah dibayar")
    paid_on = forms.PastDate(label="Tanggal bayar")
    billing_correction = forms.Text(max_length=1000, label="Alasan koreksi (bila sudah dikunci)")


class BatchLinkForm(forms.Schema):
    batch = forms.Integer(required=True, label="Tautkan ke angkatan pelatihan")


class TestByHandForm(forms.Schema):
    ba_number = forms.String(required=True, max_length=80, label="Nomor berita acara")
    ba_date = forms.PastDate(required=True, label="Tanggal berita acara")
    candidates = forms.Integer(required=True, validate=forms.Range(min=1), label="Jumlah peserta uji")
    passed = forms.Integer(required=True, validate=forms.Range(min=0), label="Jumlah kompeten (daftar kelulusan)")



# ---------------------------------------------------------------- SKM and complaints

EDUCATION = [("sd", "SD ke bawah"), ("smp", "SMP"), ("sma", "SMA/SMK"), ("d3", "D1–D3"), ("s1", "D4/S1"),
             ("s2", "S2 ke atas")]
_SCALE = [(str(v), label) for v, label in SCALE]


SkmForm = forms.Schema.from_dict({
    **{code: forms.Choice(_SCALE, required=True, label=f"{code.upper()}. {label}",
                    error_messages={"required": "Pilih salah satu jawaban.", "null": "Pilih salah satu jawaban."})
       for code, label, _q in ELEMENTS},
    "sex": forms.Choice(SEX, label="Jenis kelamin"),
    "education": forms.Choice(EDUCATION, label="Pendidikan terakhir"),
    "suggestion": forms.Text(max_length=2000, label="Saran dan masukan"),
}, name="SkmForm")


class ComplaintForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label="Nama pengadu")
    contact = forms.String(max_length=150, label="Kontak (HP / email)")
    channel = forms.Choice(COMPLAINT_CHANNELS, required=True, label="Saluran pengaduan")
    subject = forms.String(required=True, max_length=200, label="Pokok pengaduan")
    text = forms.Text(required=True, max_length=5000, label="Uraian pengaduan")


class ComplaintAnswerForm(forms.Schema):
    answer = forms.Text(required=True, max_length=5000, label="Jawaban / tindak lanjut")
