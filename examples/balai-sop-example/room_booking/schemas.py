"""Forms of the ``room_booking`` plugin."""
from marshmallow import ValidationError, validates_schema

from core.toolkit import forms
from room_booking.models import ROOMS


class BookingForm(forms.Schema):
    applicant = forms.String(required=True, max_length=150, label="Nama pemohon")
    organisation = forms.String(required=True, max_length=150, label="Instansi / unit")
    room = forms.Choice(ROOMS, required=True, label="Ruang")
    purpose = forms.String(required=True, max_length=200, label="Keperluan")
    start_date = forms.Date(required=True, label="Tanggal mulai")
    end_date = forms.Date(required=True, label="Tanggal selesai")
    participants = forms.Integer(required=True, validate=forms.Range(min=1, max=500), label="Jumlah peserta")

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.", "end_date")
