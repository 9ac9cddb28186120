"""Forms of the tracer survey: the alumni's survey form, vacancies, roster rows,
contact log. Labels are Indonesian msgids (translated when shown)."""
from marshmallow import validates_schema

from core.toolkit import forms

# Choices: the code is stored, the label (an Indonesian msgid) is translated when shown.
# The *_ID dicts keep the Indonesian words for the SMILe export and spreadsheet imports.
STATUS_PAIRS = (("bekerja", "Bekerja"), ("wirausaha", "Wirausaha"), ("studi", "Melanjutkan studi"),
                ("belum", "Belum bekerja"))
STATUS = forms.Choices(*STATUS_PAIRS)
WORKING = ("bekerja", "wirausaha")
SECTOR_PAIRS = (("pertanian", "Pertanian, kehutanan dan perikanan"), ("pertambangan", "Pertambangan dan penggalian"),
                ("industri", "Industri pengolahan"), ("konstruksi", "Konstruksi"),
                ("perdagangan", "Perdagangan, reparasi kendaraan"), ("transportasi", "Transportasi dan pergudangan"),
                ("akomodasi", "Penyediaan akomodasi, makanan dan minuman"), ("tik", "Informasi dan komunikasi"),
                ("keuangan", "Jasa keuangan"), ("pendidikan", "Jasa pendidikan"), ("kesehatan", "Jasa kesehatan"),
                ("pemerintahan", "Pemerintahan"), ("jasa_lain", "Jasa lainnya"), ("lainnya", "Lainnya"))
SECTORS = forms.Choices(*SECTOR_PAIRS)
INCOME_PAIRS = (("lt1", "Kurang dari Rp1 juta"), ("1-2", "Rp1–2 juta"), ("2-3", "Rp2–3 juta"),
                ("3-5", "Rp3–5 juta"), ("gt5", "Lebih dari Rp5 juta"))
INCOME = forms.Choices(*INCOME_PAIRS)
FOUND_VIA_PAIRS = (("siapkerja", "SIAPkerja / Karirhub"), ("bpvp", "Informasi dari BPVP / pengantar kerja"),
                   ("keluarga", "Keluarga atau teman"), ("medsos", "Media sosial"),
                   ("situs", "Situs lowongan kerja"), ("langsung", "Melamar langsung ke perusahaan"),
                   ("usaha_sendiri", "Membuka usaha sendiri"), ("lainnya", "Lainnya"))
FOUND_VIA = forms.Choices(*FOUND_VIA_PAIRS)
# Employer type and level as the national tracer-study convention lists them (../shared/sop/glossary.md).
EMPLOYER_TYPES = forms.Choices(("pemerintah", "Instansi pemerintah"), ("swasta", "Perusahaan swasta"),
                               ("bumn", "BUMN / BUMD"), ("usaha_sendiri", "Usaha sendiri"))
JOB_LEVELS = forms.Choices(("lokal", "Lokal / wilayah"), ("nasional", "Nasional"), ("multinasional", "Multinasional"))
CONSENT_TEXT = ("Saya setuju data jawaban ini dipakai BPVP untuk survei kebekerjaan alumni dan dilaporkan "
                "ke Kementerian Ketenagakerjaan (aplikasi SMILe), sesuai UU 27/2022 tentang Pelindungan Data "
                "Pribadi. Data tidak dibagikan untuk tujuan lain.")
RELEVANCE = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]
JOB_FIELDS = ("employer", "employer_type", "job_level", "position", "sector", "province", "city", "start_date",
              "income_band", "relevance", "found_via")
CHANNELS = forms.Choices(("wa", "WhatsApp pribadi"), ("wa_blast", "WA blast"), ("group", "Grup WA alumni"),
                         ("instagram", "Instagram / media sosial"), ("phone", "Telepon"), ("other", "Lainnya"))
CONTACT_KINDS = forms.Choices(("invite", "Undangan survei"), ("reminder", "Pengingat"))
TARGETS = forms.Choices(("selected", "Yang dicentang"), ("unanswered", "Semua yang belum menjawab"),
                        ("all", "Semua alumni"))
STATUS_ID, SECTORS_ID, INCOME_ID, FOUND_VIA_ID = (dict(STATUS_PAIRS), dict(SECTOR_PAIRS), dict(INCOME_PAIRS),
                                                  dict(FOUND_VIA_PAIRS))


class SurveyForm(forms.Schema):
    """The alumni's answer. Employer is required when working or self-employed."""
    status = forms.Choice(STATUS, required=True, label="Status saat ini")
    employer = forms.String(max_length=150, label="Nama perusahaan / usaha")
    employer_type = forms.Choice(EMPLOYER_TYPES, label="Jenis tempat kerja")
    job_level = forms.Choice(JOB_LEVELS, label="Tingkat tempat kerja")
    position = forms.String(max_length=150, label="Jabatan / pekerjaan")
    sector = forms.Choice(SECTORS, label="Bidang usaha")
    province = forms.String(max_length=60, label="Provinsi tempat kerja")
    city = forms.String(max_length=60, label="Kabupaten/kota tempat kerja")
    start_date = forms.PastDate(label="Mulai bekerja / berusaha sejak")
    income_band = forms.Choice(INCOME, label="Penghasilan per bulan")
    relevance = forms.Integer(label="Kesesuaian pekerjaan dengan pelatihan (1–5)",
                              validate=[forms.Range(min=1, max=5)])
    found_via = forms.Choice(FOUND_VIA, label="Cara mendapatkan pekerjaan")
    # Asked back when the start date is before the training ended (a job held before the training).
    start_confirmed = forms.Boolean(label="Ya, saya memang sudah bekerja/berusaha sebelum pelatihan selesai")
    consent = forms.Boolean(label=CONSENT_TEXT)

    def __init__(self, *args, training_end=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_end = training_end        # the alumnus's training end: a job started before it is questioned

    @validates_schema(skip_on_field_errors=False)
    def _job_details(self, data, **kwargs):
        if data.get("status") in WORKING and not data.get("employer"):
            raise forms.ValidationError("Wajib diisi jika Anda bekerja atau berwirausaha.", "employer")

    @validates_schema(skip_on_field_errors=False)
    def _consent(self, data, **kwargs):
        if not data.get("consent"):
            raise forms.ValidationError("Persetujuan penggunaan data wajib dicentang untuk mengirim jawaban.", "consent")

    @validates_schema(skip_on_field_errors=True)
    def _start_before_training(self, data, **kwargs):
        # Questioned, not refused: kept when the alumnus confirms it (a job held before the training).
        start = data.get("start_date")
        if (data.get("status") in WORKING and start is not None and self.training_end is not None
                and start < self.training_end and not data.get("start_confirmed")):
            raise forms.ValidationError("Tanggal ini sebelum pelatihan Anda selesai. Benar? Jika ya, centang "
                                        "konfirmasi di bawah lalu kirim lagi.", "start_date")


def clean_answer(data):
    """Drop job details when the alumnus is not working (they would be stale)."""
    out = {name: data.get(name) for name in ("status",) + JOB_FIELDS}     # a field not sent is cleared
    if out.get("status") not in WORKING:
        for name in JOB_FIELDS:
            out[name] = None
    return {k: ("" if v is None and k not in ("start_date", "relevance") else v) for k, v in out.items()}


class VacancyForm(forms.Schema):
    employer = forms.String(required=True, max_length=150, label="Perusahaan")
    position = forms.String(required=True, max_length=150, label="Posisi")
    location = forms.String(max_length=150, label="Lokasi")
    closes_on = forms.Date(label="Batas lamaran")
    source = forms.String(max_length=150, label="Sumber (mis. Karirhub, Disnaker, Instagram)")
    link = forms.String(max_length=500, label="Tautan lowongan",
                        validate=[forms.Regexp(r"^https?://\S+$", error="Harus alamat web (https://…).")])
    notes = forms.Text(max_length=2000, label="Catatan")


class RosterRow(forms.Schema):
    """One row of a roster import (alumni not in the training data, e.g. from SIAPkerja)."""
    nik = forms.Nik(required=True, label="NIK")
    name = forms.String(required=True, max_length=150, label="Nama")
    phone = forms.String(max_length=20, label="Telepon")


class ShareForm(forms.Schema):
    channel = forms.Choice(CHANNELS, required=True, label="Saluran")


class CloseDateForm(forms.Schema):
    """Extend an open wave, or reopen a closed one: a new last day and why."""
    closes_on = forms.Date(required=True, label="Tanggal tutup baru")
    reason = forms.Text(required=True, max_length=500, label="Alasan")


class ReportForm(forms.Schema):
    """Step 9: the survey result was reported into SMILe."""
    reference = forms.String(required=True, max_length=200, label="Nomor/referensi laporan SMILe")


class ContactForm(forms.Schema):
    kind = forms.Choice(CONTACT_KINDS, required=True, label="Jenis")
    target = forms.Choice(TARGETS, label="Alumni")      # none chosen: the ticked ones
    channel = forms.Choice(CHANNELS, required=True, label="Saluran")
    note = forms.String(max_length=255, label="Catatan")
