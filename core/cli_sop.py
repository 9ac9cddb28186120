"""``balai sop``: list the SOP revisions, show one as text, import an SOP AP document as a draft."""
import json
import os

from core.cli_ops import build_app
from core.errors import Fail
from core.i18n import _


def cmd_sop(args):
    """SOP definitions: list (drafts marked), show one (every column), import a document as a draft."""
    import peewee
    from core import db
    from core.tracker import authoring, service, sop as sop_mod
    from core.tracker.models import SopRevision, SopStep
    app = build_app(args)
    app.startup()
    with db.connection():
        if args.sop_command == "import":
            return sop_import(app, args)
        if args.sop_command == "list":
            revs = list(SopRevision.select().order_by(SopRevision.code, SopRevision.id))
            counts = dict(SopStep.select(SopStep.revision, peewee.fn.COUNT(SopStep.id)).group_by(SopStep.revision).tuples())
            head = [_("KODE"), _("REVISI"), _("STATUS"), _("LANGKAH"), "PLUGIN", _("JUDUL")]
            print(f"{head[0]:<18} {head[1]:<10} {head[2]:<9} {head[3]:>5}  {head[4]:<18} {head[5]}")
            for code in sorted({r.code for r in revs}):
                try:
                    shown = [service.published_revision(code)]
                except service.StepError:
                    shown = []
                shown += [r for r in revs if r.code == code and r.status == "draft"]
                for rev in shown:
                    status = _("DRAF") if rev.status == "draft" else _("berlaku")
                    print(f"{code:<18} {rev.revision:<10} {status:<9} {counts.get(rev.id, 0):>5}  {rev.plugin:<18} {rev.title}")
            return 0
        rev = None
        if args.revision:
            rev = SopRevision.get_or_none((SopRevision.code == args.code) & (SopRevision.revision == args.revision))
        else:
            try:
                rev = service.published_revision(args.code)
            except service.StepError:   # not published yet: its latest draft
                rev = (SopRevision.select().where(SopRevision.code == args.code)
                       .order_by(SopRevision.id.desc()).first())
        if rev is None:
            raise Fail(f"unknown SOP {args.code} (see: balai sop list)")
        authoring.register_roles(app, json.loads(rev.header))
        print(sop_mod.as_text(rev, service.steps_of(rev), app.role_title))
        if rev.status == "draft":
            problems = authoring.blockers(rev)
            if problems:
                print("\n" + _("Masalah sebelum terbit:"))
                print("\n".join(f"  - {p}" for p in problems))
    return 0


def sop_import(app, args):
    """``balai sop import FILE``: the document becomes a draft revision; its problems are printed."""
    from core.context import SYSTEM, set_actor
    from core.tracker import authoring, sopimport
    if not os.path.isfile(args.file):
        raise Fail(f"no such file: {args.file}")
    with open(args.file, "rb") as fh:
        data = fh.read()
    set_actor(SYSTEM)
    try:
        parsed = sopimport.read_file(args.file, data)
        rev = sopimport.make_draft(app, parsed, code=args.code)
    except (sopimport.ImportRefused, authoring.AuthoringError) as exc:
        raise Fail(f"cannot import {args.file}: {exc}")
    problems = json.loads(rev.header).get("import_problems") or []
    print(_("draf {code} revisi {revision} dibuat: {steps} langkah, {problems} catatan impor", code=rev.code,
            revision=rev.revision, steps=len(list(rev.steps)), problems=len(problems)))
    for p in problems:
        print(f"  - {p}")
    print(_("periksa dan terbitkan di {path}", path=f"/admin/sop/{rev.code}/{rev.id}"))
    return 0
