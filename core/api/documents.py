"""Issued documents through the API (core/documents): the archive (filtered, keyset
pages), one document, its frozen PDF, and verification — by the token printed in
its QR code, optionally with the sha256 of a PDF someone was handed.

The token's ``documents`` scope is needed for every call, and the user's
``documents.view`` permission — except for one document and its PDF, which, as on
the web page ``/documents/<id>``, the holders of the ``view_permission`` its type
names read as well (``core.documents.types.may_read``, the one rule of both). The values a paper was rendered from are not exposed
(they may hold personal data); the paper itself is.
"""
import re

from marshmallow import Schema, fields as mf, validate as mv

from core.api.problems import ApiError
from core.api.router import MAX_ID, File, Param, forbidden_reason, int_query, query, user
from core.i18n import _, lazy

MAX_LIMIT = 200
STATUSES = ["valid", "superseded", "revoked"]


class DocumentSchema(Schema):
    id = mf.Integer(required=True)
    type_code = mf.String(required=True)
    number = mf.String(required=True)
    version = mf.Integer(required=True)
    subject = mf.String(required=True)
    dated = mf.Date(required=True)
    place = mf.String(required=True)
    record_type = mf.String(required=True)
    record_id = mf.String(required=True)
    signer_name = mf.String(required=True)
    signer_title = mf.String(required=True)
    status = mf.String(required=True, validate=mv.OneOf(STATUSES))
    issued_at = mf.DateTime(required=True)
    revoked_at = mf.DateTime(required=True, allow_none=True)
    revoked_reason = mf.String(required=True)
    superseded_by = mf.Integer(required=True, allow_none=True)
    pdf_sha256 = mf.String(required=True)
    pdf_url = mf.String(required=True, metadata={"description": "Alamat API untuk mengunduh PDF"})
    verify_url = mf.String(required=True, metadata={"description": "Halaman verifikasi publik (kode QR di kertas)"})


class DocumentPageSchema(Schema):
    items = mf.List(mf.Nested(DocumentSchema), required=True)
    next_after = mf.Integer(required=True, allow_none=True)


class VerificationSchema(Schema):
    valid = mf.Boolean(required=True, metadata={"description": "Berlaku (tidak dicabut atau digantikan), dan "
                                                                  "bila sha256 dikirim: berkas itu PDF dokumen ini"})
    status = mf.String(required=True, validate=mv.OneOf(STATUSES))
    pdf_matches = mf.Boolean(required=True, allow_none=True,
                             metadata={"description": "null bila sha256 tidak dikirim"})
    document = mf.Nested(DocumentSchema, required=True)
    newer = mf.Nested(DocumentSchema, required=True, allow_none=True,
                      metadata={"description": "Versi yang menggantikannya, bila ada"})


def document_json(doc):
    return {"id": doc.id, "type_code": doc.type_code, "number": doc.number, "version": doc.version,
            "subject": doc.subject, "dated": doc.dated, "place": doc.place, "record_type": doc.record_type,
            "record_id": doc.record_id, "signer_name": doc.signer_name, "signer_title": doc.signer_title,
            "status": doc.status, "issued_at": doc.issued_at, "revoked_at": doc.revoked_at,
            "revoked_reason": doc.revoked_reason, "superseded_by": doc.superseded_by_id,
            "pdf_sha256": doc.pdf_sha256, "pdf_url": f"/api/v1/documents/{doc.id}/pdf",
            "verify_url": f"/verify/{doc.token}"}


def register(router, app):
    from core.documents import service
    from core.documents.models import Document
    router.schema("Document", DocumentSchema)
    router.schema("DocumentPage", DocumentPageSchema)
    router.schema("Verification", VerificationSchema)
    tags = (lazy("Dokumen"),)

    def get(doc_id):
        doc = Document.get_or_none(Document.id == doc_id)
        if doc is None:
            raise ApiError(404, _("Dokumen tidak ditemukan."))
        return doc

    def readable(doc_id):
        """The document, if the user may read it (the web page's rule); else 404 / 403."""
        from core.documents.types import may_read
        doc = get(doc_id)
        if not may_read(app, user(), doc):
            raise ApiError(403, forbidden_reason("documents.view"), reason="missing_permission")
        return doc

    @router.get("/documents", permission="documents.view", scope="documents", tags=tags,
                summary=lazy("Arsip dokumen terbit"), response="DocumentPage",
                query=[Param("type", "string", lazy("Jenis dokumen (kode)")),
                       Param("q", "string", lazy("Cari nomor atau perihal")),
                       Param("record", "string", lazy("Data yang dibahas: jenis:id, mis. training_batch:3")),
                       Param("status", "string", lazy("Status"), enum=STATUSES),
                       Param("after", "integer", lazy("Id terakhir halaman sebelumnya"), minimum=0, maximum=MAX_ID),
                       Param("limit", "integer", lazy("Jumlah per halaman (bawaan 50)"), minimum=1, maximum=MAX_LIMIT)])
    def documents_list():
        status = query("status")
        if status and status not in STATUSES:
            raise ApiError(400, _("Parameter tidak valid."), errors={"status": _("Pilihan tidak valid.")})
        q = service.archive_query(query("type")[:80], query("q").strip()[:100], query("record")[:120])
        if status:
            q = q.where(Document.status == status)
        after, limit = int_query("after", 0), int_query("limit", 50, 1, MAX_LIMIT)
        rows = list(q.where(Document.id > after).order_by(Document.id).limit(limit + 1))
        return {"items": [document_json(d) for d in rows[:limit]],
                "next_after": rows[limit - 1].id if len(rows) > limit else None}

    # Every user reaches these two (as /documents/<id> on the web); ``readable`` applies the paper's own rule.
    @router.get("/documents/{id}", permission="core.account", scope="documents", tags=tags,
                summary=lazy("Satu dokumen"), response="Document")
    def document_detail(id):
        return document_json(readable(id))

    @router.get("/documents/{id}/pdf", permission="core.account", scope="documents", tags=tags,
                summary=lazy("Unduh PDF dokumen"), produces="application/pdf")
    def document_pdf(id):
        doc = readable(id)
        try:
            body = service.file_content(doc.pdf_sha256)
        except service.DocumentError as exc:
            raise ApiError(409, str(exc), reason="document_damaged")
        if body is None:
            raise ApiError(404, _("Berkas PDF dokumen ini tidak ada."))
        return File(body, "application/pdf", f"{doc.type_code}-{doc.number}-v{doc.version}.pdf")

    @router.get("/documents/verify/{token}", permission="documents.view", scope="documents", tags=tags,
                path_types={"token": "string"}, summary=lazy("Periksa dokumen dari token kode QR-nya"),
                description=lazy("Dengan ?sha256= (sidik berkas PDF yang Anda terima) diperiksa pula bahwa "
                                 "berkas itu PDF dokumen ini."),
                query=[Param("sha256", "string", lazy("sha256 berkas PDF (64 huruf heksadesimal)"))],
                response="Verification")
    def document_verify(token):
        doc = service.by_token(token)
        if doc is None:
            raise ApiError(404, _("Dokumen dengan token ini tidak ada."))
        digest = query("sha256").strip().lower()
        if digest and not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ApiError(400, _("Parameter tidak valid."), errors={"sha256": _("Harus 64 huruf heksadesimal.")})
        matches = (digest == doc.pdf_sha256) if digest else None
        newer = Document.get_or_none(Document.id == doc.superseded_by_id) if doc.superseded_by_id else None
        return {"valid": doc.status == "valid" and matches is not False, "status": doc.status,
                "pdf_matches": matches, "document": document_json(doc),
                "newer": document_json(newer) if newer else None}
