"""Screens of ``training_delivery`` under /delivery/, one module per stage of the SOP."""
from plugins.training_delivery import routes_letters, routes_plans, routes_replies, routes_report


def register(router):
    for module in (routes_plans, routes_letters, routes_replies, routes_report):
        module.register(router)
