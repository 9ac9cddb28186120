"""What every part of the tracker shares: the refusal type, the working calendar
and time conversions, and reading published revisions and their steps."""
import datetime
import time

from core import db
from core.context import current_app
from core.i18n import _
from core.tracker.models import CalendarException, SopRevision, SopStep
from core.tracker.workcal import TIMEZONES, TimeStandard, WorkCalendar, parse_time_standard

OPEN = ("ready", "paused")


class StepError(Exception):
    """A refusal the user can understand and act on."""


def app_of(app=None):
    """The app passed in, else the one this request, command or job runs in."""
    return app if app is not None else current_app()


# ---------------------------------------------------------------- calendar and time

_calendar_cache = {}


def calendar_for(app, refresh=False):
    """The institution's working calendar (exceptions re-read at most once a minute)."""
    key = (app.config["timezone"], app.config["office_hours"], db.database.obj.database)
    cached = _calendar_cache.get(key)
    if cached and not refresh and time.monotonic() - cached[0] < 60:
        return cached[1]
    start, _sep, end = app.config["office_hours"].partition("-")
    holidays_extra, workdays_extra = {}, set()
    for exc in CalendarException.select():
        if exc.working:
            workdays_extra.add(exc.day)
        else:
            holidays_extra[exc.day] = exc.name
    cal = WorkCalendar(app.config["timezone"], start.strip(), end.strip(), holidays_extra, workdays_extra)
    _calendar_cache[key] = (time.monotonic(), cal)
    return cal


def day_minutes(cal):
    return (cal._end - cal._start) // 60 if hasattr(cal, "_end") else 480


def aware(naive_utc):
    return naive_utc.replace(tzinfo=datetime.timezone.utc) if naive_utc is not None else None


def naive(aware_dt):
    return aware_dt.astimezone(datetime.timezone.utc).replace(tzinfo=None) if aware_dt is not None else None


def local_zone(app):
    import zoneinfo
    return zoneinfo.ZoneInfo(TIMEZONES.get(app.config["timezone"], app.config["timezone"]))


def local_today(app):
    return datetime.datetime.now(local_zone(app)).date()


def moment_utc(app, value):
    """A plugin's date or datetime → naive UTC; a date is the start of that local day."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value          # naive datetimes are UTC, as stored
        return naive(value)
    start = datetime.datetime.combine(value, datetime.time(), tzinfo=local_zone(app))
    return naive(start)


def standard_for(step, params):
    """The step's TimeStandard for this run ("JP" takes the run's lesson hours)."""
    text = step.time
    if text == "JP":
        jp = (params or {}).get("JP")
        return TimeStandard(int(jp), "JP", f"{int(jp)} JP") if jp else None
    return parse_time_standard(text)


# ---------------------------------------------------------------- published revisions

def published_revision(code, on=None):
    """The revision in force on a date: the published one with the latest effective date ≤ that day."""
    on = on or datetime.date.today()
    q = (SopRevision.select().where((SopRevision.code == code) & (SopRevision.status == "published")
                                    & (SopRevision.effective_from.is_null() | (SopRevision.effective_from <= on)))
         .order_by(SopRevision.effective_from.desc(nulls="last"), SopRevision.id.desc()))
    rev = q.first()
    if rev is None:   # nothing effective yet: the earliest published one
        rev = (SopRevision.select().where((SopRevision.code == code) & (SopRevision.status == "published"))
               .order_by(SopRevision.effective_from, SopRevision.id).first())
    if rev is None:
        raise StepError(_("SOP {code} tidak dikenal atau belum diterbitkan.", code=code))
    return rev


_published_steps = {}      # revision id → steps; safe to keep: a published revision never changes


def steps_of(revision, cached=False):
    """The steps of a revision in order; ``cached`` for a run's (published) revision."""
    rev_id = revision if isinstance(revision, int) else revision.id
    key = (db.database.obj.database, rev_id)       # the same id in another database is another revision
    if cached and key in _published_steps:
        return _published_steps[key]
    steps = list(SopStep.select().where(SopStep.revision == rev_id).order_by(SopStep.no))
    if cached:
        _published_steps[key] = steps
    return steps
