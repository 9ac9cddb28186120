"""The service desk's rules: what the screens and event subscribers call.

Each guest visit owns one run of KDI-PM-06. The screens complete the steps
whose action they are (saving the guest completes step 1 with the routing
decision, registering completes step 2, finalising selection completes step 3
of every registration run of the batch, saving minutes completes step 4, the
head's approval of both RAB and PKS completes step 5); the training plugin's
``training.batch_ended`` completes step 6 and the LSP result (recorded by hand,
or the ``certification`` plugin's ``certification.event_archived``) step 7.

Refusals raise ``ServiceDeskError`` (or the tracker's ``StepError`` / the
training plugin's ``TrainingError``) with a message for the user.
"""
import decimal
import json
import logging
import secrets

from core.toolkit import _, actor, audit, current_app, db, format_date, format_rupiah, local_today, tasks, tracker
from plugins.service_desk.models import (Approval, Cooperation, GuestVisit, Pks, RabLine, SelectionScore,
                                         SelectionSetting, TestResult)
from plugins.service_desk.sop import SOP
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme

Run, RunStep = tracker.Run, tracker.RunStep  # raw tracker models (toolkit.tracker), for queries no toolkit function covers yet

log = logging.getLogger("balai.service_desk")
CODE = SOP["code"]
SUBJECT = GuestVisit.audit_type()         # "service_desk_visit"
FLOW = tracker.Workflow(CODE, SUBJECT)
EMPOWER = "sub_koordinator_pemberdayaan"
DELIVERY = "sub_koordinator_penyelenggaraan"
HEAD = "kepala_bpvp"
CENT = decimal.Decimal("0.01")

# The routing decisions: purpose → the branch label of step 1; the selection outcome
# of step 3 and the kind of cooperation of step 4 → theirs (labels as in sop.py).
_BRANCHES = {s["no"]: [b["label"] for b in s.get("branches", ())] for s in SOP["steps"]}
BRANCH = dict(zip(("registration", "cooperation", "information", "complaint"), _BRANCHES[1]))
ACCEPTED, NOT_ACCEPTED = _BRANCHES[3]
KIND_BRANCH = dict(zip(("training_certification", "placement"), _BRANCHES[4]))
RAB_MAX = decimal.Decimal(10) ** 10       # Rp 10 miliar: no certification cooperation of a balai comes near
SELECTION_OPEN = ("registered", "selection")
ROSTER = ("reregistered", "training", "graduated", "not_graduated")


class ServiceDeskError(Exception):
    """A refusal the user can read."""


# ---------------------------------------------------------------- time

# ---------------------------------------------------------------- runs

def run_of(visit):
    return FLOW.run_of(visit)


def at_step(run, no):
    return run is not None and run.status == "active" and run.current_no == no


def runs_at(visits, no):
    """(visit, run) of the given visits whose run waits at step ``no`` (one query)."""
    return FLOW.runs_at(visits, no)


def visit_url(visit):
    return f"/service-desk/visits/{visit.id}"


def create_visit(app, user, data):
    """Enter a guest in the guest book: starts the run and completes step 1 with
    the routing decision (the officer holds the step's role, or StepError)."""
    with db.write():
        visit = audit.create(GuestVisit, day=local_today(app), name=data["name"], category=data["category"],
                             organisation=data.get("organisation") or "", phone=data.get("phone") or "",
                             purpose=data["purpose"], consent=True, notes=data.get("notes") or "",
                             received_by=user.id, skm_token=secrets.token_urlsafe(18))
        branch = BRANCH[visit.purpose]
        run = tracker.start_run(CODE, SUBJECT, visit.id, _("Tamu: {n} ({p})", n=visit.name, p=branch), app=app)
        tracker.complete(run, user, notes=_("Tamu dicatat di buku tamu."), branch=branch,
                         links=[(_("Buku tamu"), visit_url(visit))], app=app)
        if visit.purpose == "cooperation":
            audit.create(Cooperation, visit=visit)
        if visit.purpose == "complaint":
            from plugins.service_desk import skm
            skm.open_complaint(app, user, {"name": visit.name, "contact": visit.phone, "channel": "langsung",
                                           "subject": _("Pengaduan tamu {n}", n=visit.name), "text": visit.notes},
                               visit=visit)
    return visit


def skm_link(app, visit):
    """The visit's satisfaction-survey link (answered once), for the QR on the visit page."""
    if not visit.skm_token:
        return ""
    from core.toolkit import documents
    return f"{documents.base_url(app)}/layanan/skm?t={visit.skm_token}"


def set_batch(visit, batch):
    """Hand the run over to a training batch: step 6's standard becomes the programme's JP."""
    with db.write():
        if visit.batch_id != batch.id:
            audit.update(visit, batch=batch.id)
        run = run_of(visit)
        if run is None:
            return
        jp = Programme.get_by_id(batch.programme_id).total_jp
        params = json.loads(run.params or "{}")
        if params.get("JP") != jp:
            params["JP"] = jp
            audit.update(run, params=json.dumps(params))
        # Step 6's clock runs from the batch's own first day (anchor ``mulai_pelatihan``).
        tracker.reanchor(run, current_app())


def batch_of(visit):
    """The training batch the visit's run was handed over to."""
    return Batch.get_by_id(visit.batch_id)


def step_anchor(run, step):
    """``balai_step_anchor``: the first day of the batch the run was handed over to."""
    if run.code != CODE or step.anchor != "mulai_pelatihan":
        return None
    visit = GuestVisit.get_or_none(GuestVisit.id == int(run.subject_id))
    if visit is None or not visit.batch_id:
        return None
    return Batch.get_by_id(visit.batch_id).start_date


def step_guards(run, step):
    """``balai_step_guards``: step 6 records a training that has ended."""
    if run.code != CODE or step.no != 6:
        return []
    visit = GuestVisit.get_or_none(GuestVisit.id == int(run.subject_id))
    batch = Batch.get_by_id(visit.batch_id) if visit and visit.batch_id else None
    if batch is None:
        return [_("Tautkan dulu angkatan pelatihan.")]
    if batch.status != "ended":
        return [_("Pelatihan {b} belum selesai (berakhir {d}).", b=str(batch), d=format_date(batch.end_date))]
    return []


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
                                 b=str(batch), d=format_date(batch.end_date), m=format_date(coop.meeting_date)))
    with db.write():
        audit.update(coop, batch=batch.id)
        set_batch(visit, batch)
        sync_training_step(visit, user)


def sync_training_step(visit, user):
    """Step 6 is done as soon as its batch has ended (also when it ended before step 6 opened)."""
    if not visit.batch_id:
        return False
    batch = Batch.get_by_id(visit.batch_id)
    run = run_of(visit)
    if batch.status != "ended" or not at_step(run, 6):
        return False
    tracker.complete(run, user, expect_no=6, rule=_("angkatan pelatihan sudah selesai"),
                     notes=_("Pelatihan {b} selesai ({d}).", b=str(batch), d=batch.end_date.isoformat()),
                     links=[(str(batch), f"/training/batches/{batch.id}")])
    return True


def on_batch_ended(batch_id):
    """``training.batch_ended``: complete step 6 of every run handed over to that batch."""
    user = actor()      # the user who ended the batch, or the system (a job, the CLI)
    visits = list(GuestVisit.select().where(GuestVisit.batch == batch_id))
    done = 0
    for visit, _run in runs_at(visits, 6):
        try:
            done += sync_training_step(visit, user)
        except tracker.StepError:
            log.exception("could not complete step 6 of visit %s", visit.id)
    return done


# ---------------------------------------------------------------- step 2: registration

def registrable_batches(today):
    """Batches a guest might register for (window shown; closed ones are refused with the reason)."""
    return list(Batch.select(Batch, Programme).join(Programme)
                .where(Batch.status.not_in(("ended", "cancelled", "running")) & (Batch.end_date >= today))
                .order_by(Batch.reg_closes, Batch.id))


def register_guest(app, visit, user, batch, data):
    """Register the guest for a batch with the SIAPkerja proof; completes step 2."""
    run = run_of(visit)
    if visit.purpose != "registration":
        raise ServiceDeskError(_("Tamu ini datang untuk kerja sama, bukan pendaftaran pelatihan."))
    if visit.enrolment_id:
        raise ServiceDeskError(_("Tamu ini sudah didaftarkan."))
    if not at_step(run, 2):
        raise ServiceDeskError(_("Run tamu ini tidak sedang di langkah 2 (pendaftaran)."))
    with db.write():
        problem = training.registration_problem(batch, local_today(app))
        if problem:
            raise training.TrainingError(problem)
        person = training.find_or_create_person(data["nik"], name=visit.name, sex=data["sex"],
                                                birth_date=data.get("birth_date"), phone=visit.phone or "")
        enrolment = training.register(person, batch, source="siapkerja", siapkerja_ref=data["siapkerja_ref"],
                                      today=local_today(app))
        audit.update(visit, enrolment=enrolment.id)
        set_batch(visit, batch)
        tracker.complete(run, user, expect_no=2, app=app,
                         notes=_("Terdaftar pada {b}; bukti SIAPkerja {r}.", b=str(batch), r=data["siapkerja_ref"]),
                         links=[(person.name, f"/training/people/{person.id}")])
    return enrolment


# ---------------------------------------------------------------- step 3: selection

def setting_for(batch):
    """The batch's selection setting (an unsaved default when none is set yet)."""
    return SelectionSetting.get_or_none(SelectionSetting.batch == batch) or SelectionSetting(batch=batch)


def save_setting(batch, data):
    setting = setting_for(batch)
    if setting.finalised_at:
        raise ServiceDeskError(_("Seleksi sudah difinalkan; bobot dan nilai batas tidak dapat diubah."))
    if data["cbt_weight"] + data["interview_weight"] != 100:
        raise ServiceDeskError(_("Jumlah bobot CBT dan wawancara harus 100%."))
    if data["reserve_mark"] > data["pass_mark"]:
        raise ServiceDeskError(_("Nilai batas cadangan tidak boleh di atas nilai batas lulus."))
    fields = {k: data[k] for k in ("cbt_weight", "interview_weight", "pass_mark", "reserve_mark")}
    with db.write():
        if setting.id is None:
            return audit.create(SelectionSetting, batch=batch, **fields)
        return audit.update(setting, **fields)


def fmt_score(value):
    """A score as Indonesians write it: ``78,50``; ``—`` when missing."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal
    return format_decimal(decimal.Decimal(value).quantize(CENT), format="#,##0.00", locale="id")


def fmt_ikm(value):
    """The IKM (1–4) with four decimals, as the regulation's worked example: ``3,2719``."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal
    return format_decimal(decimal.Decimal(value), format="0.0000", locale="id")


def weighted_total(setting, cbt, interview):
    if cbt is None or interview is None:
        return None
    weights = setting.cbt_weight + setting.interview_weight
    return ((cbt * setting.cbt_weight + interview * setting.interview_weight) / weights).quantize(CENT)


def result_of(setting, total):
    if total is None:
        return ""
    if total >= setting.pass_mark:
        return "pass"
    if total >= setting.reserve_mark:
        return "reserve"
    return "fail"


def candidates(batch):
    """Enrolments of the batch with person and score: two queries."""
    rows = list(Enrolment.select(Enrolment, Person).join(Person)
                .where(Enrolment.batch == batch).order_by(Person.name))
    scores = {s.enrolment_id: s for s in SelectionScore.select().where(
        SelectionScore.enrolment.in_([e.id for e in rows] or [0]))}
    for e in rows:
        e.score = scores.get(e.id)
    return rows


def save_scores(batch, rows):
    """``rows``: enrolment id → {cbt_score, interview_score, interview_notes}.
    Scored candidates move registered → selection."""
    setting = setting_for(batch)
    if setting.finalised_at:
        raise ServiceDeskError(_("Seleksi sudah difinalkan; nilai tidak dapat diubah."))
    by_id = {e.id: e for e in candidates(batch)}
    with db.write():
        for eid, values in rows.items():
            e = by_id.get(eid)
            if e is None or e.status not in SELECTION_OPEN:
                continue
            # A field the form did not send keeps its saved value.
            old = {"cbt_score": e.score.cbt_score if e.score else None,
                   "interview_score": e.score.interview_score if e.score else None,
                   "interview_notes": e.score.interview_notes if e.score else ""}
            merged = {k: values[k] if k in values else old[k] for k in old}
            total = weighted_total(setting, merged["cbt_score"], merged["interview_score"])
            fields = dict(merged, interview_notes=merged["interview_notes"] or "", total=total,
                          result=result_of(setting, total))
            if e.score is None:
                if fields["cbt_score"] is None and fields["interview_score"] is None and not fields["interview_notes"]:
                    continue
                audit.create(SelectionScore, enrolment=e.id, **fields)
            else:
                audit.update(e.score, **fields)
            if e.status == "registered":
                training.change_status(e, "selection")


def finalise_selection(app, batch, user):
    """Compute results, move enrolments (accepted within the quota, reserve, rejected)
    and complete step 3 of every registration run of the batch."""
    setting = setting_for(batch)
    if setting.id is None:
        raise ServiceDeskError(_("Tetapkan dulu bobot dan nilai batas seleksi angkatan ini."))
    if setting.finalised_at:
        raise ServiceDeskError(_("Seleksi angkatan ini sudah difinalkan."))
    rows = [e for e in candidates(batch) if e.status in SELECTION_OPEN]
    if not rows:
        raise ServiceDeskError(_("Tidak ada calon peserta yang menunggu seleksi."))
    missing = [e.person.name for e in rows if e.score is None or e.score.cbt_score is None
               or e.score.interview_score is None]
    if missing:
        raise ServiceDeskError(_("Nilai CBT dan wawancara belum lengkap untuk: {names}.", names=", ".join(missing)))
    outcome = {}
    with db.write():
        rows.sort(key=lambda e: (-weighted_total(setting, e.score.cbt_score, e.score.interview_score), e.person.name))
        for e in rows:
            total = weighted_total(setting, e.score.cbt_score, e.score.interview_score)
            result = result_of(setting, total)
            audit.update(e.score, total=total, result=result)
            if e.status == "registered":
                training.change_status(e, "selection")
            target = {"pass": "accepted", "reserve": "reserve", "fail": "rejected"}[result]
            if target == "accepted":
                try:
                    training.change_status(e, "accepted")
                except training.TrainingError:       # quota full: the best of the rest wait as reserve
                    target = "reserve"
                    training.change_status(e, "reserve")
            else:
                training.change_status(e, target)
            outcome[e.id] = (result, target, total)
        audit.update(setting, finalised_at=db.utcnow(), finalised_by=user.id)
        visits = list(GuestVisit.select().where(GuestVisit.enrolment.in_(list(outcome))))
        completed = 0
        # Step 3 closes at re-registration (daftar ulang); an applicant not accepted ends here.
        for visit, run in runs_at(visits, 3):
            result, target, total = outcome[visit.enrolment_id]
            if target == "rejected":
                _end_selection(app, run, user, batch, total)
                completed += 1
    return outcome, completed


def _end_selection(app, run, user, batch, total=None):
    """The applicant is not accepted: step 3 ends the run on its 'Tidak diterima' branch."""
    tracker.complete(run, user, expect_no=3, app=app, branch=NOT_ACCEPTED,
                     notes=_("Hasil seleksi: tidak diterima (nilai akhir {t}).", t=fmt_score(total)),
                     links=[(_("Rekap nilai seleksi"), f"/service-desk/selection/{batch.id}/print")])


def _close_selection(app, visit, user, batch, enrolment):
    """Re-registered: step 3 is done; the run goes on to the training (step 6)."""
    run = run_of(visit)
    if not at_step(run, 3):
        return
    tracker.complete(run, user, expect_no=3, app=app, branch=ACCEPTED,
                     notes=_("Diterima dan sudah daftar ulang."),
                     links=[(_("Rekap nilai seleksi"), f"/service-desk/selection/{batch.id}/print")])
    sync_training_step(visit, user)


def move_enrolment(batch, enrolment_id, to):
    """After selection: daftar ulang (accepted → reregistered), promote a reserve, or reject."""
    if to not in ("reregistered", "accepted", "rejected"):
        raise ServiceDeskError(_("Perubahan status tidak dikenal."))
    if not setting_for(batch).finalised_at:
        raise ServiceDeskError(_("Finalkan seleksi terlebih dahulu."))
    e = Enrolment.get_or_none((Enrolment.id == enrolment_id) & (Enrolment.batch == batch))
    if e is None:
        raise ServiceDeskError(_("Calon peserta tidak ditemukan pada angkatan ini."))
    app, user = current_app(), actor()
    with db.write():
        e = training.change_status(e, to)
        visit = GuestVisit.get_or_none(GuestVisit.enrolment == e.id)
        run = run_of(visit) if visit else None
        if visit is not None and at_step(run, 3):
            if to == "reregistered":
                _close_selection(app, visit, user, batch, e)
            elif to == "rejected":
                score = SelectionScore.get_or_none(SelectionScore.enrolment == e.id)
                _end_selection(app, run, user, batch, score.total if score else None)
    return e


# ---------------------------------------------------------------- steps 4–5: cooperation

def cooperation_of(visit):
    return Cooperation.get_or_none(Cooperation.visit == visit)


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
    _editable(coop.rab_status, "RAB")
    line = RabLine(**data)
    if rab_total(rab_lines(coop)) + line.total > RAB_MAX:
        raise ServiceDeskError(_("Jumlah RAB melebihi {m}; periksa volume dan harga satuan.", m=format_rupiah(RAB_MAX)))
    return audit.create(RabLine, cooperation=coop, **data)


def delete_rab_line(coop, line_id):
    _editable(coop.rab_status, "RAB")
    line = RabLine.get_or_none((RabLine.id == line_id) & (RabLine.cooperation == coop))
    if line is None:
        raise ServiceDeskError(_("Baris RAB tidak ditemukan."))
    audit.delete(line)


def pks_of(coop):
    return Pks.get_or_none(Pks.cooperation == coop)


def save_pks(coop, data, scan=None):
    """Save the PKS text (while draft/returned); the signed scan may be added at any time."""
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
               _("Setujui {d} kerja sama {n}", d=document.upper(), n=visit.organisation or visit.name),
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


# ---------------------------------------------------------------- step 7: competency test

def payment_problem(visit):
    """Why the competency test may not be scheduled for this visit, or None."""
    if visit.purpose != "cooperation":
        return None
    coop = cooperation_of(visit)
    if coop is None or not coop.billing_id:
        return _("Uji kompetensi belum dapat dijadwalkan: ID Billing biaya sertifikasi belum diterbitkan.")
    if not coop.paid:
        return _("Uji kompetensi belum dapat dijadwalkan: tagihan ID Billing {b} belum dibayar.", b=coop.billing_id)
    return None


def test_ready(visit):
    if not visit.batch_id:
        raise ServiceDeskError(_("Tautkan dulu angkatan pelatihan (langkah 6)."))
    problem = payment_problem(visit)
    if problem:
        raise ServiceDeskError(problem)


def test_result_of(batch_id):
    return TestResult.get_or_none(TestResult.batch == batch_id) if batch_id else None


def complete_tests(app, batch_id, user, first=None, files=(), notes="", links=(), rule=None):
    """Complete step 7 of the runs of this batch (paid ones), ``first`` before the others."""
    visits = list(GuestVisit.select().where(GuestVisit.batch == batch_id))
    pairs = sorted(runs_at(visits, 7), key=lambda p: p[0].id != (first.id if first else None))
    done = 0
    for visit, run in pairs:
        if payment_problem(visit):
            continue
        tracker.complete(run, user, expect_no=7, app=app, files=files, notes=notes, links=links, rule=rule)
        done += 1
    return done


def record_test_by_hand(app, visit, user, data, upload):
    """The LSP's result recorded by hand (certification plugin not enabled)."""
    test_ready(visit)
    if not at_step(run_of(visit), 7):
        raise ServiceDeskError(_("Run tamu ini belum sampai di langkah 7 (uji kompetensi)."))
    if data["passed"] > data["candidates"]:
        raise ServiceDeskError(_("Jumlah yang lulus tidak boleh melebihi jumlah peserta uji."))
    fields = dict(ba_number=data["ba_number"], ba_date=data["ba_date"], candidates=data["candidates"],
                  passed=data["passed"], file_name=upload["filename"], file_sha256=upload["sha256"],
                  file_size=upload["size"], file_type=upload["content_type"], recorded_by=user.id,
                  recorded_at=db.utcnow())
    with db.write():
        existing = test_result_of(visit.batch_id)
        result = audit.update(existing, **fields) if existing else audit.create(TestResult, batch=visit.batch_id, **fields)
        done = complete_tests(app, visit.batch_id, user, first=visit, files=[upload],
                               notes=_("Berita acara LSP {n} tanggal {d}: {p} dari {c} peserta kompeten.",
                                       n=data["ba_number"], d=data["ba_date"].isoformat(), p=data["passed"],
                                       c=data["candidates"]))
    return result, done


# ---------------------------------------------------------------- recap and chart

def visits_of_day(day):
    return list(GuestVisit.select().where(GuestVisit.day == day).order_by(GuestVisit.visited_at))


def counts(since, until):
    """{(category, purpose): n} of visits in the period (one grouped query)."""
    from peewee import fn
    q = (GuestVisit.select(GuestVisit.category, GuestVisit.purpose, fn.COUNT(GuestVisit.id))
         .where((GuestVisit.day >= since) & (GuestVisit.day <= until))
         .group_by(GuestVisit.category, GuestVisit.purpose).tuples())
    return {(c, p): n for c, p, n in q}


def current_steps(visits):
    """visit id → its run: one query."""
    return FLOW.runs(visits)


def overdue_run_ids(run_ids):
    now = db.utcnow()
    if not run_ids:
        return set()
    return {r for (r,) in RunStep.select(RunStep.run).where(
        RunStep.run.in_(list(run_ids)) & RunStep.status.in_(tracker.OPEN) & (RunStep.due_at < now)).tuples()}
