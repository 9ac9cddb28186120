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

Yth. {{ addressee.recipient }}
di -
   Tempat

Dengan hormat,

Dalam rangka meningkatkan kompetensi tenaga kerja, {{ unit }} akan menyelenggarakan {{ plan.activity }} (program {{ plan.programme }}) yang akan dilaksanakan pada:

    Hari/Tanggal : {{ plan.start_date }} s.d. {{ plan.end_date }}
    Tempat       : {{ plan.venue }}
    Kuota        : {{ plan.quota }} orang

Sehubungan dengan hal tersebut, kami mengharapkan Saudara berkenan mengirimkan nama-nama calon peserta dari {{ addressee.name }} (NIK, nama lengkap, jenis kelamin, nomor telepon) paling lambat 1 (satu) minggu setelah surat ini diterima.

Demikian undangan ini kami sampaikan. Atas perhatian dan kerja samanya diucapkan terima kasih.
""",
    ),
    "cover": (
        "Surat Pengantar Undangan Pelatihan",
        """Kepada Yth.
{% for a in addressees %}{{ loop.index }}. {{ a.recipient }}
{% endfor %}di -
   Tempat
""",
    ),
    "decree": (
        "Keputusan Pembentukan Panitia Pelatihan",
        """KEPUTUSAN {{ head_position|upper }}
NOMOR {{ number }}

TENTANG
PEMBENTUKAN PANITIA {{ plan.activity|upper }}

{{ head_position|upper }},

Menimbang : a. bahwa dalam rangka meningkatkan kompetensi tenaga kerja, {{ unit }} menyelenggarakan {{ plan.activity }} pada tanggal {{ plan.start_date }} s.d. {{ plan.end_date }};
            b. bahwa untuk kelancaran pelaksanaan kegiatan sebagaimana dimaksud pada huruf a, perlu membentuk panitia pelaksana yang ditetapkan dengan Keputusan {{ head_position }};

Mengingat : {% for basis in legal_basis %}{{ loop.index }}. {{ basis }};
            {% endfor %}{{ legal_basis|length + 1 }}. Dokumen Pelaksanaan Anggaran (DPA) Nomor {{ plan.dpa_number }}.

MEMUTUSKAN

Menetapkan : KEPUTUSAN {{ head_position|upper }} TENTANG PEMBENTUKAN PANITIA {{ plan.activity|upper }}.
KESATU  : Membentuk Panitia {{ plan.activity }} dengan susunan sebagai berikut:
{% for m in members %}
          {{ loop.index }}. {{ m.name }}{% if m.nip %} (NIP {{ m.nip }}){% endif %} — {{ m.role }}{% if m.position %} ({{ m.position }}){% endif %}

{% endfor %}
KEDUA   : Panitia bertugas mempersiapkan, melaksanakan dan melaporkan kegiatan yang dilaksanakan pada tanggal {{ plan.start_date }} s.d. {{ plan.end_date }} di {{ plan.venue }}.
KETIGA  : Biaya yang timbul akibat Keputusan ini dibebankan pada DPA Nomor {{ plan.dpa_number }} sebesar {{ plan.budget }} ({{ plan.budget_words }}).
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
        "budget_words": documents.rupiah_terbilang(plan.budget_amount),
        "schedule": plan.schedule,
        "batch": plan.batch.name if plan.batch_id else "",
    }


DEFAULT_RECIPIENT = "Kepala Dinas yang membidangi Ketenagakerjaan"


def recipient(name, position):
    """The addressee as written after "Yth.": the position, followed by the regency/city
    only when the position does not already name it (never "... Kabupaten Lahat Kabupaten Lahat")."""
    position = (position or "").strip() or DEFAULT_RECIPIENT
    return position if name.lower() in position.lower() else f"{position} {name}"


def addressee_values(a):
    return {"name": a.name, "position": a.position, "recipient": recipient(a.name, a.position)} if a is not None else None


def member_values(m):
    return {"name": m.name, "nip": m.nip, "position": m.position, "role": m.role}


# ---------------------------------------------------------------- document types

TYPES = {"invitation": "training_delivery.invitation", "cover": "training_delivery.cover",
         "decree": "training_delivery.decree"}
TITLES = {"invitation": "Surat Undangan Pelatihan", "cover": "Surat Pengantar", "decree": "Keputusan Panitia Pelatihan"}
FRAMES = {"invitation": "documents/text_letter.html", "cover": "training_delivery/documents/cover.html",
          "decree": "documents/text_letter.html"}


def copies(text):
    """"A; B; C" → ["A", "B", "C"] (an option's Tembusan)."""
    return [c.strip() for c in (text or "").split(";") if c.strip()]


def cover_sample(app):
    return {"body": "Kepada Yth.\n1. Kepala Dinas Tenaga Kerja Kabupaten Lahat",
            "items": [{"naskah": "Surat Undangan", "banyaknya": "2 berkas", "keterangan": "Untuk ditindaklanjuti"}]}


def document_types(app):
    """The three letters on the core document service; one number series, each with its
    classification code and its Tembusan (the office's options)."""
    opts = app.config.plugin("training_delivery")
    copies_to = {"invitation": copies(opts["letter_copies"]), "cover": copies(opts["letter_copies"]),
                 "decree": copies(opts["decree_copies"])}
    return [documents.DocumentType(code, TITLES[kind], FRAMES[kind],
                                   number_format=opts["letter_number"], series="training_delivery.letter",
                                   classification=opts["classification_" + kind], copies_to=copies_to[kind],
                                   signer_role="" if kind == "decree" else "kepala_bidang",   # the decree: position given
                                   record_type="delivery_letter", editable=True,
                                   sample=cover_sample if kind == "cover" else
                                   (lambda app: {"body": "Teks surat (ditulis dan diperiksa pada konsep surat)."}))
            for kind, code in TYPES.items()]
