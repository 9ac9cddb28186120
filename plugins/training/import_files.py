"""Registrant files between upload and confirmation: kept server-side by content hash (the
preview's form carries only the key), removed once imported or after a day."""
import hashlib
import os
import re
import time

from core.toolkit import current_app

FOLDER = "training-import"
KEY = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")


def folder():
    return os.path.join(current_app().config["upload_dir"], FOLDER)


def store(data, ext):
    """Keep ``data`` until the user confirms; its key (sha256 + extension)."""
    key = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    os.makedirs(folder(), exist_ok=True)
    forget_stale()
    path = os.path.join(folder(), key)
    if not os.path.exists(path):
        with open(path + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(path + ".tmp", path)
    return key


def load(key):
    """The stored bytes of ``key``, or None (unknown, malformed or already removed)."""
    if not KEY.match(key or ""):
        return None
    path = os.path.join(folder(), key)
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as fh:
        return fh.read()


def remove(key):
    if KEY.match(key or ""):
        try:
            os.remove(os.path.join(folder(), key))
        except OSError:
            pass


def forget_stale(hours=24):
    """Files uploaded but never confirmed are removed after a day."""
    limit = time.time() - hours * 3600
    for name in os.listdir(folder()):
        path = os.path.join(folder(), name)
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
        except OSError:
            pass
