"""Form schemas of the ``certification`` plugin (messages in Indonesian, shown next to fields)."""
from core.toolkit import User, forms, lazy, users_with_role
from plugins.certification.models import CHECK_CATEGORIES, EDUCATION, PURPOSES, SCHEME_KINDS, TUK_KINDS, Scheme, Tuk
from plugins.training.models import SEX, Batch, Programme

TIME = forms.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="Jam tidak valid (format JJ:MM, mis. 08:00).")


def scheme_options():
    return [(s.id, f"{s.code} — {s.title}") for s in Scheme.select().where(Scheme.active == True).order_by(Scheme.title)]  # noqa: E712


def tuk_options():
    return [(t.id, f"{t.name} ({t.capacity})") for t in Tuk.select().order_by(Tuk.name)]


def batch_options():
    return [(b.id, f"{b.programme.title} — {b.name}") for b in
            Batch.select(Batch, Programme).join(Programme).order_by(Batch.start_date.desc(), Batch.id.desc())]


def assessor_user_options():
    return [(u.id, f"{u.full_name} ({u.username})") for u in
            users_with_role("asesor").order_by(User.full_name)]


def tuk_head_user_options():
    return [(u.id, f"{u.full_name} ({u.username})") for u in
            users_with_role("kepala_tuk").order_by(User.full_name)]


class SchemeForm(forms.Schema):
    code = forms.String(required=True, max_length=20, label=lazy("Kode singkat (untuk nomor sertifikat)"))
    number = forms.String(required=True, max_length=80, label=lazy("Nomor skema"))
    title = forms.String(required=True, max_length=200, label=lazy("Judul skema"))
    kind = forms.Choice(SCHEME_KINDS, required=True, label=lazy("Jenis skema"))
    validity_years = forms.Integer(required=True, label=lazy("Masa berlaku sertifikat (tahun)"),
                                   validate=forms.Range(min=1, max=10))


class UnitForm(forms.Schema):
    code = forms.String(required=True, max_length=60, label=lazy("Kode unit"))
    title = forms.String(required=True, max_length=255, label=lazy("Judul unit"))


class ChecklistItemForm(forms.Schema):
    category = forms.Choice(CHECK_CATEGORIES, required=True, label=lazy("Kelompok"))
    label = forms.String(required=True, max_length=200, label=lazy("Butir kesiapan"))


class TukForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label=lazy("Nama TUK"))
    kind = forms.Choice(TUK_KINDS, required=True, label=lazy("Jenis TUK"))
    address = forms.String(max_length=255, label=lazy("Alamat"))
    capacity = forms.Integer(required=True, label=lazy("Kapasitas (peserta)"), validate=forms.Range(min=1, max=1000))
    head_name = forms.String(required=True, max_length=150, label=lazy("Nama Kepala TUK"))
    head_nip = forms.Nip(label=lazy("NIP Kepala TUK"))
    head_user = forms.Related(tuk_head_user_options, label=lazy("Akun Kepala TUK (untuk tanda tangan berita acara)"))


class AssessorForm(forms.Schema):
    name = forms.String(required=True, max_length=150, label=lazy("Nama asesor"))
    met_number = forms.String(required=True, max_length=60, label=lazy("Nomor registrasi MET"))
    met_expiry = forms.Date(required=True, label=lazy("MET berlaku sampai"))
    phone = forms.Phone(label=lazy("Telepon"))
    user = forms.Related(assessor_user_options, label=lazy("Akun pengguna (untuk tanda tangan)"))


class EventForm(forms.Schema):
    scheme = forms.Related(scheme_options, required=True, label=lazy("Skema sertifikasi"))
    tuk = forms.Related(tuk_options, required=True, label=lazy("TUK"))
    date = forms.Date(required=True, label=lazy("Tanggal uji"))
    start_time = forms.String(required=True, max_length=5, label=lazy("Jam mulai"), validate=[TIME])
    end_time = forms.String(required=True, max_length=5, label=lazy("Jam selesai"), validate=[TIME])
    batch = forms.Related(batch_options, label=lazy("Angkatan pelatihan (peserta dari lulusannya)"))
    notes = forms.Text(max_length=2000, label=lazy("Catatan"))


class CandidateForm(forms.Schema):
    nik = forms.Nik(required=True, label=lazy("NIK"))
    name = forms.String(required=True, max_length=150, label=lazy("Nama lengkap"))
    sex = forms.Choice(SEX, required=True, label=lazy("Jenis kelamin"))
    birth_date = forms.Date(label=lazy("Tanggal lahir"))
    phone = forms.Phone(label=lazy("Telepon/WA"))
    address = forms.String(max_length=255, label=lazy("Alamat"))


class ApplicationForm(forms.Schema):
    """APL-01: the candidate's application, received (and the candidate interviewed) before the test."""
    education = forms.Choice(EDUCATION, required=True, label=lazy("Pendidikan terakhir"))
    institution = forms.String(max_length=150, label=lazy("Sekolah / tempat kerja"))
    purpose = forms.Choice(PURPOSES, required=True, label=lazy("Tujuan asesmen"))
    interview_notes = forms.Text(max_length=2000, label=lazy("Catatan wawancara"))



class SignForm(forms.Schema):
    """Signing the berita acara (step 6): as an assessor (which one) or as the head of the TUK."""
    role = forms.Choice([("asesor", lazy("Asesor")), ("kepala_tuk", lazy("Kepala TUK"))], required=True,
                        label=lazy("Tanda tangan sebagai"))
    assessor = forms.Integer(label=lazy("Sebagai asesor"))


class ReviewForm(forms.Schema):
    """One party's part of the review (step 7): approve with its items ticked, or return with a reason.
    The ticked items (``review_<key>``) depend on the user's roles and are read from the form."""
    decision = forms.Choice([("approve", lazy("Setujui")), ("return", lazy("Kembalikan"))], required=True,
                            label=lazy("Keputusan"))
    reason = forms.Text(max_length=2000, label=lazy("Catatan atau alasan"))


class ReadinessForm(forms.Schema):
    """The readiness checklist (step 2): its per-item ticks, notes and photos (``done_<id>``, ``notes_<id>``,
    ``photo_<id>``) follow the scheme's items and are read from the form; here what every save has."""
    reopen_reason = forms.String(max_length=1000, label=lazy("Alasan membuka kembali berkas yang sudah diarsipkan"))
