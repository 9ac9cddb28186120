"""Steps 2–3 of KDI-PM-06: registering a guest for a training (with the SIAPkerja
proof), the selection of a batch (weights, CBT and interview scores, pass marks,
finalisation) and re-registration (daftar ulang), which closes step 3."""
import decimal

from core.toolkit import _, actor, audit, current_app, db, format_number, local_today, tracker
from plugins.service_desk.models import GuestVisit, SelectionScore, SelectionSetting
from plugins.service_desk.service import (ACCEPTED, NOT_ACCEPTED, ServiceDeskError, at_step, run_of, runs_at, set_batch,
                                          sync_training_step)
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme

CENT = decimal.Decimal("0.01")
SELECTION_OPEN = ("registered", "selection")
ROSTER = ("reregistered", "training", "graduated", "not_graduated")


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
    with db.write():
        db.lock(Batch, batch.id)  # setting, scores and finalising of a batch: one at a time
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
    """A score as written in the reader's language: ``78,50``; ``—`` when missing."""
    if value is None:
        return "—"
    return format_number(decimal.Decimal(value).quantize(CENT), 2)


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
    with db.write():
        db.lock(Batch, batch.id)  # setting, scores and finalising of a batch: one at a time
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
    with db.write():
        db.lock(Batch, batch.id)  # setting, scores and finalising of a batch: one at a time
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
