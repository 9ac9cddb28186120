"""Screens of the ``training`` plugin (programmes, batches, people, enrolments, attendance,
certificates, import/export), one module per concern."""
from plugins.training import (routes_attendance, routes_batches, routes_certificates, routes_people, routes_programmes, routes_registration)


def register(router):
    for module in (routes_programmes, routes_batches, routes_registration, routes_attendance, routes_certificates, routes_people):
        module.register(router)
