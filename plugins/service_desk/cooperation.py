"""Steps 4–5 of KDI-PM-06: the cooperation meeting's minutes (notulen), the RAB and
the PKS with the head's approval (a task in the Kepala BPVP's "Tugas saya"), the
ID Billing of finance checked against the approved RAB, and the hand-over of the
cooperation's trainees to a training batch (step 6)."""
import decimal

from core.toolkit import _, audit, db, format_date, format_rupiah, tasks, tracker
from plugins.service_desk.models import Approval, Cooperation, GuestVisit, Pks, RabLine
from plugins.service_desk.service import (HEAD, KIND_BRANCH, ServiceDeskError, at_step, cooperation_of, run_of,
                                          set_batch, sync_training_step)

RAB_MAX = decimal.Decimal(10) ** 10       # Rp 10 miliar: no certification cooperation of a balai comes near


def minutes_locked(coop):
    """The minutes are what the head approved the RAB on: locked once it is approved."""
    return coop.rab_status == "approved" or (coop.kind == "placement" and coop.meeting_date is not None)


def billing_locked(coop):
    """A billing recorded as paid is the finance section's record: locked."""
    return bool(coop.paid)


def _correction(coop, what, reason):
    """A locked record changes only with a reason, kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceDeskError(_("{w} sudah dikunci; koreksi memerlukan alasan.", w=what))
    audit.event("service_desk.correction", Cooperation.audit_type(), coop.id, {"what": what, "reason": reason})


def save_minutes(app, coop, user, data):
    """Save the meeting minutes (notulen); completes step 4 when the run is there, on the
    branch of the kind of cooperation (job placement ends the run: no RAB/PKS for it)."""
    visit = GuestVisit.get_by_id(coop.visit_id)
    if data.get("meeting_date") and data["meeting_date"] < visit.day:      # the meeting follows the visit
        raise ServiceDeskError(_("Tanggal pertemuan tidak boleh sebelum kunjungan ({d}).", d=format_date(visit.day)),
                               "meeting_date")
    with db.write():
        coop = db.lock(Cooperation, coop.id)
        if minutes_locked(coop):
            _correction(coop, "Notulen", data.get("correction_reason"))
            if data["kind"] != coop.kind:
                raise ServiceDeskError(_("Jenis kerja sama tidak dapat diubah setelah notulen dikunci."))
        audit.update(coop, **{k: data.get(k) if k == "meeting_date" else (data.get(k) or "")
                              for k in ("kind", "meeting_date", "attendees", "minutes", "follow_up")})
        run = run_of(visit)
        if at_step(run, 4):
            tracker.complete(run, user, expect_no=4, app=app, branch=KIND_BRANCH[coop.kind],
                             notes=_("Notulen hasil pertemuan disimpan."),
                             links=[(_("Notulen"), f"/service-desk/cooperations/{coop.id}")])
    return coop


def rab_lines(coop):
    return list(RabLine.select().where(RabLine.cooperation == coop).order_by(RabLine.id))


def rab_total(lines):
    return sum((line.total for line in lines), decimal.Decimal("0.00"))


def rab_lines_by_cooperation(coop_ids):
    """cooperation id → its RAB lines, for the approval screen (one query)."""
    out = {}
    for line in RabLine.select().where(RabLine.cooperation.in_(list(coop_ids) or [0])).order_by(RabLine.id):
        out.setdefault(line.cooperation_id, []).append(line)
    return out


def _editable(status, what):
    if status in ("submitted", "approved"):
        raise ServiceDeskError(_("{doc} sedang diajukan atau sudah disetujui; tidak dapat diubah.", doc=what))


def add_rab_line(coop, data):
    with db.write():
        coop = db.lock(Cooperation, coop.id)  # its status read again under the lock submit/decide take
        _editable(coop.rab_status, "RAB")
        line = RabLine(**data)
        if rab_total(rab_lines(coop)) + line.total > RAB_MAX:
            raise ServiceDeskError(_("Jumlah RAB melebihi {m}; periksa volume dan harga satuan.", m=format_rupiah(RAB_MAX)))
        return audit.create(RabLine, cooperation=coop, **data)


def delete_rab_line(coop, line_id):
    with db.write():
        coop = db.lock(Cooperation, coop.id)  # its status read again under the lock submit/decide take
        _editable(coop.rab_status, "RAB")
        line = RabLine.get_or_none((RabLine.id == line_id) & (RabLine.cooperation == coop))
        if line is None:
            raise ServiceDeskError(_("Baris RAB tidak ditemukan."))
        audit.delete(line)


def pks_of(coop):
    return Pks.get_or_none(Pks.cooperation == coop)


def save_pks(coop, data, scan=None):
    """Save the PKS text (while draft/returned); the signed scan may be added at any time."""
    with db.write():
        coop = db.lock(Cooperation, coop.id)  # its status read again under the lock submit/decide take
        pks = pks_of(coop)
        if data is not None:
            _editable(coop.pks_status, "PKS")
            if data["period_end"] < data["period_start"]:
                raise ServiceDeskError(_("Akhir masa berlaku tidak boleh sebelum awalnya."))
        fields = dict(data or {})
        if scan:
            fields.update(scan_filename=scan["filename"], scan_sha256=scan["sha256"], scan_size=scan["size"],
                          scan_type=scan["content_type"])
        with db.write():
            if pks is None:
                if data is None:
                    raise ServiceDeskError(_("Isi dulu data PKS."))
                return audit.create(Pks, cooperation=coop, **fields)
            return audit.update(pks, **fields)


def submit(coop, document):
    """Send the RAB or PKS to the head for approval."""
    with db.write():
        return _submit(db.lock(type(coop), coop.id), document)


def _submit(coop, document):
    if document == "rab":
        if coop.rab_status not in ("draft", "returned"):
            raise ServiceDeskError(_("RAB sudah diajukan atau disetujui."))
        if not rab_lines(coop):
            raise ServiceDeskError(_("RAB belum memiliki rincian biaya."))
        coop = audit.update(coop, rab_status="submitted")
    else:
        if coop.pks_status not in ("draft", "returned"):
            raise ServiceDeskError(_("PKS sudah diajukan atau disetujui."))
        if pks_of(coop) is None:
            raise ServiceDeskError(_("Isi dulu data PKS."))
        coop = audit.update(coop, pks_status="submitted")
    # The head's "Tugas saya": one task per document awaiting the decision.
    visit = GuestVisit.get_by_id(coop.visit_id)
    tasks.open(_task_key(coop, document),
               lambda: _("Setujui {d} kerja sama {n}", d=document.upper(), n=visit.organisation or visit.name),
               f"/service-desk/cooperations/{coop.id}", role=HEAD, source=coop)
    return coop


def _task_key(coop, document):
    return f"service_desk.{document}-approve:{coop.id}"


def decide(app, coop, document, user, approve, reason=""):
    """The head approves, or returns with a reason, a submitted RAB or PKS. When both
    are approved, step 5 is complete (closed by the approver on the section's behalf)."""
    with db.write():
        # Read the status again under a row lock: two decisions sent at once make one.
        return _decide(app, db.lock(type(coop), coop.id), document, user, approve, reason)


def _decide(app, coop, document, user, approve, reason):
    if document not in ("rab", "pks"):
        raise ServiceDeskError(_("Dokumen tidak dikenal."))
    status = getattr(coop, f"{document}_status")
    name = "RAB" if document == "rab" else "PKS"
    if status != "submitted":
        raise ServiceDeskError(_("{doc} tidak sedang menunggu persetujuan.", doc=name))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceDeskError(_("Alasan pengembalian wajib diisi."))
    with db.write():
        audit.create(Approval, cooperation=coop, document=document, decision="approved" if approve else "returned",
                     reason=reason, decided_by=user.id)
        tasks.close(_task_key(coop, document), by=user)
        audit.update(coop, **{f"{document}_status": "approved" if approve else "returned",
                              f"{document}_reason": "" if approve else reason})
        if coop.rab_status == "approved" and coop.pks_status == "approved":
            visit = GuestVisit.get_by_id(coop.visit_id)
            run = run_of(visit)
            if at_step(run, 5):
                pks = pks_of(coop)
                files = []
                if pks.scan_sha256:
                    files.append({"filename": pks.scan_filename, "sha256": pks.scan_sha256, "size": pks.scan_size,
                                  "content_type": pks.scan_type, "label": pks.scan_filename})
                total = rab_total(rab_lines(coop))
                tracker.complete(run, user, expect_no=5, app=app, files=files, rule=_("persetujuan Kepala BPVP"),
                                 notes=_("RAB ({t}) dan PKS {n} disetujui Kepala BPVP.", t=format_rupiah(total),
                                         n=pks.number or ""),
                                 links=[(_("RAB dan PKS"), f"/service-desk/cooperations/{coop.id}")])
    return coop


def approver_of(coop, document):
    """The head who approved the cooperation's RAB or PKS (the signer of its paper), or None."""
    from core.toolkit import User
    last = (Approval.select().where((Approval.cooperation == coop) & (Approval.document == document)
                                    & (Approval.decision == "approved")).order_by(Approval.id.desc()).first())
    return User.get_by_id(last.decided_by_id) if last else None


def save_billing(coop, data):
    """The ID Billing of finance for the certification cost: its amount is the approved RAB's."""
    coop = db.lock(Cooperation, coop.id)
    if coop.rab_status != "approved":
        raise ServiceDeskError(_("ID Billing diterbitkan setelah RAB disetujui Kepala BPVP."))
    total = rab_total(rab_lines(coop))
    if data["billing_amount"] != total:
        raise ServiceDeskError(_("Jumlah tagihan {a} tidak sama dengan RAB yang disetujui ({t}).",
                                 a=format_rupiah(data["billing_amount"]), t=format_rupiah(total)))
    if billing_locked(coop):
        _correction(coop, "ID Billing", data.get("billing_correction"))
    if data.get("paid") and not data.get("paid_on"):
        raise ServiceDeskError(_("Tanggal pembayaran wajib diisi bila sudah dibayar."))
    if data.get("paid_on") and data["paid_on"] < data["billed_on"]:
        raise ServiceDeskError(_("Tanggal bayar tidak boleh sebelum tanggal tagihan."))
    return audit.update(coop, billing_id=data["billing_id"], billing_amount=data["billing_amount"],
                        billed_on=data["billed_on"], paid=bool(data.get("paid")),
                        paid_on=data.get("paid_on") if data.get("paid") else None)


def link_batch(visit, batch, user):
    """A cooperation's trainees join a batch: one that had not ended before the cooperation was agreed."""
    if visit.purpose != "cooperation":
        raise ServiceDeskError(_("Angkatan tamu pendaftaran mengikuti pendaftarannya."))
    coop = cooperation_of(visit)
    if coop.meeting_date is None:
        raise ServiceDeskError(_("Simpan dulu notulen pertemuan kerja sama (langkah 4)."))
    if coop.kind == "placement":
        raise ServiceDeskError(_("Kerja sama penempatan kerja tidak melalui pelatihan dan sertifikasi."))
    if batch.end_date < coop.meeting_date:
        raise ServiceDeskError(_("Angkatan {b} sudah berakhir ({d}) sebelum kerja sama disepakati ({m}).",
                                 b=str(batch), d=format_date(batch.end_date), m=format_date(coop.meeting_date)),
                               field="batch")
    with db.write():
        audit.update(coop, batch=batch.id)
        set_batch(visit, batch)
        sync_training_step(visit, user)
