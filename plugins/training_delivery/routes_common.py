"""What the screens of ``training_delivery`` share: the plan, its run and papers, button actions."""
from core.toolkit import run_action, tracker, web
from plugins.training.models import Programme
from plugins.training_delivery import letters as lt, papers, service
from plugins.training_delivery.models import WorkPlan


P = "training_delivery."
ERRORS = (service.DeliveryError, tracker.StepError, lt.TemplateProblem)


def get_plan(plan_id):
    plan = WorkPlan.select(WorkPlan, Programme).join(Programme).where(WorkPlan.id == plan_id).first()
    if plan is None:
        raise web.NotFound()
    return plan


def act(back, fn, message=None):
    return run_action(fn, back, message, ERRORS)


def paper_links(plan):
    """The plan's valid papers by kind (plan, meeting, report)."""
    found = papers.current(plan)
    return {"plan": found.get(papers.PLAN), "meeting": found.get(papers.MEETING), "report": found.get(papers.REPORT)}


def plan_context(plan):
    run = service.run_of(plan)
    items = tracker.timeline(run) if run else []
    returns = [rs for rs in items if rs.status == "returned"]
    return {"plan": plan, "run": run, "items": items, "step": run.current_no if run and run.status == "active" else None,
            "last_return": returns[-1] if returns else None}

