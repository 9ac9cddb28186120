"""Form schemas of ``training_delivery``."""
from marshmallow import ValidationError, validates

from core.toolkit import forms
from plugins.training.models import EDUCATION, SEX, Batch, Programme
from plugins.training_delivery import letters
from plugins.training_delivery.models import COMMITTEE_ROLES, LETTER_KINDS


def programme_options():
    return [(p.id, str(p)) for p in Programme.select().where(Programme.active == True).order_by(Programme.code)]  # noqa: E712


def batch_options():
    return [(b.id, f"{b.programme.code} — {b.name} ({b.start_date.isoformat()})")
            for b in Batch.select(Batch, Programme).join(Programme).where(Batch.status == "planned")
            .order_by(Batch.start_date.desc()).limit(200)]


class WorkPlanForm(forms.Schema):
    activity = forms.String(required=True, max_length=200, label=("Nama kegiatan"))
    programme = forms.Related(programme_options, required=True, label=("Program pelatihan"))
    batch = forms.Related(batch_options, label=("Angkatan yang sudah ada (kosongkan untuk membuat baru)"))
    start_date = forms.Date(required=True, label=("Tanggal mulai"))
    end_date = forms.Date(required=True, label=("Tanggal selesai"))
    venue = forms.String(required=True, max_length=200, label=("Tempat"))
    quota = forms.Integer(required=True, label=("Kuota peserta"), validate=forms.Range(min=1, max=500))
    dpa_number = forms.String(required=True, max_length=100, label=("Nomor DPA"))
    budget_amount = forms.Money(required=True, label=("Pagu anggaran (Rp)"),
                                  validate=forms.Range(min=0, max=10 ** 13))
    schedule = forms.Text(required=True, label=("Jadwal kegiatan"))
    addressees = forms.Text(required=True, label=("Kabupaten/Kota yang diundang (satu per baris; boleh ditambah \"| jabatan penerima\")"))


class ReasonForm(forms.Schema):
    reason = forms.Text(required=True, max_length=2000, label=("Alasan pengembalian"))


class MemberForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label=("Nama"))
    nip = forms.Nip(label=("NIP"))
    position = forms.String(max_length=150, label=("Jabatan"))
    role = forms.Choice(COMMITTEE_ROLES, required=True, label=("Kedudukan dalam panitia"))


class LetterForm(forms.Schema):
    title = forms.String(required=True, max_length=200, label=("Perihal"))
    source = forms.Text(required=True, max_length=20000, label=("Teks surat"))

    @validates("source")
    def _compiles(self, value, **kwargs):
        problem = letters.check(value)
        if problem:
            raise ValidationError(f"Templat tidak valid: {problem}")


class TemplateForm(forms.Schema):
    kind = forms.Choice(LETTER_KINDS, required=True, label=("Jenis surat"))
    title = forms.String(required=True, max_length=200, label=("Perihal"))
    body = forms.Text(required=True, max_length=20000, label=("Teks templat (Jinja)"))

    @validates("body")
    def _body_compiles(self, value, **kwargs):
        problem = letters.check(value)
        if problem:
            raise ValidationError(f"Templat tidak valid: {problem}")


class SendForm(forms.Schema):
    sent_on = forms.Date(required=True, label=("Tanggal kirim"))
    proof_ref = forms.String(max_length=120, label=("Nomor tanda terima/resi"))


class ReplyForm(forms.Schema):
    replied_on = forms.Date(required=True, label=("Tanggal jawaban diterima"))
    reply_ref = forms.String(max_length=120, label=("Nomor surat jawaban"))


class CandidateForm(forms.Schema):
    nik = forms.Nik(required=True, label=("NIK"))
    name = forms.String(required=True, max_length=150, label=("Nama lengkap"))
    sex = forms.Choice(SEX, required=True, label=("Jenis kelamin"))
    phone = forms.Phone(label=("Nomor telepon"))
    birth_date = forms.Date(label=("Tanggal lahir"))
    education = forms.Choice(EDUCATION, label=("Pendidikan terakhir"))
    address = forms.String(max_length=255, label=("Alamat"))


class MeetingForm(forms.Schema):
    meeting_date = forms.Date(required=True, label=("Tanggal rapat"))
    meeting_place = forms.String(max_length=200, label=("Tempat rapat"))
    meeting_attendees = forms.Text(required=True, label=("Peserta rapat (satu per baris)"))
    meeting_minutes = forms.Text(required=True, max_length=20000, label=("Notulen / hasil rapat"))


class ReportForm(forms.Schema):
    report_text = forms.Text(required=True, max_length=50000, label=("Isi laporan"))
