"""The document service: every paper the office signs (see docs/documents.md).

Plugins declare ``DocumentType`` through ``balai_document_types(app)`` and
call ``issue`` / ``supersede`` / ``revoke``; the archive, the template editor
and the public ``/verify/<token>`` page are the core's.
"""
from core.documents.service import (DocumentError, current_for, for_record, issue, revoke,  # noqa: F401
                                    supersede, take_number)
from core.documents.signer import holder_of, signer_block  # noqa: F401
from core.documents.types import DocumentType  # noqa: F401
from core.documents.words import place_date, rupiah_terbilang, tanggal, tanggal_kata, terbilang  # noqa: F401
