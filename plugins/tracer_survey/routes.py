"""Screens of the tracer survey, as modules by concern:

- ``routes_waves``   waves, a wave's page and roster, imports of rosters and answers
- ``routes_contact`` vacancy board, vacancies shared, contacting alumni (wa.me, WA-blast CSV, log)
- ``routes_recap``   data collected, recap, SMILe export
- ``routes_survey``  the batch's survey as a whole: closing/extending/reopening a wave, SMILe report, paper
- ``routes_public``  the alumni's survey form at /survey/<token>

Which action completes which step of KDI-PM-09 (the batch's ONE run; a wave's
screen acts on it): 1 roster confirmed · 2 "lowongan terhimpun" (or the first
share) · 3 vacancies shared with the wave's alumni · 4 invitations logged ·
5 reminders logged · 6 the batch's last wave closed · 7 answers marked collected
or imported · 8 recap confirmed · 9 reported to SMILe with its reference.
"""
from core.toolkit import _, tracker, web
from plugins.tracer_survey import service


def wave_or_404(wave_id):
    wave = service.get_wave(wave_id)
    if wave is None:
        raise web.NotFound(_("Gelombang survei tidak ditemukan."))
    return wave


def step_action(wave, no, notes="", links=()):
    """Complete step ``no`` from a screen; tell the user what happened. Returns True when done."""
    try:
        why_not = service.complete_step(wave, web.user(), no, notes=notes, links=links)
    except tracker.StepError as exc:
        web.flash(str(exc), "error")
        return False
    if why_not:
        web.flash(why_not, "info")
        return False
    web.flash(_("Langkah {no} SOP KDI/PM/09 dicatat selesai.", no=no))
    return True


def step_if_open(wave, no, notes="", links=()):
    """Complete step ``no`` only when the run waits there (an action that also serves later waves)."""
    run = service.run_of(wave)
    if run is not None and run.status == "active" and run.current_no == no:
        return step_action(wave, no, notes=notes, links=links)
    return False


def int_query(name):
    value = web.query(name)
    return int(value) if value.isdigit() else None


def register(router):
    from plugins.tracer_survey import routes_contact, routes_public, routes_recap, routes_survey, routes_waves
    routes_waves.register(router)
    routes_contact.register(router)
    routes_recap.register(router)
    routes_survey.register(router)
    routes_public.register(router)
