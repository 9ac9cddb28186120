"""Forms of the ``placement`` plugin (labels in Indonesian; translated in locale/en)."""
from core.toolkit import forms


class SubmissionForm(forms.Schema):
    applicant = forms.String(required=True, max_length=150, label="Nama pemohon")
    subject = forms.String(required=True, max_length=200, label="Perihal")
    request_date = forms.Date(required=True, label="Tanggal permohonan")
    notes = forms.Text(label="Keterangan")
