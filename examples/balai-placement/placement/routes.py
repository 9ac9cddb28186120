"""Screens of the ``placement`` plugin: list, detail and form of submissions.

Saving a new submission starts its run of SOP PTK-01; the detail page
shows the run, whose steps are done on the run page ``/runs/<id>``.
"""
from core.toolkit import Column, Screen, format_date, lazy, tracker

from placement.models import Submission
from placement.schemas import SubmissionForm
from placement.sop import CODE

BASE = "/placement/submissions"


def start_run(obj, created):
    """A new submission starts its SOP run (step 1 waits in the officer's inbox)."""
    if created:
        tracker.start_run(CODE, Submission.audit_type(), obj.id, f"Penempatan Tenaga Kerja: {obj.subject}")


def run_of(obj):
    """Extra values for the detail page: the submission's run and its steps."""
    run = tracker.run_for(Submission.audit_type(), obj.id, CODE)
    return {"run": run, "items": tracker.timeline(run) if run else []}


SCREEN = Screen(
    Submission, SubmissionForm, base=BASE, view="placement.view", edit="placement.manage",
    title=lazy("Permohonan"),
    columns=[Column("subject", lazy("Perihal"), link=True), Column("applicant", lazy("Nama pemohon")),
             Column("request_date", lazy("Tanggal permohonan"), format=format_date)],
    search=[Submission.subject, Submission.applicant],
    order=[Submission.id.desc()],
    template="placement/submission",  # templates/placement/submission/detail.html overrides the generic page
    label=str, after_save=start_run, detail_extra=run_of,
)


def register(router):
    SCREEN.register(router)
