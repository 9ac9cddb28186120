"""Clubs list their members; a member is added from its club (prefilled), its mentor chosen among
the members of the same club only (``forms.Related(..., depends_on="club")``)."""
import os

from core.toolkit import Column, Permission, Refusal, Role, Screen, forms, format_date, hookimpl
from toy_family.models import Club, Member

HERE = os.path.dirname(__file__)


class ClubForm(forms.Schema):
    name = forms.String(required=True, max_length=60, label="Nama klub")
    founded = forms.PastDate(required=True, label="Tanggal berdiri")


def club_options():
    return [(c.id, c.name) for c in Club.select().order_by(Club.name)]


def members_of(club_id):
    return [(m.id, m.name) for m in Member.select().where(Member.club == club_id).order_by(Member.name)]


class MemberForm(forms.Schema):
    club = forms.Related(club_options, required=True, label="Klub")
    name = forms.String(required=True, max_length=60, label="Nama anggota")
    joined = forms.Date(required=True, label="Tanggal bergabung")
    mentor = forms.Related(members_of, depends_on="club", label="Mentor")


def refuse_joining_before_founding(member, created):
    if member.joined < member.club.founded:
        raise Refusal("Tanggal bergabung sebelum klub berdiri.", field="joined")


MEMBERS = Screen(
    Member, MemberForm, base="/toy/members", view="toy_family.view", edit="toy_family.edit", title="Anggota",
    columns=[Column("name", "Nama anggota", link=True), Column("club.name", "Klub"),
             Column("joined", "Tanggal bergabung", format=format_date)],
    query=lambda: Member.select(Member, Club).join(Club),
    order=[Member.name], after_save=refuse_joining_before_founding)
CLUBS = Screen(
    Club, ClubForm, base="/toy/clubs", view="toy_family.view", edit="toy_family.edit", title="Klub",
    columns=[Column("name", "Nama klub", link=True)], children=[("Anggota", MEMBERS, "club")])


@hookimpl
def balai_models():
    return [Club, Member]


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_permissions():
    return [Permission("toy_family.view", "Lihat klub", ("toy_member",)),
            Permission("toy_family.edit", "Ubah klub", ("toy_member",))]


@hookimpl
def balai_roles():
    return [Role("toy_member", "Pengurus klub")]


@hookimpl
def balai_routes(router):
    CLUBS.register(router)
    MEMBERS.register(router)

