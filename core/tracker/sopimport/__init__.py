"""Importing an SOP AP document (PermenPAN-RB 35/2012) as a DRAFT revision.

Two inputs, one reader: a Word file (.docx, read with python-docx) or the
tab-separated text Word gives when its tables are copied. Both become a list
of rows of cells; the reader then finds the identity table (Nomor SOP, dates,
Disahkan oleh, Judul), the lists (Dasar Hukum, Kualifikasi, Keterkaitan,
Peralatan, Peringatan, Pencatatan) and free sections, and the step table (No,
Kegiatan, one column per actor with marks, Kelengkapan, Waktu, Output,
Keterangan). Whatever cannot be read with certainty becomes an import problem
stored on the draft (``header["import_problems"]``) — never a silent guess.

    parsed = sopimport.read_file("peminjaman.docx", data)     # or read_text(pasted)
    rev = sopimport.make_draft(app, parsed)                    # a draft, source "import"

Format and rules: docs/sop-import.md. Modules: ``reading`` (the two inputs → rows of
cells), ``front`` (identity table, lists, approver), ``table`` (the step table),
``draft`` (the draft revision and its roles), ``base`` (shared shapes).
"""
from core.tracker.sopimport.base import Cell, ImportRefused, Parsed
from core.tracker.sopimport.draft import code_from, make_draft
from core.tracker.sopimport.reading import parse, read_docx, read_file, read_text
from core.tracker.sopimport.table import find_branches

__all__ = ["Cell", "ImportRefused", "Parsed", "code_from", "make_draft", "parse", "read_docx", "read_file", "read_text",
           "find_branches"]
