"""Distribution of the invitations (step 6), the regencies' replies and their candidates (step 7),
and the reminders about late replies."""
from core.toolkit import _, audit, db, format_date, format_number, local_today, people, tasks, tracker
from plugins.training import service as training
from plugins.training.models import Enrolment
from plugins.training_delivery.flow import CODE, STAFF, SUBJECT, DeliveryError, at_step, complete
from plugins.training_delivery.models import Addressee, Letter, WorkPlan


# ---------------------------------------------------------------- distribution (step 6)

def record_sending(addressee, sent_on, proof_ref, upload, user, app):
    plan = addressee.work_plan
    fields = {"sent_on": sent_on, "proof_ref": (proof_ref or "").strip()[:120]}
    with db.write():
        db.lock(WorkPlan, plan.id)      # the last two sendings recorded at once: the second sees the first
        at_step(plan, 6)
        invitation = Letter.get_or_none((Letter.addressee == addressee.id) & (Letter.kind == "invitation"))
        if invitation is not None and invitation.dated and sent_on < invitation.dated:
            err = DeliveryError(_("Tanggal kirim tidak boleh sebelum tanggal surat ({d}).", d=format_date(invitation.dated)))
            err.field = "sent_on"
            raise err
        if upload is not None and (upload.raw_filename or "").strip():
            stored = tracker.store_upload(app, upload)
            fields.update(proof_filename=stored["filename"], proof_sha256=stored["sha256"],
                          proof_content_type=stored["content_type"])
        if not fields["proof_ref"] and not fields.get("proof_sha256") and not addressee.proof_sha256:
            err = DeliveryError(_("Isi nomor tanda terima/resi atau unggah bukti kirim."))
            err.field = "proof_ref"
            raise err
        audit.update(addressee, **fields)
        pending = plan.addressees.where(Addressee.sent_on.is_null()).count()
        if pending == 0:
            complete(plan, 6, user, notes=_("Surat undangan terkirim ke {n} Kabupaten/Kota.", n=format_number(plan.addressees.count(), 0)),
                      links=[(_("Register pengiriman"), f"/delivery/plans/{plan.id}/distribution")])
            return True
    return False


# ---------------------------------------------------------------- replies (step 7)

def reply_deadlines(plan_ids, cal):
    """plan id → the last day for the regencies' replies. Computed once, by the tracker: the due
    date of the plan's open step 7 ("1 minggu" from the invitations' sending), so the overdue
    list, the reply pages, the reminders and the tracker show the same date. One query."""
    if not plan_ids:
        return {}
    return {pid: due.astimezone(cal.tz).date()
            for pid, due in tracker.open_step_due(SUBJECT, plan_ids, 7, code=CODE).items()}


def reply_due(addressee, cal):
    """The last day a reply is expected from this addressee (its plan's deadline), or None."""
    return reply_deadlines([addressee.work_plan_id], cal).get(addressee.work_plan_id) if addressee.sent_on else None


def record_reply(addressee, replied_on, reply_ref):
    with db.write():
        at_step(addressee.work_plan, 6, 7, 8)
        if addressee.sent_on is None:
            raise DeliveryError(_("Surat undangan ke {a} belum dicatat terkirim.", a=addressee.name))
        if replied_on < addressee.sent_on:
            err = DeliveryError(_("Tanggal jawaban tidak boleh sebelum tanggal kirim ({d}).", d=format_date(addressee.sent_on)))
            err.field = "replied_on"
            raise err
        audit.update(addressee, replied_on=replied_on, reply_ref=(reply_ref or "").strip()[:120])


def add_candidate(addressee, data):
    """A candidate nominated by a regency/city becomes an enrolment of the batch."""
    plan = addressee.work_plan
    with db.write():
        at_step(plan, 6, 7, 8)
        if addressee.sent_on is None:
            raise DeliveryError(_("Surat undangan ke {a} belum dicatat terkirim.", a=addressee.name))
        if plan.batch_id is None:
            raise DeliveryError(_("Rencana kerja ini belum terhubung dengan angkatan pelatihan."))
        fields = {k: v for k, v in data.items() if k != "nik" and v not in (None, "")}
        fields.setdefault("regency", addressee.name)
        person = training.find_or_create_person(data["nik"], **fields)
        try:
            enrolment = training.register(person, plan.batch, source="nomination", nominated_by=addressee.name,
                                          check_window=False)
        except training.TrainingError as exc:
            raise DeliveryError(str(exc))
        if addressee.replied_on is None:
            audit.update(addressee, replied_on=local_today())
        return enrolment


def close_replies(plan, user):
    with db.write():
        addressees = list(plan.addressees)
        replied = sum(1 for a in addressees if a.replied_on)
        nominated = Enrolment.select().where((Enrolment.batch == plan.batch_id) & (Enrolment.source == "nomination")).count()
        complete(plan, 7, user, notes=_("{r} dari {n} Kabupaten/Kota menjawab; {c} calon peserta diusulkan.",
                                        r=format_number(replied, 0), n=format_number(len(addressees), 0),
                                        c=format_number(nominated, 0)),
                  links=[(_("Jawaban dan calon peserta"), f"/delivery/plans/{plan.id}/replies")])


def overdue_addressees(cal, today):
    """Addressees of plans waiting for replies (step 7) that have not replied by the plan's deadline;
    each carries its ``due`` date. Two queries."""
    rows = list(Addressee.select(Addressee, WorkPlan).join(WorkPlan)
                .where(Addressee.sent_on.is_null(False) & Addressee.replied_on.is_null()))
    deadlines = reply_deadlines({a.work_plan_id for a in rows}, cal)
    late = []
    for a in rows:
        due = deadlines.get(a.work_plan_id)
        if due is not None and due < today:
            a.due = due
            late.append(a)
    return late


def remind_replies(app, now):
    """Job: notify every active staf_blk user (own or acting) once per overdue addressee, and mark the
    addressee reminded. The run reads a constant number of times whatever the number of overdue
    addressees and of staff, and adds every notice in one statement (``tasks.notify_many``); once
    everyone overdue was told, it stops after its first reads. The addressees told are marked
    (``reminded_on``) with one audited update (``audit.update_many``)."""
    cal = app.calendar
    today = tracker.aware(now).astimezone(cal.tz).date()
    rows = [a for a in overdue_addressees(cal, today) if a.reminded_on is None]
    if not rows:
        return 0
    staff = people.holders([STAFF], today)[STAFF]        # once, not per addressee

    def text(a):
        return lambda: _("Belum ada jawaban dari {a} untuk {p} (batas jawaban {d}); mohon dihubungi.",
                         a=a.name, p=a.work_plan.activity, d=format_date(a.due))
    with db.write():
        created = tasks.notify_many(app, [(staff, f"delivery-reply:{a.id}", text(a),
                                           f"/delivery/plans/{a.work_plan_id}/replies") for a in rows])
        audit.update_many(rows, reminded_on=today)
    return created
