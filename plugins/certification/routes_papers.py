"""Screens of what the test produces: the berita acara page, the recommendation to the LSP, the
LSP's decision and certificate numbers (typed or imported), the papers on the documents service,
the certificate lists."""

import bottle

from core.toolkit import _, current_app, documents, forms, grid, local_today, paginate, privacy, run_action, tabular, web
from plugins.certification import service
from plugins.certification.models import Candidate, CompetencyCertificate, TestEvent
from plugins.certification.routes import BASE, get_event
from plugins.certification.routes_steps import UNIT_RESULT
from plugins.certification.service import CertError
from plugins.training.models import SEX, Person


SEX_LABELS = dict(SEX)


def lsp_grid(event):
    """One line per candidate assessed: the LSP's decision, its certificate and registration numbers, dates."""
    cands = list(Candidate.select(Candidate, Person).join(Person)
                 .where((Candidate.event == event) & (Candidate.present == True)).order_by(Person.name))  # noqa: E712
    certs = {c.candidate_id: c for c in CompetencyCertificate.select()
             .where(CompetencyCertificate.candidate.in_([c.id for c in cands] or [0]))}
    initial = {}
    for c in cands:
        initial[(c.id, "decision")] = c.lsp_decision or None
        cert = certs.get(c.id)
        if cert is not None:
            initial.update({(c.id, "number"): cert.number, (c.id, "registration_number"): cert.registration_number,
                            (c.id, "issued_on"): cert.issued_on.isoformat(),
                            (c.id, "handed_over_on"): cert.handed_over_on.isoformat() if cert.handed_over_on else None})
    today = local_today()
    columns = [grid.GridColumn("decision", _("Keputusan LSP"), UNIT_RESULT),
               grid.GridColumn("number", _("No. sertifikat"), forms.String(max_length=80)),
               grid.GridColumn("registration_number", _("No. registrasi"), forms.String(max_length=80)),
               grid.GridColumn("issued_on", _("Tanggal terbit"), forms.Date()),
               grid.GridColumn("handed_over_on", _("Diserahkan"), forms.Date())]
    return grid.Grid("lsp", [grid.GridRow(c.id, c.person.name, note=_("Rekomendasi: {r}", r=c.result or "—"))
                             for c in cands], columns, initial=initial,
                     row_check=lambda _row, values: service.lsp_row_problems(event, values, today),
                     caption=_("Keputusan LSP per peserta"))


def papers_of(event):
    """[(code, title, the current document or None)] of the event's papers (one query)."""
    from plugins.certification import papers
    current = {}
    for doc in documents.for_record(TestEvent.audit_type(), event.id):
        if doc.status == "valid":
            current.setdefault(doc.type_code, doc)
    return [(code, spec[0], current.get(code)) for code, spec in papers.PAPERS.items()]


LSP_COLUMNS = {"nik": "nik", "nama": "name", "keputusan": "decision", "keputusan_lsp": "decision",
               "no._sertifikat": "number", "no_sertifikat": "number", "nomor_sertifikat": "number",
               "no._registrasi": "registration_number", "no_registrasi": "registration_number",
               "nomor_registrasi": "registration_number", "tanggal_terbit": "issued_on"}


def import_lsp(event, g, upload, page):
    """Fill the LSP grid from the LSP's Excel/CSV (matched by NIK, else by name); nothing is saved here."""
    if upload is None or not (upload.raw_filename or "").strip():
        g.form_error = _("Pilih berkas Excel (.xlsx) atau CSV dari LSP.")
        web.response.status = 422
        return page(g)
    try:
        _header, rows = tabular.read_table(upload.raw_filename, upload.file.read(), aliases=LSP_COLUMNS)
    except tabular.TabularError as exc:
        g.form_error = str(exc)
        web.response.status = 422
        return page(g)
    people = {c.id: c.person for c in Candidate.select(Candidate, Person).join(Person)
              .where(Candidate.id.in_([r.key for r in g.rows] or [0]))}
    by_nik = {p.nik: cid for cid, p in people.items()}
    by_name = {p.name.strip().lower(): cid for cid, p in people.items()}
    texts, unmatched = {}, []
    for number, row in rows:
        cid = by_nik.get(str(row.get("nik") or "").strip()) or by_name.get(str(row.get("name") or "").strip().lower())
        if cid is None:
            unmatched.append(str(number))
            continue
        for col in ("decision", "number", "registration_number", "issued_on"):
            value = row.get(col)
            if hasattr(value, "isoformat"):
                value = value.isoformat()[:10]
            if value not in (None, ""):
                texts[(cid, col)] = str(value).strip().upper() if col == "decision" else value
    g.prefill(texts)
    if unmatched:
        g.form_error = _("Baris {rows} tidak cocok dengan peserta uji ini (NIK atau nama).", rows=", ".join(unmatched))
    g.notice = _("{n} baris dari berkas LSP dimasukkan ke tabel. Periksa, lalu simpan.", n=len(rows) - len(unmatched))
    return page(g)



def register(router):
    @router.route(BASE + "/events/<event_id:int>/lsp", method=["GET", "POST"], permission="certification.certificates")
    def lsp(event_id):
        event = get_event(event_id)
        g = lsp_grid(event)
        page = lambda g: web.render("certification/lsp.html", event=event, grid=g,
                                    page_title=_("Keputusan LSP dan serah terima sertifikat"))
        if web.request.method == "GET":
            return page(g)
        upload = bottle.request.files.get("lsp_file")
        if web.form().get("import"):          # the LSP's spreadsheet into the grid, to check before saving
            return import_lsp(event, g, upload, page)

        def save(values):
            rows = {}
            for (cid, col), value in values.items():
                rows.setdefault(cid, {})[col] = value
            service.record_lsp(event, rows, reason=web.form().get("reopen_reason"))
        return grid.submit_grid(g, save, page, message=_("Keputusan LSP dan nomor sertifikat tersimpan."),
                                to=f"{service.event_url(event)}/lsp", refusals=(CertError,))

    @router.post(BASE + "/events/<event_id:int>/papers/<code>", permission="certification.view")
    def paper_issue(event_id, code):
        from plugins.certification import papers
        event = get_event(event_id)
        if code not in papers.PAPERS:
            raise web.NotFound()

        def issue():
            doc = papers.issue(current_app(), code, event, web.user())
            web.flash(_("Dokumen {t} terbit dengan nomor {n}.", t=papers.PAPERS[code][0], n=doc.number))
        run_action(issue, service.event_url(event), refusals=(documents.DocumentError,))

    def recommendation_table(event):
        header = [_("No"), _("NIK"), _("Nama"), _("Jenis kelamin"), _("Hasil"), _("Rekomendasi"), _("Catatan asesor")]
        rows = []
        for i, c in enumerate(service.recommendation_rows(event), 1):
            rows.append([i, privacy.shown(Person, "nik", c.person.nik), c.person.name,
                         _(SEX_LABELS.get(c.person.sex, "—")), c.result,
                         _("Direkomendasikan untuk diterbitkan sertifikat") if c.result == "K"
                         else _("Belum direkomendasikan"), c.recommendation])
        return header, rows

    @router.get(BASE + "/events/<event_id:int>/recommendation", permission="certification.view")
    def recommendation(event_id):
        event = get_event(event_id)
        header, rows = recommendation_table(event)
        filename = f"rekomendasi-lsp-{event.id}"
        if web.query("format") in ("csv", "xlsx"):
            opts = service.options()
            preamble = [[_("Rekomendasi penerbitan sertifikat kepada {l}", l=opts["lsp_name"])],
                        [_("Skema"), f"{event.scheme.number} — {event.scheme.title}"],
                        [_("Tanggal uji"), event.date.isoformat()], [_("TUK"), event.tuk.name], []]
            # The CSV keeps its plain shape (header + rows); the workbook carries the letter's heading.
            return tabular.download(web.query("format"), filename, header, rows, title="Rekomendasi",
                                    preamble=preamble if web.query("format") == "xlsx" else ())
        return web.render("certification/recommendation.html", event=event, header=header, rows=rows,
                          lsp=service.options(), page_title=_("Rekomendasi ke LSP"))

    @router.get(BASE + "/certificates", permission="certification.view")
    def certificates():
        q = service.certificates_query().order_by(CompetencyCertificate.issued_on.desc(), CompetencyCertificate.id.desc())
        text = web.query("q").strip()[:100]
        if text:
            q = q.where(CompetencyCertificate.number.contains(text) | Person.name.contains(text))
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        return web.render("certification/certificates.html", rows=rows, page=page, has_next=has_next, q=text,
                          days=None, page_title=_("Sertifikat kompetensi"))

    @router.get(BASE + "/certificates/expiring", permission="certification.view")
    def certificates_expiring():
        days = web.query("days", "30")
        days = int(days) if days in ("30", "60", "90") else 30
        return web.render("certification/certificates.html", rows=service.expiring(days), page=1, has_next=False,
                          q="", days=days, page_title=_("Sertifikat habis berlaku dalam {n} hari", n=days))
