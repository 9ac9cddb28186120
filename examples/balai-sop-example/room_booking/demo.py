"""Demo data of the ``room_booking`` plugin: two bookings, one waiting for approval. Idempotent."""
import datetime

from core.toolkit import audit, db
from room_booking.models import Booking
from room_booking.routes import start_run


def load(app):
    if Booking.select().exists():
        return []
    today = datetime.date.today()
    with db.write():
        for applicant, org, room, purpose, days, people in [
                ("Rahmat Hidayat", "Dinas Koperasi dan UKM", "aula", "Sosialisasi KUR", 7, 80),
                ("Intan Permata", "LPK Mitra Kerja", "lab_komputer", "Uji kompetensi operator komputer", 14, 20)]:
            obj = audit.create(Booking, applicant=applicant, organisation=org, room=room, purpose=purpose,
                               start_date=today + datetime.timedelta(days=days),
                               end_date=today + datetime.timedelta(days=days + 1), participants=people)
            start_run(obj, True)
    return ["2 peminjaman ruang dengan run SOP EX-PRP-01"]
