"""Screens of ``training_delivery`` under /delivery/, one module per stage of the SOP."""
from plugins.training_delivery.routes import letters, plans, replies, report


def register(router):
    for module in (plans, letters, replies, report):
        module.register(router)
