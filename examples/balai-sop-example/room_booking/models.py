"""Tables of the ``room_booking`` plugin. After a change: ``balai makemigration room_booking LABEL``."""
import peewee

from core.toolkit import BaseModel, utcnow

ROOMS = [("kelas", "Ruang kelas"), ("bengkel", "Bengkel / workshop"), ("lab_komputer", "Laboratorium komputer"),
         ("aula", "Aula")]


class Booking(BaseModel):
    """One request to borrow a room: it owns one run of SOP EX-PRP-01."""
    applicant = peewee.CharField(max_length=150)
    organisation = peewee.CharField(max_length=150)
    room = peewee.CharField(max_length=20)
    purpose = peewee.CharField(max_length=200, index=True)
    start_date = peewee.DateField()
    end_date = peewee.DateField()
    participants = peewee.IntegerField()
    handed_over_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "room_booking_booking"

    def __str__(self):
        return self.purpose


MODELS = [Booking]
