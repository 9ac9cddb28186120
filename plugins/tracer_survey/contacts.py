"""Phones, personal survey links, WhatsApp messages, and the logs of contacts and
vacancies shared (steps 2–5)."""
from core.toolkit import _, audit, db, whatsapp
from plugins.tracer_survey.models import Contact, Vacancy, VacancyShare


# ---------------------------------------------------------------- phones and links

def normalize_phone(raw):
    """An Indonesian mobile number as WhatsApp wants it (62…); returns (number, problem). See core.whatsapp."""
    return whatsapp.check_phone(raw)


def base_url(app, request=None):
    configured = (app.config["base_url"] or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        parts = request.urlparts
        return f"{parts.scheme}://{parts.netloc}"
    return ""


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def base_url_problem(app):
    """Why the survey links sent to alumni may not work on their phones, or None.

    Without ``base_url`` a link takes the address the clerk browsed with, which is
    127.0.0.1 when they work on the server itself: the alumnus's phone cannot open it."""
    import urllib.parse
    configured = (app.config["base_url"] or "").strip()
    if not configured:
        return _("base_url belum diatur: tautan survei memakai alamat yang sedang Anda buka, yang mungkin "
                 "tidak dapat dibuka dari ponsel alumni.")
    host = (urllib.parse.urlsplit(configured).hostname or "").lower()
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        return _("base_url menunjuk ke alamat lokal ({u}): tautan survei tidak dapat dibuka dari ponsel alumni.",
                 u=configured)
    return None


def survey_link(base, token):
    return f"{base}/survey/{token}"


def wa_message(alumnus, wave, link, kind, institution):
    batch = wave.batch
    if kind == "reminder":
        text = _("Halo {name}, ini pengingat dari {inst}: mohon isi survei kebekerjaan alumni pelatihan {prog} "
                 "({batch}) paling lambat {close}. Tautan pribadi Anda: {link} Terima kasih.",
                 name=alumnus.name, inst=institution, prog=batch.programme.title, batch=batch.name,
                 close=wave.closes_on.strftime("%d-%m-%Y"), link=link)
    else:
        text = _("Halo {name}, salam dari {inst}. Sebagai alumni pelatihan {prog} ({batch}), mohon bantu "
                 "mengisi survei kebekerjaan {n} bulan setelah pelatihan (2 menit, tanpa akun). Tautan pribadi "
                 "Anda: {link} Survei dibuka sampai {close}. Terima kasih.",
                 name=alumnus.name, inst=institution, prog=batch.programme.title, batch=batch.name,
                 n=wave.months, close=wave.closes_on.strftime("%d-%m-%Y"), link=link)
    return text


def contact_rows(wave, alumni, base, kind, institution):
    """Per alumnus: normalised phone (or problem), personal link, message, wa.me link."""
    out = []
    for a in alumni:
        phone, problem = normalize_phone(a.phone)
        link = survey_link(base, a.token)
        message = wa_message(a, wave, link, kind, institution)
        out.append({"alumnus": a, "phone": phone, "problem": problem, "link": link, "message": message,
                    "wa": whatsapp.wa_link(phone, message) if phone else None})
    return out


# ---------------------------------------------------------------- logs

def log_contacts(alumni, kind, channel, note, user):
    with db.write():
        for a in alumni:
            audit.create(Contact, alumnus=a, kind=kind, channel=channel, note=note or "",
                         by_user=getattr(user, "id", None), by_name=getattr(user, "full_name", "") or "")
    return len(alumni)


def share_vacancies(vacancies, alumni, channel, user):
    with db.write():
        for v in vacancies:
            for a in alumni:
                audit.create(VacancyShare, vacancy=v, alumnus=a, channel=channel, shared_by=getattr(user, "id", None),
                             shared_by_name=getattr(user, "full_name", "") or "")
    return len(vacancies) * len(alumni)


def open_vacancies(today):
    return list(Vacancy.select().where(Vacancy.closes_on.is_null() | (Vacancy.closes_on >= today))
                .order_by(Vacancy.closes_on.asc(nulls="last"), Vacancy.id.desc()))
