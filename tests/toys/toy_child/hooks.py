
from core.toolkit import MenuItem, hookimpl

RECEIVED = []


@hookimpl
def balai_menu():
    return [MenuItem("Anak", "/toy/hello", "toy.view", "Mainan", 20)]


@hookimpl
def balai_event(name, data):
    if name == "toy.saved" and data.get("explode"):
        raise RuntimeError("a failing subscriber")
    RECEIVED.append(name)
