"""Screens of the ``training`` plugin (programmes, batches, people, enrolments, attendance,
certificates, import/export), one module per concern."""
from plugins.training.routes import attendance, batches, certificates, people, programmes, registration


def register(router):
    for module in (programmes, batches, registration, attendance, certificates, people):
        module.register(router)
