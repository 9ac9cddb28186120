"""The JSON API at ``/api/v1``: the generic screens, the step tracker and plugin
endpoints, with per-user tokens, OpenAPI 3.1 and problem details. See docs/api.md.

- ``router``   — ``ApiRouter`` (routes, schemas), the request pipeline, ``Dispatcher``
- ``tokens``   — ``ApiToken``, create / find / revoke, the per-token rate limit
- ``problems`` — ``ApiError`` → ``application/problem+json`` (RFC 9457)
- ``screens``  — list / detail / create / update of every ``core.views.Screen``
- ``tracker``  — my tasks, a run with its steps, complete / return / pause / resume
- ``documents`` — the archive of issued documents, a PDF, verification by QR token
- ``openapi``  — the OpenAPI document (apispec) and its reference page
- ``account``  — the token screen of the account page and ``balai api-token``

A plugin adds endpoints by implementing ``balai_api_routes(router, app)``
(docs/plugin-hooks.md); the core's own endpoints are registered the same way.
"""
from core.api.problems import ApiError
from core.api.router import Api, ApiRouter, Dispatcher, File, Param, body, int_query, jsonable, query, user

__all__ = ["Api", "ApiError", "ApiRouter", "Dispatcher", "File", "Param", "body", "collect", "int_query",
           "jsonable", "query", "user"]


def collect(app):
    """The API router of an app: each plugin's ``balai_api_routes`` on a router bound to its name."""
    router = ApiRouter()
    impls = {impl.plugin_name: impl for impl in app.plugins.pm.hook.balai_api_routes.get_hookimpls()}
    for plugin in app.plugins:
        if plugin.name in impls:
            impls[plugin.name].function(router=router.for_plugin(plugin.name), app=app)
    return router


def register_core(router, app):
    """The core's endpoints: the OpenAPI document, its reference page, the screens, the tracker, documents."""
    from core.api import documents, openapi, screens, tracker
    from core.i18n import lazy

    def spec():
        from core import i18n
        cache = app.api.spec_cache           # one document per language (summaries are translated)
        if i18n.language() not in cache:
            cache[i18n.language()] = openapi.build_spec(app, app.api.router)
        return cache[i18n.language()]

    @router.get("/openapi.json", public=True, summary=lazy("Dokumen OpenAPI 3.1 API ini"), tags=("API",))
    def openapi_document():
        return spec()

    @router.get("/docs", public=True, summary=lazy("Referensi API (halaman HTML)"), tags=("API",), html=True,
                produces="text/html")
    def reference():
        return openapi.reference_page(app, spec())

    screens.register(router, app)
    tracker.register(router, app)
    documents.register(router, app)

