"""Values normalised one way (core.values): a NIK, phone number, line of text or amount of
money typed in a form is stored exactly as the same value read from a spreadsheet."""
import decimal

import pytest

from core import forms, i18n, values
from plugins.training import importer as imp

D = decimal.Decimal


@pytest.fixture(autouse=True)
def indonesian():
    """Parsing follows the user's language: these tests speak Indonesian unless they say otherwise."""
    i18n.set_language("id")
    yield
    i18n.set_language("id")


# ---------------------------------------------------------------- money

@pytest.mark.parametrize("written, amount", [
    ("1.250", D("1250")),                      # the bug of issue 25: was read as 1,25
    ("650.000", D("650000")),
    ("Rp 650.000,00", D("650000.00")),
    ("Rp. 1.250.000,-", D("1250000")),
    ("IDR 5.000", D("5000")),
    ("1.250.000,50", D("1250000.50")),
    ("12,5", D("12.5")),
    ("  2 500 000 ", D("2500000")),
    (1250, D("1250")),                         # an XLSX number cell
    (12.5, D("12.5")),
])
def test_money_is_read_as_an_indonesian_writes_it(written, amount):
    """Babel's Indonesian number parsing: '.' groups thousands, ',' starts the cents."""
    assert values.money(written) == amount


@pytest.mark.parametrize("written", ["1.25", "abc", "", "1,250.50", "Rp"])
def test_ambiguous_or_broken_money_is_refused_not_guessed(written):
    """'1.25' could be 125 or 1,25: refused with an example of the right form."""
    with pytest.raises(values.ValueProblem, match="contoh"):
        values.money(written)


def test_english_users_write_numbers_the_english_way():
    """With the interface in English, '1,250.50' is 1250.50 (numbers follow the language shown)."""
    i18n.set_language("en")
    assert values.money("Rp 1,250.50") == D("1250.50")
    assert values.number("12.5") == D("12.5")


def test_money_field_and_importer_agree_on_1250():
    """The form field and the import parser store '1.250' and 'Rp 650.000,00' the same."""
    class F(forms.Schema):
        amount = forms.Money(required=True)
    for written, amount in (("1.250", D("1250")), ("Rp 650.000,00", D("650000"))):
        data, errors = forms.validate(F(), {"amount": written})
        assert errors == {} and data["amount"] == amount
        assert imp.money(written) == amount
    data, errors = forms.validate(F(), {"amount": "1.25"})
    assert data is None and "contoh" in errors["amount"]
    with pytest.raises(imp.RowError):
        imp.money("1.25")


def test_decimal_field_reads_the_users_language():
    """A score '85,5' is 85.5 in Indonesian; '1.250' is 1250 (never 1,25)."""
    class F(forms.Schema):
        score = forms.Decimal()
    assert forms.validate(F(), {"score": "85,5"})[0]["score"] == D("85.5")
    assert forms.validate(F(), {"score": "1.250"})[0]["score"] == D("1250")


# ---------------------------------------------------------------- phone numbers

@pytest.mark.parametrize("written, stored", [
    ("081234567890", "+6281234567890"),
    ("0812-3456-7890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("812 3456 7890", "+6281234567890"),       # a spreadsheet dropped the zero
    (81234567890, "+6281234567890"),           # an XLSX number cell
    ("'081234567890", "+6281234567890"),       # a spreadsheet's text marker
    ("(0401) 312190", "+62401312190"),         # a landline in Kendari
    ("+65 6123 4567", "+6561234567"),          # a partner abroad keeps its country code
])
def test_one_number_is_stored_one_way(written, stored):
    """Every spelling of the same number is stored in E.164."""
    assert values.phone(written) == stored


@pytest.mark.parametrize("written", ["12345", "0812", "+62 0812 3456", "0812-ABC-7890", "08123456789012345"])
def test_a_broken_phone_number_is_refused(written):
    """Too short, too long, letters, or a zero after +62: refused with an example, never stored."""
    with pytest.raises(values.ValueProblem, match="Nomor telepon tidak valid"):
        values.phone(written)


def test_phone_shown_readable_and_linked_to_whatsapp_only_when_mobile():
    """Stored +62… is shown 0812-…; only Indonesian mobiles get a WhatsApp number."""
    assert values.format_phone("+6281234567890") == "0812-3456-7890"
    assert values.format_phone("+62401312190") == "0401312190"
    assert values.format_phone("") == ""
    assert values.whatsapp("+6281234567890") == "6281234567890"
    assert values.whatsapp("+62401312190") is None


def test_phone_field_and_importer_agree():
    """The form's phone field and the import parser store the same number the same way."""
    class F(forms.Schema):
        phone = forms.Phone()
    for written in ("0812 3456 7890", "+62-812-3456-7890", "8123456789"):
        data, errors = forms.validate(F(), {"phone": written})
        assert errors == {} and data["phone"] == imp.phone(written) == values.phone(written)
    data, errors = forms.validate(F(), {"phone": "0812"})
    assert "phone" in errors


# ---------------------------------------------------------------- NIK and text

def test_nik_keeps_its_digits_and_refuses_a_float_that_lost_them():
    """Spaces, dots and dashes go; a NIK an XLSX stored as a float beyond 2**53 is refused
    (its last digits are already wrong), instead of being saved wrong."""
    assert values.nik(" 7471.0101-0190 0001 ") == "7471010101900001"
    assert values.digits("'0071010101900001", 16) == "0071010101900001"    # leading zeros kept
    with pytest.raises(values.ValueProblem, match="kode provinsi"):            # a NIK starts with a province code
        values.nik("0071010101900001")
    assert values.nik(7471010101900001) == "7471010101900001"
    with pytest.raises(values.ValueProblem, match="teks"):
        values.nik(9471010101900001.0)
    with pytest.raises(values.ValueProblem, match="NIK harus 16 digit"):
        values.nik("747101010190")
    class F(forms.Schema):
        nik = forms.Nik(required=True)
    assert forms.validate(F(), {"nik": "7471 0101 0190 0001"})[0]["nik"] == imp.nik("7471.0101.0190.0001")


def test_text_is_stripped_and_collapsed_the_same_in_forms_and_imports():
    """One line: runs of whitespace become one space; several lines keep their line breaks."""
    class F(forms.Schema):
        name = forms.String()
        notes = forms.Text()
    data, _errors = forms.validate(F(), {"name": "  Wa Ode \t  Sari ", "notes": " baris satu  \r\n\r\nbaris dua \r\n"})
    assert data == {"name": "Wa Ode Sari", "notes": "baris satu\n\nbaris dua"}
    assert imp.text(150)("  Wa Ode \t  Sari ") == "Wa Ode Sari"


def test_a_field_takes_one_validator_or_a_list():
    """``validate=`` as marshmallow takes it: one validator or a list, on text and on a done thing's date."""
    import datetime

    class Form(forms.Schema):
        code = forms.String(validate=forms.Length(min=3), label="Kode")
        codes = forms.String(validate=[forms.Length(min=3)], label="Kode")
        done = forms.PastDate(validate=forms.Range(min=datetime.date(2020, 1, 1)), label="Selesai")
    _data, errors = forms.validate(Form(), {"code": "ab", "codes": "ab", "done": "2019-05-01"})
    assert set(errors) == {"code", "codes", "done"}
    assert forms.validate(Form(), {"code": "abc", "codes": "abc", "done": "2021-05-01"})[1] == {}
