"""The one shape of a form POST and of a button in Balai: ``submit_form`` (a form: validate, act, re-show
with its errors at 422 or redirect), ``run_action`` (a button: one savepoint, a refusal flashed), the
``Refusal`` a business rule raises, and ``get_or_404``. Generic screens (core/views.py) use them too."""
from core import db, forms, web


class Refusal(Exception):
    """A business rule refusing what the user asked, with a message for them; ``field`` names the
    form field it concerns (else it is shown above the form). ``submit_form`` and ``run_action``
    always catch it, besides the ``refusals`` they are given."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.field = field


def submit_form(schema, action, rerender, *, message, to, refusals=(), form=None):
    """The one shape of a form POST in Balai.

    Validate the submitted form with ``schema``; call ``action(data)``. A field
    error, or a business refusal (an exception listed in ``refusals``) shown
    next to its ``field`` or above the form, re-renders it through ``rerender(values, errors)`` with
    status 422 — so nothing written in this request is kept. On success flash
    ``message`` and redirect to ``to`` (each a value, or a function of action's result).
    ``form`` is the submitted form when the caller read it already (e.g. to pick the schema).

        return submit_form(MeetingForm(), lambda data: service.save_meeting(plan, data, web.user()),
                           lambda values, errors: meeting_form(plan, values, errors),
                           message=_("Hasil rapat tersimpan."), to=f"/delivery/plans/{plan.id}",
                           refusals=(service.DeliveryError,))
    """
    raw = web.form() if form is None else form
    data, errors = forms.validate(schema, raw)
    result = None
    if not errors:
        try:
            result = action(data)
        except (Refusal, *refusals) as exc:
            # A refusal may name the field it concerns (``exc.field``); else it goes above the form.
            errors = {getattr(exc, "field", None) or "_form": str(exc)}
    if errors:
        web.response.status = 422
        return rerender(raw, errors)
    web.flash(message(result) if callable(message) else message)
    web.redirect(to(result) if callable(to) else to)


def get_or_404(model, obj_id, query=None):
    """The record with this id (from ``query`` when given, e.g. with joins), or the 404 page."""
    obj = (query if query is not None else model.select()).where(model.id == obj_id).first()
    if obj is None:
        raise web.NotFound()
    return obj


def run_action(fn, back, message=None, refusals=(), to=None):
    """Run one change a user asked for (a button) in a savepoint, then go back to ``back``.

    A refusal (an exception listed in ``refusals``) undoes everything ``fn``
    wrote, is flashed as an error and goes back to ``back``; success flashes
    ``message`` and goes to ``to`` (default ``back``). ``message`` and ``to`` may be
    functions of ``fn``'s result (``to=lambda doc: f"/documents/{doc.id}"``).
    """
    try:
        with db.write():
            result = fn()
    except (Refusal, *refusals) as exc:
        web.flash(str(exc), "error")
        web.redirect(back)
    message = message(result) if callable(message) else message
    if message:
        web.flash(message)
    to = back if to is None else to
    web.redirect(to(result) if callable(to) else to)
