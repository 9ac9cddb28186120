"""A first walk through the core with the toy plugins."""
from balai_toys import TOYS


def test_login_and_pages(balai_app, balai_client):
    app = balai_app("toy_child", plugin_dirs=TOYS)
    admin = balai_client(app, "admin")
    for url in ["/tasks", "/sop", "/sop/TOY-1", "/compliance", "/admin/users", "/admin/permissions",
                "/admin/audit", "/admin/calendar", "/toy/gadgets", "/toy/hello", "/runs", "/notifications",
                "/admin/why?user=admin&permission=toy.view", "/sop/TOY-1/monitoring", "/admin/sop/TOY-1"]:
        res = admin.get(url)
        assert res.status_int == 200, url
    assert "child-extra" in admin.get("/toy/hello").text
