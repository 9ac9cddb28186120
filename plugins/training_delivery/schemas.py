"""Form schemas of ``training_delivery``."""
from marshmallow import ValidationError, validates

from core.toolkit import _, forms, lazy
from plugins.training.models import EDUCATION, SEX, Batch, Programme
from plugins.training_delivery import budget, letters
from plugins.training_delivery.models import COMMITTEE_ROLES, LETTER_KINDS


def programme_options():
    return [(p.id, str(p)) for p in Programme.select().where(Programme.active == True).order_by(Programme.code)]  # noqa: E712


def batch_options():
    return [(b.id, f"{b.programme.code} — {b.name} ({b.start_date.isoformat()})")
            for b in Batch.select(Batch, Programme).join(Programme).where(Batch.status == "planned")
            .order_by(Batch.start_date.desc()).limit(200)]


class WorkPlanForm(forms.Schema):
    activity = forms.String(required=True, max_length=200, label=lazy("Nama kegiatan"))
    programme = forms.Related(programme_options, required=True, label=lazy("Program pelatihan"))
    batch = forms.Related(batch_options, label=lazy("Angkatan yang sudah ada (kosongkan untuk membuat baru)"))
    start_date = forms.Date(required=True, label=lazy("Tanggal mulai"))
    end_date = forms.Date(required=True, label=lazy("Tanggal selesai"))
    venue = forms.String(required=True, max_length=200, label=lazy("Tempat"))
    quota = forms.Integer(required=True, label=lazy("Kuota peserta"), validate=forms.Range(min=1, max=500))
    dpa_number = forms.String(required=True, max_length=100, label=lazy("Nomor DPA"))
    budget_lines = forms.Text(required=True, max_length=8000,
                              label=lazy("Rincian anggaran (RAB): satu baris per item — uraian | volume | satuan | harga satuan"))
    schedule = forms.Text(required=True, max_length=3000, label=lazy("Jadwal kegiatan"))
    addressees = forms.Text(required=True, max_length=3000, label=lazy("Kabupaten/Kota yang diundang (satu per baris; boleh ditambah \"| jabatan penerima\")"))

    @validates("budget_lines")
    def _budget_lines(self, value, **kwargs):
        _lines, problems = budget.parse(value)
        if problems:
            raise ValidationError(" ".join(problems[:5]))


class ReasonForm(forms.Schema):
    reason = forms.Text(required=True, max_length=2000, label=lazy("Alasan pengembalian"))


class NoteForm(forms.Schema):
    """The optional note of a decision (approval, instruction, training done)."""
    note = forms.Text(max_length=2000, label=lazy("Catatan"))


class MemberForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label=lazy("Nama"))
    nip = forms.Nip(label=lazy("NIP"))
    position = forms.String(max_length=150, label=lazy("Jabatan"))
    role = forms.Choice(COMMITTEE_ROLES, required=True, label=lazy("Kedudukan dalam panitia"))


class LetterForm(forms.Schema):
    title = forms.String(required=True, max_length=200, label=lazy("Perihal"))
    source = forms.Text(required=True, max_length=20000, label=lazy("Teks surat"))

    @validates("source")
    def _compiles(self, value, **kwargs):
        problem = letters.check(value)
        if problem:
            raise ValidationError(_("Templat tidak valid: {p}", p=problem))


class TemplateForm(forms.Schema):
    kind = forms.Choice(LETTER_KINDS, required=True, label=lazy("Jenis surat"))
    title = forms.String(required=True, max_length=200, label=lazy("Perihal"))
    body = forms.Text(required=True, max_length=20000, label=lazy("Teks templat (Jinja)"))

    @validates("body")
    def _body_compiles(self, value, **kwargs):
        problem = letters.check(value)
        if problem:
            raise ValidationError(_("Templat tidak valid: {p}", p=problem))


class SendForm(forms.Schema):
    sent_on = forms.PastDate(required=True, label=lazy("Tanggal kirim"))
    proof_ref = forms.String(max_length=120, label=lazy("Nomor tanda terima/resi"))


class ReplyForm(forms.Schema):
    replied_on = forms.PastDate(required=True, label=lazy("Tanggal jawaban diterima"))
    reply_ref = forms.String(max_length=120, label=lazy("Nomor surat jawaban"))


class CandidateForm(forms.Schema):
    nik = forms.Nik(required=True, label=lazy("NIK"))
    name = forms.String(required=True, max_length=150, label=lazy("Nama lengkap"))
    sex = forms.Choice(SEX, required=True, label=lazy("Jenis kelamin"))
    phone = forms.Phone(label=lazy("Nomor telepon"))
    birth_date = forms.PastDate(label=lazy("Tanggal lahir"))
    education = forms.Choice(EDUCATION, label=lazy("Pendidikan terakhir"))
    address = forms.String(max_length=255, label=lazy("Alamat"))


class MeetingForm(forms.Schema):
    meeting_date = forms.PastDate(required=True, label=lazy("Tanggal rapat"))
    meeting_place = forms.String(max_length=200, label=lazy("Tempat rapat"))
    meeting_attendees = forms.Text(required=True, max_length=3000, label=lazy("Peserta rapat (satu per baris)"))
    meeting_minutes = forms.Text(required=True, max_length=10000, label=lazy("Notulen / hasil rapat"))

    @validates("meeting_attendees")
    def _attendees(self, value, **kwargs):
        names = [x for x in value.splitlines() if x.strip()]
        if len(names) > 60 or any(len(x.strip()) > 150 for x in names):
            raise ValidationError(_("Paling banyak 60 nama, masing-masing paling banyak 150 karakter."))


class ReportForm(forms.Schema):
    report_text = forms.Text(required=True, max_length=20000, label=lazy("Pelaksanaan kegiatan"))
    report_instructors = forms.Text(max_length=5000, label=lazy("Instruktur dan materi"))
    budget_realised = forms.Decimal(label=lazy("Realisasi anggaran (Rp)"), validate=forms.Range(min=0, max=10 ** 13))
    report_obstacles = forms.Text(max_length=5000, label=lazy("Kendala dan saran"))
    report_closing = forms.Text(max_length=3000, label=lazy("Penutup"))


class PhotoForm(forms.Schema):
    caption = forms.String(required=True, max_length=200, label=lazy("Keterangan foto"))
