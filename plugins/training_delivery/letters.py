"""Letter templates: the Indonesian defaults seeded at startup, and rendering
in the core's document sandbox with plain values only (no model objects, so a
template cannot call methods that change data). A final letter is issued as a
document of the core service (``training_delivery.invitation`` etc.)."""
import jinja2

from core.toolkit import documents, format_rupiah

DEFAULTS = {
    "invitation": (
        "Undangan Pengiriman Calon Peserta Pelatihan",
        """{{ place }}, {{ date }}

Nomor    : {{ number }}
Sifat    : Penting
Lampiran : -
Perihal  : Undangan Pengiriman Calon Peserta {{ plan.activity }}

Yth. {{ addressee.position or "Kepala Dinas yang membidangi Ketenagakerjaan" }}
{{ addressee.name }}
di -
   Tempat

Dengan hormat,

Dalam rangka meningkatkan kompetensi tenaga kerja, {{ institution }} akan menyelenggarakan {{ plan.activity }} (program {{ plan.programme }}) yang akan dilaksanakan pada:

    Hari/Tanggal : {{ plan.start_date }} s.d. {{ plan.end_date }}
    Tempat       : {{ plan.venue }}
    Kuota        : {{ plan.quota }} orang

Sehubungan dengan hal tersebut, kami mengharapkan Saudara berkenan mengirimkan nama-nama calon peserta dari {{ addressee.name }} (NIK, nama lengkap, jenis kelamin, nomor telepon) paling lambat 1 (satu) minggu setelah surat ini diterima.

Demikian undangan ini kami sampaikan. Atas perhatian dan kerja samanya diucapkan terima kasih.
""",
    ),
    "cover": (
        "Surat Pengantar Undangan Pelatihan",
        """{{ place }}, {{ date }}

SURAT PENGANTAR
Nomor : {{ number }}

Kepada Yth.
{% for a in addressees %}
{{ loop.index }}. {{ a.position or "Kepala Dinas yang membidangi Ketenagakerjaan" }} {{ a.name }}
{% endfor %}

Bersama ini kami sampaikan:
1. Surat Undangan {{ plan.activity }} ({{ addressees|length }} berkas) untuk ditindaklanjuti;
2. Salinan Keputusan Panitia {{ plan.activity }} (1 berkas) sebagai informasi.

Jadwal kegiatan:
{{ plan.schedule }}

Diterima tanggal: ........................
""",
    ),
    "decree": (
        "Keputusan Pembentukan Panitia Pelatihan",
        """KEPUTUSAN KEPALA DINAS
NOMOR {{ number }}

TENTANG
PEMBENTUKAN PANITIA {{ plan.activity|upper }}

Menimbang : bahwa untuk kelancaran pelaksanaan {{ plan.activity }} perlu membentuk panitia pelaksana yang ditetapkan dengan Keputusan.

Mengingat : 1. Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan;
            2. Dokumen Pelaksanaan Anggaran (DPA) Nomor {{ plan.dpa_number }}.

MEMUTUSKAN

Menetapkan :
KESATU  : Membentuk Panitia {{ plan.activity }} dengan susunan sebagai berikut:
{% for m in members %}
          {{ loop.index }}. {{ m.name }}{% if m.nip %} (NIP {{ m.nip }}){% endif %} — {{ m.role }}{% if m.position %} ({{ m.position }}){% endif %}

{% endfor %}
KEDUA   : Panitia bertugas mempersiapkan, melaksanakan dan melaporkan kegiatan yang dilaksanakan pada tanggal {{ plan.start_date }} s.d. {{ plan.end_date }} di {{ plan.venue }}.
KETIGA  : Biaya yang timbul akibat Keputusan ini dibebankan pada DPA Nomor {{ plan.dpa_number }} sebesar {{ plan.budget }}.
KEEMPAT : Keputusan ini mulai berlaku pada tanggal ditetapkan.

Ditetapkan di {{ place }}
pada tanggal {{ date }}
""",
    ),
}

# Letter texts are plain text (the document frame escapes them): the core's document sandbox
# without autoescape, with its limits and its report of missing names.
_env = documents.make_environment(None, documents.FILTERS, autoescape=False)


class TemplateProblem(Exception):
    """A letter template that does not compile or render; the message says where."""


def check(source):
    """The syntax problem of a template's text (line and reason), or None."""
    try:
        _env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return f"baris {exc.lineno}: {exc.message}"
    return None


def render(source, values):
    """Render a template's text with plain values; TemplateProblem (line and reason) on a
    failure or on a name the values do not have (a typo must not print a blank)."""
    try:
        text, report = documents.render_sandboxed(_env, values, source=source)
    except documents.RenderProblem as exc:
        raise TemplateProblem(str(exc))
    if report.undefined:
        raise TemplateProblem("; ".join((f"baris {line}: " if line else "") + what
                                        for line, _n, what in report.undefined[:5]))
    return text.strip() + "\n"


def plan_values(plan):
    return {
        "activity": plan.activity,
        "programme": plan.programme.title,
        "programme_code": plan.programme.code,
        "start_date": documents.tanggal(plan.start_date),
        "end_date": documents.tanggal(plan.end_date),
        "venue": plan.venue,
        "quota": plan.quota,
        "dpa_number": plan.dpa_number,
        "budget": format_rupiah(plan.budget_amount),
        "schedule": plan.schedule,
        "batch": plan.batch.name if plan.batch_id else "",
    }


def addressee_values(a):
    return {"name": a.name, "position": a.position} if a is not None else None


def member_values(m):
    return {"name": m.name, "nip": m.nip, "position": m.position, "role": m.role}


# ---------------------------------------------------------------- document types

TYPES = {"invitation": "training_delivery.invitation", "cover": "training_delivery.cover",
         "decree": "training_delivery.decree"}
TITLES = {"invitation": "Surat Undangan Pelatihan", "cover": "Surat Pengantar", "decree": "Keputusan Panitia Pelatihan"}


def document_types(app):
    """The three letters on the core document service; one number series (existing numbers stay)."""
    opts = app.config.plugin("training_delivery")
    return [documents.DocumentType(code, TITLES[kind], "documents/text_letter.html",
                                   number_format=opts["letter_number"], series="training_delivery.letter",
                                   signer_role="kepala_bidang", record_type="delivery_letter", editable=True,
                                   sample=lambda app: {"body": "Teks surat (ditulis dan diperiksa pada konsep surat)."})
            for kind, code in TYPES.items()]
