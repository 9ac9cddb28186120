"""The scheduler inside ``balai serve``: a daemon thread running due jobs each minute.

Slots are claimed in the database, so with several server processes each job
still runs once per slot.
"""
import logging
import threading
import time

from core import db

log = logging.getLogger("balai.scheduler")


def start(app, interval=60):
    def loop():
        while True:
            try:
                with app.activated(), db.connection():
                    from core.tracker import jobs
                    jobs.run_due(app)
            except Exception:
                log.exception("scheduled jobs failed")
            time.sleep(interval)
    thread = threading.Thread(target=loop, name="balai-jobs", daemon=True)
    thread.start()
    return thread
