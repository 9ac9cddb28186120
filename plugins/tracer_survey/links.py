"""The alumni's personal survey links, on the core's public links (``toolkit.public_links``):
one link per alumnus on a wave's roster. It can be answered while the wave is open and
corrected until the wave closes; the core audits every answer, locks the link while it
is answered and rate-limits unknown tokens per client address."""
import datetime

from core.toolkit import _, audit, current_app, db, institution_timezone, local_today, public_links
from plugins.tracer_survey.config import wave_state
from plugins.tracer_survey.models import Alumnus, Wave
from plugins.training.models import Batch, Programme

PURPOSE = "tracer_survey.answer"


def close_time(wave, app=None):
    """When the wave stops taking answers, as stored (naive UTC): the end of its last day at
    the office, or earlier when the officer closed it early."""
    tz = institution_timezone(app or current_app())
    end = datetime.datetime.combine(wave.closes_on + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=tz)
    end = end.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return min(end, wave.closed_at) if wave.closed_at is not None else end


def create(alumnus, wave, app=None):
    """The alumnus's link for ``wave``: answerable until the wave closes, correctable as long."""
    until = close_time(wave, app)
    return public_links.create(PURPOSE, alumnus, expires_at=until, correctable_until=until,
                               recipient_name=alumnus.name, recipient_phone=alumnus.phone or "")


def sync(wave, app=None):
    """Give the wave's links its close time again (after closing, extending or reopening it); audited.
    Returns how many links changed."""
    until = close_time(wave, app)
    changed = 0
    with db.write():
        for link in public_links.PublicLink.select().where(
                (public_links.PublicLink.purpose == PURPOSE)
                & (public_links.PublicLink.subject_type == Alumnus.audit_type())
                & public_links.PublicLink.subject_id.in_(
                    [str(i) for (i,) in Alumnus.select(Alumnus.id).where(Alumnus.wave == wave).tuples()] or ["-"])
                & public_links.PublicLink.revoked_at.is_null()):
            if link.expires_at != until or link.correctable_until != until:
                audit.update(link, expires_at=until, correctable_until=until)
                changed += 1
    return changed


def tokens_of(alumni):
    """{alumnus id: the token of their link} in one query."""
    found = public_links.for_subjects(PURPOSE, Alumnus.audit_type(), [a.id for a in alumni])
    return {int(k): link.token for k, link in found.items()}


def with_tokens(alumni):
    """The alumni, each with ``.token`` (its link's token, "" when it has none)."""
    tokens = tokens_of(alumni)
    for a in alumni:
        a.token = tokens.get(a.id, "")
    return alumni


def token_of(alumnus):
    return tokens_of([alumnus]).get(alumnus.id, "")


def alumnus_of(token, client=None):
    """(alumnus with wave, batch and programme, link) of a survey token, or (None, None).

    Raises ``public_links.LinkError`` (state ``limited``) when the client must wait."""
    link = public_links.find(token, PURPOSE, client)
    if link is None or link.subject_type != Alumnus.audit_type():
        return None, None
    alumnus = (Alumnus.select(Alumnus, Wave, Batch, Programme).join(Wave).join(Batch).join(Programme)
               .where(Alumnus.id == int(link.subject_id)).first())
    return (alumnus, link) if alumnus is not None else (None, None)


def closed_reason(alumnus, app=None):
    """None while the alumnus's wave takes answers, else (state, message): ``upcoming`` or ``closed``."""
    state = wave_state(Wave.get_by_id(alumnus.wave_id), local_today(app or current_app()))
    if state == "upcoming":
        return "upcoming", _("Survei ini belum dibuka.")
    if state == "closed":
        return "closed", _("Pengisian survei ini sudah ditutup.")
    return None


def record_answer(alumnus, data, app=None):
    """The alumnus's answer, inside the link's lock (the survey page's ``on_answer``): the wave's state is
    checked again here, so an answer sent as the wave closes is refused (``public_links.LinkError``) and
    leaves nothing behind. Returns (response, created)."""
    from plugins.tracer_survey.answers import save_answer
    reason = closed_reason(alumnus, app)
    if reason is not None:
        raise public_links.LinkError(reason[1], reason[0])
    return save_answer(alumnus, data, source="form")


def answer(token, alumnus, data, client=None, app=None):
    """Record the answer sent through the link, then the alumnus's response (without the page);
    returns (response, created)."""
    from plugins.tracer_survey.answers import clean_for_link
    saved = []
    with db.write():
        public_links.answer(token, clean_for_link(data), purpose=PURPOSE, client=client,
                            check=lambda link: saved.append(record_answer(alumnus, data, app)))
    return saved[0]
