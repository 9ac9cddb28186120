"""Candidates' import (CSV or XLSX from a regency/city): the columns carry the labels the
candidate form shows ("Nama lengkap", "Jenis kelamin" …, or the short codes), the cells
the values the form shows ("Perempuan", "SMA/SMK" … or their codes); each bad row is
reported with the form's Indonesian field names and the allowed values. The template
to fill is downloadable."""
import datetime
import os

from core.toolkit import _, forms, tabular

MAX_ROWS = 500
ALIASES = {"nik": "nik", "nama": "name", "name": "name", "jenis_kelamin": "sex", "jk": "sex", "sex": "sex",
           "telepon": "phone", "hp": "phone", "no_hp": "phone", "phone": "phone", "tanggal_lahir": "birth_date",
           "birth_date": "birth_date", "pendidikan": "education", "education": "education", "alamat": "address",
           "address": "address"}


class ImportProblem(Exception):
    """A file that cannot be read as a list of candidates."""


def columns(schema):
    """normalised header → field name: the form's labels and the short aliases."""
    out = dict(ALIASES)
    for name, field in forms.form_fields(schema):
        out[tabular.normalise_header(str(field.metadata.get("label") or name))] = name
    return out


def labels(schema):
    return [(name, str(field.metadata.get("label") or name)) for name, field in forms.form_fields(schema)]


def _choices(schema):
    """field → {code or label (lower case) → code} for the choice fields."""
    out = {}
    for name, field in forms.form_fields(schema):
        choices = getattr(field, "choices", None)
        if choices:
            out[name] = {**{str(c).lower(): c for c, _l in choices}, **{str(l).lower(): c for c, l in choices}}
    return out


def allowed(schema, name):
    """"L (Laki-laki), P (Perempuan)": the values a choice field accepts, as the form shows them."""
    field = schema.fields[name]
    return ", ".join(f"{c} ({_(l)})" if str(c) != str(l) else str(c) for c, l in getattr(field, "choices", ()))


def read_rows(schema, filename, data):
    """[(row number, form data)] of the file (read by core.tabular), choice labels turned into codes."""
    if os.path.splitext(filename or "")[1].lower() not in (".csv", ".xlsx"):
        raise ImportProblem(_("Gunakan berkas CSV atau XLSX."))
    try:
        header, rows = tabular.read_table(filename, data, aliases=columns(schema), max_rows=MAX_ROWS)
    except tabular.TabularError as exc:
        raise ImportProblem(str(exc))
    if "nik" not in header or "name" not in header:
        names = ", ".join(label for _n, label in labels(schema))
        raise ImportProblem(_("Baris pertama harus berisi judul kolom seperti pada templat: {c}.", c=names))
    choices = _choices(schema)
    out = []
    for number, record in rows:
        row = {k: (v.isoformat()[:10] if isinstance(v, (datetime.date, datetime.datetime)) else str(v))
               for k, v in record.items()}
        for name, mapping in choices.items():
            if row.get(name):
                row[name] = mapping.get(row[name].lower(), row[name])
        out.append((number, row))
    return out


def row_problem(schema, line, errors):
    """"Baris 3: Jenis kelamin: Pilihan tidak valid. Pilihan: L (Laki-laki), P (Perempuan)"."""
    parts = []
    for name, message in errors.items():
        if name in schema.fields:
            label = str(schema.fields[name].metadata.get("label") or name)
            extra = allowed(schema, name) if getattr(schema.fields[name], "choices", None) else ""
            parts.append(f"{_(label)}: {message}" + (" " + _("Pilihan: {v}.", v=extra) if extra else ""))
        else:
            parts.append(message)
    return _("Baris {i}: {e}", i=line, e="; ".join(parts))


def template_xlsx(schema):
    """The template to fill: the form's labels as headers, one example row, NIK and phone kept as text
    (the allowed values of the choice fields are shown beside the link, ``hints``)."""
    heads = labels(schema)
    example = {"nik": "1604015703990002", "name": "Nur Aisyah", "sex": "Perempuan", "phone": "081377889900",
               "birth_date": "1999-03-17", "education": "SMA/SMK", "address": "Lahat"}
    text_columns = [i for i, (name, _l) in enumerate(heads) if name in ("nik", "phone")]
    return tabular.xlsx_bytes([label for _n, label in heads], [[example.get(name, "") for name, _l in heads]],
                              title="Calon peserta", text_columns=text_columns, template_rows=50)


def hints(schema):
    """[(label, allowed values)] of the choice fields, shown beside the template's link."""
    return [(label, allowed(schema, name)) for name, label in labels(schema)
            if getattr(schema.fields[name], "choices", None)]
