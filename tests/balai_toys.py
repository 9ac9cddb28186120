"""Where the toy plugins of the core's tests live (enable them with ``plugin_dirs=TOYS``)."""
import os

TOYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toys")


def placement_letter(balai_app, balai_client):
    """The practice plugin (examples/balai-placement) with ``documents.view`` taken from every role, and one
    vacancy carried to step 3's letter by its officer: (app, the officer's client, the letter's /documents path)."""
    import re

    from core import db
    from core.identity import RolePermission
    from core.testing import complete_steps, make_enrolment
    app = balai_app("placement", plugin_dirs=os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "examples", "balai-placement"))
    with db.connection(), db.write():
        RolePermission.delete().where(RolePermission.permission == "documents.view").execute()
    clerk = balai_client(app, "pengantar_kerja")
    page = clerk.create("/placement/vacancies", {"company": "PT Ada", "position": "Juru las", "quota": 1,
                                                 "closes_on": "2099-12-31"})
    clerk.create("/placement/placements", {"vacancy": page.record_id, "enrolment": make_enrolment(status="graduated").id})
    complete_steps(clerk, page.run_id, 1, 2)
    assert f'action="/placement/vacancies/{page.record_id}/send"' in clerk.get(page.request.path).text
    page = clerk.follow(clerk.post(f"/placement/vacancies/{page.record_id}/send"))
    return app, clerk, re.search(r'href="(/documents/\d+)"', page.text).group(1)
