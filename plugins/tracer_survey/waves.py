"""Waves after a batch ends, the batch's survey (the subject of its one run of
KDI-PM-09), the roster and its survey links, and the scheduled job that opens and closes waves."""
import datetime

import peewee

from core.toolkit import _, audit, current_app, db, local_today, tracker
from plugins.tracer_survey import links
from plugins.tracer_survey.config import FLOW, TracerError, add_months, settings, survey_title
from plugins.tracer_survey.models import Alumnus, Contact, Response, Survey, VacancyShare, Wave
from plugins.training.models import Batch, Person, Programme


# ---------------------------------------------------------------- waves

def survey_of(batch_id):
    """The batch's survey record (the subject of its run), created when missing."""
    survey = Survey.get_or_none(Survey.batch == batch_id)
    if survey is None:
        with db.write():
            survey = audit.create(Survey, batch=batch_id)
    return survey


def run_of(wave):
    """The run of KDI-PM-09 a wave belongs to: its batch's one run (or None before it started)."""
    survey = Survey.get_or_none(Survey.batch == wave.batch_id)
    return FLOW.run_of(survey) if survey is not None else None


def last_close(batch_id):
    """When the batch's last wave stops taking answers (its close date, or when it was closed early)."""
    closes = [w.closed_at.date() if w.closed_at else w.closes_on
              for w in Wave.select(Wave.closes_on, Wave.closed_at).where(Wave.batch == batch_id)]
    return max(closes) if closes else None


def create_waves(batch, app=None, end_date=None):
    """Create the missing waves of an ended batch (idempotent); returns the new ones.

    Each wave gets the batch's graduates as roster. The batch has ONE run of
    KDI-PM-09: step 1 collects the alumni data once, a month after training, so
    the run starts when the first wave opens (at once if it is already open, else
    by the job ``tracer_survey.waves``); steps 4–6 cover every wave.
    """
    app = app or current_app()
    conf = settings(app)
    end = end_date or batch.end_date
    created = []
    with db.write():
        survey = survey_of(batch.id)
        existing = {w.months for w in Wave.select(Wave.months).where(Wave.batch == batch)}
        for months in conf["months"]:
            if months in existing:
                continue
            opens = add_months(end, months)
            wave = audit.create(Wave, batch=batch, months=months, opens_on=opens,
                                closes_on=opens + datetime.timedelta(days=conf["open_days"] - 1))
            fill_roster(wave)
            created.append(wave)
        first_open = Wave.select(peewee.fn.MIN(Wave.opens_on)).where(Wave.batch == batch).scalar()
        if first_open is not None and first_open <= local_today(app) and FLOW.run_of(survey) is None:
            FLOW.start(survey, survey_title(batch), app=app)
    return created


def tend_waves(app, now=None):
    """The scheduled job: start a batch's run when its first wave opens; close each wave
    whose answering period is over; when the batch's last wave has closed, complete
    step 6 (the alumni's step) by rule."""
    today = local_today(app)
    started = closed = 0
    with db.write():
        for wave in (Wave.select(Wave, Batch, Programme).join(Batch).join(Programme)
                     .where((Wave.closes_on < today) & Wave.closed_at.is_null())):
            # Its links already expired at the end of its last day: nothing to change there.
            audit.update(wave, closed_at=db.utcnow())
            closed += 1
        due = list(Survey.select(Survey, Batch, Programme).join(Batch).join(Programme)
                   .where(Survey.batch.in_(Wave.select(Wave.batch).where(Wave.opens_on <= today))))
        runs = FLOW.runs(due)
        for survey in due:
            if survey.id not in runs:
                FLOW.start(survey, survey_title(survey.batch), app=app)
                started += 1
            else:
                finish_answering(survey, app)
    return {"started": started, "closed": closed}


def close_wave(wave, app=None):
    """The officer closes a wave's answering early (step 6); its links stop at once.
    Returns True when this closed the batch's last open wave and completed step 6."""
    with db.write():
        wave = db.lock(Wave, wave.id)
        if wave.closed_at is None:
            audit.update(wave, closed_at=db.utcnow())
            links.sync(wave, app)
        return finish_answering(survey_of(wave.batch_id), app)


def finish_answering(survey, app=None):
    """Complete step 6 by rule once every wave of the batch has closed; returns True when done."""
    open_waves = Wave.select().where((Wave.batch == survey.batch_id) & Wave.closed_at.is_null()).count()
    if open_waves or not FLOW.at_step(survey, 6):
        return False
    FLOW.complete(survey, 6, rule=_("semua gelombang survei ditutup; terakhir {d}",
                                    d=last_close(survey.batch_id).isoformat()), app=app)
    return True


def change_close(wave, closes_on, reason, today):
    """Extend an open wave, or reopen a closed one, to ``closes_on`` with a reason (audited).

    Refused (TracerError) without a reason, with a date not after today or before the
    wave opens, or once the alumni's step 6 of the batch's run is done."""
    if not (reason or "").strip():
        raise TracerError(_("Alasan wajib diisi."), "reason")
    if closes_on is None or closes_on < today or closes_on < wave.opens_on:
        raise TracerError(_("Tanggal tutup baru harus hari ini atau sesudahnya, dan tidak sebelum gelombang dibuka."),
                          "closes_on")
    run = run_of(wave)
    if run is not None and (run.status != "active" or run.current_no > 6):
        raise TracerError(_("Langkah 6 (pengisian oleh alumni) sudah selesai; gelombang tidak dapat dibuka lagi."),
                          "closes_on")
    with db.write():
        db.lock(Wave, wave.id)
        reopened = wave.closed_at is not None or wave.closes_on < today
        audit.update(wave, closes_on=closes_on, closed_at=None)
        links.sync(wave)
        audit.event("tracer_wave_reopened" if reopened else "tracer_wave_extended", Wave.audit_type(), wave.id,
                    {"closes_on": closes_on.isoformat(), "reason": reason.strip()})
        if run is not None:
            tracker.reanchor(run, current_app())
    return reopened


def on_batch_ended(data):
    batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == data.get("batch_id")).first()
    if batch is None:
        return []
    end = batch.end_date
    if data.get("end_date"):
        try:
            end = datetime.date.fromisoformat(str(data["end_date"])[:10])
        except ValueError:
            pass
    return create_waves(batch, end_date=end)


def fill_roster(wave):
    """Add the batch's graduates missing from the roster; returns how many were added."""
    from plugins.training.service import graduates
    have = {nik for (nik,) in Alumnus.select(Alumnus.nik).where(Alumnus.wave == wave).tuples()}
    added = 0
    with db.write():
        for enrolment in graduates(wave.batch_id):
            person = enrolment.person
            if person.nik in have:
                continue
            alumnus = audit.create(Alumnus, wave=wave, person=person, nik=person.nik, name=person.name,
                                   phone=person.phone or "", source="graduates")
            links.create(alumnus, wave)
            have.add(person.nik)
            added += 1
    return added


def import_roster(wave, results):
    """Add checked roster rows (all good, checked by the caller); returns how many."""
    have = {nik for (nik,) in Alumnus.select(Alumnus.nik).where(Alumnus.wave == wave).tuples()}
    people = {p.nik: p for p in Person.select().where(Person.nik.in_([r.data["nik"] for r in results] or [""]))}
    added = 0
    with db.write():
        for r in results:
            if r.data["nik"] in have:
                continue
            alumnus = audit.create(Alumnus, wave=wave, person=people.get(r.data["nik"]), nik=r.data["nik"],
                                   name=r.data["nama"], phone=r.data.get("telepon") or "", source="import")
            links.create(alumnus, wave)
            added += 1
    return added


def roster_size(wave):
    return Alumnus.select().where(Alumnus.wave == wave).count()


def get_wave(wave_id):
    wave = (Wave.select(Wave, Batch, Programme).join(Batch).join(Programme)
            .where(Wave.id == wave_id).first())
    return wave


def roster(wave):
    """The wave's alumni with their response (or None), link token, contact count and last contact: 4 queries."""
    alumni = list(Alumnus.select(Alumnus, Response)
                  .join(Response, peewee.JOIN.LEFT_OUTER, on=(Response.alumnus == Alumnus.id), attr="answer")
                  .where(Alumnus.wave == wave).order_by(Alumnus.name))
    for a in alumni:
        if getattr(a, "answer", None) is not None and a.answer.id is None:
            a.answer = None
        elif not hasattr(a, "answer"):
            a.answer = None
    contacts = {}
    for aid, kind, n, last in (Contact.select(Contact.alumnus, Contact.kind, peewee.fn.COUNT(Contact.id),
                                              peewee.fn.MAX(Contact.at))
                               .join(Alumnus).where(Alumnus.wave == wave)
                               .group_by(Contact.alumnus, Contact.kind).tuples()):
        contacts.setdefault(aid, {})[kind] = (n, last)
    shares = dict(VacancyShare.select(VacancyShare.alumnus, peewee.fn.COUNT(VacancyShare.id))
                  .join(Alumnus).where(Alumnus.wave == wave).group_by(VacancyShare.alumnus).tuples())
    for a in alumni:
        a.contacts = contacts.get(a.id, {})
        a.shared = shares.get(a.id, 0)
    return links.with_tokens(alumni)


# ---------------------------------------------------------------- steps

def complete_step(wave, user, no, notes="", links=()):
    """Complete step ``no`` of the batch's run when it is the open step.

    Returns None when done, or a message why not (not at that step); raises StepError
    when the user may not perform it.
    """
    run = run_of(wave)
    if run is None:
        return _("Gelombang ini belum memiliki run SOP.")
    if run.status != "active":
        return _("Run SOP gelombang ini sudah selesai.")
    if run.current_no != no:
        return _("Langkah {no} tidak sedang terbuka (run berada di langkah {cur}).", no=no, cur=run.current_no)
    tracker.complete(run, user, notes=notes, links=links, expect_no=no)
    return None
