"""Work plan (steps 1–3: draft, approval, instruction) and the committee of the SK Panitia."""
import datetime

from core.toolkit import _, audit, current_app, db, local_today, tracker
from plugins.training.models import Batch
from plugins.training_delivery import budget, papers
from plugins.training_delivery.flow import CODE, SUBJECT, DeliveryError, at_step, complete
from plugins.training_delivery.models import Addressee, BudgetLine, CommitteeMember, WorkPlan


# ---------------------------------------------------------------- work plan (step 1, 2, 3)

def parse_addressees(text):
    """Lines "Kabupaten Lahat" or "Kabupaten Lahat | Kepala Dinas Tenaga Kerja" → [(name, position)]."""
    out, seen = [], set()
    for line in (text or "").splitlines():
        name, _sep, position = line.partition("|")
        name, position = name.strip()[:150], position.strip()[:255]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append((name, position))
    return out


def budget_lines_of(plan):
    return list(plan.budget_lines.order_by(BudgetLine.sort, BudgetLine.id))


def addressee_lines(plan):
    return "\n".join(a.name + (f" | {a.position}" if a.position else "")
                     for a in plan.addressees.order_by(Addressee.id))


def save_plan(data, addressees, user, plan=None, lines=None):
    """Create or change a work plan with its itemised budget (``lines``; the plan's amount is
    their total); a new one gets its training batch and its SOP run."""
    if lines is not None:
        data["budget_amount"] = budget.total(lines)
    if not addressees:
        raise DeliveryError(_("Isi minimal satu Kabupaten/Kota yang diundang."))
    if data["end_date"] < data["start_date"]:
        raise DeliveryError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    batch_id = data.pop("batch", None)
    with db.write():
        if plan is not None:
            at_step(plan, 1)
        batch = Batch.get_by_id(batch_id) if batch_id else (plan.batch if plan is not None and plan.batch_id else None)
        batch_fields = dict(start_date=data["start_date"], end_date=data["end_date"], venue=data["venue"],
                            quota=data["quota"])
        if batch is None:
            today = local_today()
            batch = audit.create(Batch, programme=data["programme"], name=data["activity"][:120],
                                 reg_opens=min(today, data["start_date"]),
                                 reg_closes=max(min(today, data["start_date"]), data["start_date"] - datetime.timedelta(days=1)),
                                 funding="APBD", status="planned", **batch_fields)
        elif batch.status == "planned":
            audit.update(batch, **batch_fields)
        if plan is None:
            plan = audit.create(WorkPlan, batch=batch, created_by=user.id, **data)
            tracker.start_run(CODE, SUBJECT, plan.id, _("Rencana kerja: {a}", a=plan.activity)[:255],
                              {"work_plan": plan.id})
        else:
            audit.update(plan, batch=batch, **data)
        if lines is not None:
            for old in plan.budget_lines:
                audit.delete(old)
            for i, line in enumerate(lines, 1):
                audit.create(BudgetLine, work_plan=plan, sort=i, **line)
        existing = {a.name.lower(): a for a in plan.addressees}
        wanted = {name.lower() for name, _p in addressees}
        for key, a in existing.items():
            if key not in wanted:
                audit.delete(a)
        for name, position in addressees:
            a = existing.get(name.lower())
            if a is None:
                audit.create(Addressee, work_plan=plan, name=name, position=position)
            elif a.position != position:
                audit.update(a, position=position)
    return plan


def submit_plan(plan, user):
    with db.write():
        complete(plan, 1, user, notes=_("Rencana kerja diajukan untuk persetujuan."),
                  links=[(_("Rencana kerja"), f"/delivery/plans/{plan.id}")])
        audit.update(plan, status="submitted")


def approve_plan(plan, user, notes=""):
    with db.write():
        plan = db.lock(WorkPlan, plan.id)        # one decision on a plan at a time
        complete(plan, 2, user, notes=notes or _("Rencana kerja disetujui."))
        audit.update(plan, status="approved", return_reason="")
        papers.issue_plan(current_app(), plan, user)


def return_plan(plan, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError(_("Alasan pengembalian wajib diisi."))
    with db.write():
        plan = db.lock(WorkPlan, plan.id)
        run = at_step(plan, 2)
        tracker.return_to(run, user, 1, reason)
        audit.update(plan, status="returned", return_reason=reason[:5000])


def instruct(plan, user, note):
    note = (note or "").strip() or _("Susun konsep surat undangan, surat pengantar dan Keputusan Panitia.")
    with db.write():
        complete(plan, 3, user, notes=note)
        audit.update(plan, instruction_note=note[:5000])


# ---------------------------------------------------------------- committee (SK Panitia)

def add_member(plan, data):
    with db.write():
        at_step(plan, 1, 2, 3, 4)
        last = plan.members.count()
        return audit.create(CommitteeMember, work_plan=plan, sort=last + 1,
                            **{k: (v or "") for k, v in data.items()})


def remove_member(member):
    with db.write():
        at_step(member.work_plan, 1, 2, 3, 4)
        audit.delete(member)


def members_of(plan):
    return list(plan.members.order_by(CommitteeMember.sort, CommitteeMember.id))

