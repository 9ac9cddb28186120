from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.tracker.workcal import TimeStandard, WorkCalendar, parse_time_standard

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
UTC = timezone.utc


def wib(y, m, d, h=0, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=WIB)


# July 2026 has no holidays: Wed 1, Fri 3, Sat 4, Mon 6 July.

# ---------------------------------------------------------------- parsing

def test_parse_each_unit():
    assert parse_time_standard("5 menit") == TimeStandard(5, "menit", "5 menit")
    assert parse_time_standard("15 menit") == TimeStandard(15, "menit", "15 menit")
    assert parse_time_standard("2 jam") == TimeStandard(2, "jam", "2 jam")
    assert parse_time_standard("1 hari") == TimeStandard(1, "hari", "1 hari")
    assert parse_time_standard("3 hari") == TimeStandard(3, "hari", "3 hari")
    assert parse_time_standard("1 minggu") == TimeStandard(1, "minggu", "1 minggu")
    assert parse_time_standard("1 bulan") == TimeStandard(1, "bulan", "1 bulan")
    assert parse_time_standard("48 JP") == TimeStandard(48, "JP", "48 JP")
    assert parse_time_standard("48 jp").unit == "JP"


def test_parse_case_and_spaces():
    ts = parse_time_standard("  2   JAM ")
    assert (ts.value, ts.unit) == (2, "jam")
    assert parse_time_standard("3hari").unit == "hari"


@pytest.mark.parametrize("text", ["—", "-", "", "   ", None])
def test_parse_no_standard(text):
    assert parse_time_standard(text) is None


@pytest.mark.parametrize("text", ["lima menit", "3 tahun", "menit", "5", "5 menit 2 jam", "-3 hari"])
def test_parse_bad_text_raises(text):
    with pytest.raises(ValueError, match="tidak dikenali"):
        parse_time_standard(text)


def test_working_minutes_per_unit():
    assert parse_time_standard("5 menit").working_minutes(480) == 5
    assert parse_time_standard("2 jam").working_minutes(480) == 120
    assert parse_time_standard("48 JP").working_minutes(480) == 2160
    assert parse_time_standard("3 hari").working_minutes(480) == 1440
    assert parse_time_standard("1 minggu").working_minutes(480) == 2400
    assert parse_time_standard("1 bulan").working_minutes(480) is None


# ---------------------------------------------------------------- holidays / days

def test_key_check_nyepi_and_lebaran_2026():
    cal = WorkCalendar("WIB")
    # Between these dates: 18 Mar cuti bersama, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend), 23–24 cuti.
    assert cal.add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    assert cal.due(wib(2026, 3, 17, 10), "3 hari") == wib(2026, 3, 27, 16)
    assert cal.due(wib(2026, 3, 17, 10), parse_time_standard("3 hari")).tzinfo == UTC


def test_holiday_names_include_cuti_bersama():
    cal = WorkCalendar()
    assert "Cuti Bersama" in cal.holiday_name(date(2026, 3, 18))
    assert "Nyepi" in cal.holiday_name(date(2026, 3, 19))
    assert cal.holiday_name(date(2026, 7, 1)) is None
    assert not cal.is_working_day(date(2026, 3, 24))
    assert cal.is_working_day(date(2026, 3, 25))
    assert not cal.is_working_day(date(2026, 7, 4))  # Saturday


def test_add_working_days_zero_and_across_year():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 7, 4), 0) == date(2026, 7, 4)
    # 31 Dec 2025 (Wed) -> 1 Jan holiday, 2 Jan Fri is the first working day of 2026.
    assert cal.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_workdays_extra_makes_saturday_count():
    sat = date(2026, 7, 4)
    cal = WorkCalendar(workdays_extra={sat})
    assert cal.is_working_day(sat)
    assert cal.add_working_days(date(2026, 7, 3), 1) == sat
    assert cal.due(wib(2026, 7, 3, 15), "2 jam") == wib(2026, 7, 4, 9)
    assert WorkCalendar().due(wib(2026, 7, 3, 15), "2 jam") == wib(2026, 7, 6, 9)


def test_holidays_extra_blocks_weekday():
    cal = WorkCalendar(holidays_extra={date(2026, 7, 2): "Hari Jadi Kota"})
    assert not cal.is_working_day(date(2026, 7, 2))
    assert cal.holiday_name(date(2026, 7, 2)) == "Hari Jadi Kota"
    assert cal.add_working_days(date(2026, 7, 1), 1) == date(2026, 7, 3)
    assert cal.due(wib(2026, 7, 1, 15), "2 jam") == wib(2026, 7, 3, 9)


# ---------------------------------------------------------------- due

def test_menit_across_closing_rolls_to_next_opening():
    cal = WorkCalendar()
    assert cal.due(wib(2026, 7, 1, 15, 50), "15 menit") == wib(2026, 7, 2, 8, 5)
    assert cal.due(wib(2026, 7, 1, 6), "30 menit") == wib(2026, 7, 1, 8, 30)  # before opening


def test_start_on_saturday_begins_monday_opening():
    cal = WorkCalendar()
    assert cal.due(wib(2026, 7, 4, 11), "5 menit") == wib(2026, 7, 6, 8, 5)
    assert cal.due(wib(2026, 7, 4, 11), "3 hari") == wib(2026, 7, 8, 16)


def test_jam_across_weekend():
    cal = WorkCalendar()
    assert cal.due(wib(2026, 7, 3, 14), "4 jam") == wib(2026, 7, 6, 10)
    assert cal.due(wib(2026, 7, 3, 14), "2 jam") == wib(2026, 7, 3, 16)  # exactly at closing
    assert cal.due(wib(2026, 7, 3, 14), "10 jam") == wib(2026, 7, 6, 16)  # 2h + full Monday
    assert cal.due(wib(2026, 7, 1, 8), "48 JP") == wib(2026, 7, 7, 12)  # 2160 min = 4.5 days


def test_minggu_is_five_working_days():
    cal = WorkCalendar()
    assert cal.due(wib(2026, 7, 1, 9), "1 minggu") == wib(2026, 7, 8, 16)
    assert cal.due(wib(2026, 7, 1, 9), "2 minggu") == wib(2026, 7, 15, 16)


def test_bulan_month_end_clamp():
    cal = WorkCalendar()
    assert cal.due(wib(2026, 1, 31, 10), "1 bulan") == wib(2026, 2, 28, 10)
    assert cal.due(wib(2026, 1, 31, 10), "13 bulan") == wib(2027, 2, 28, 10)
    assert cal.due(wib(2028, 1, 31, 10), "1 bulan") == wib(2028, 2, 29, 10)
    assert cal.due(wib(2026, 11, 15, 10), "2 bulan") == wib(2027, 1, 15, 10)


def test_no_standard_gives_none():
    assert WorkCalendar().due(wib(2026, 7, 1, 9), None) is None
    assert WorkCalendar().due(wib(2026, 7, 1, 9), "—") is None


def test_wita_vs_wib_same_local_different_utc():
    b, t = WorkCalendar("WIB"), WorkCalendar("WITA")
    db = b.due(wib(2026, 7, 1, 9), "2 jam")
    dt = t.due(datetime(2026, 7, 1, 9, tzinfo=WITA), "2 jam")
    assert db == datetime(2026, 7, 1, 4, tzinfo=UTC)
    assert dt == datetime(2026, 7, 1, 3, tzinfo=UTC)
    assert db.astimezone(WIB).hour == dt.astimezone(WITA).hour == 11
    assert t.due(datetime(2026, 7, 1, 9, tzinfo=WITA), "1 hari") == datetime(2026, 7, 2, 8, tzinfo=UTC)
    assert WorkCalendar("Asia/Makassar").due(datetime(2026, 7, 1, 9, tzinfo=WITA), "2 jam") == dt


def test_start_given_in_other_zone_is_converted():
    # 03:00 UTC = 10:00 WIB.
    assert WorkCalendar().due(datetime(2026, 7, 1, 3, tzinfo=UTC), "1 jam") == wib(2026, 7, 1, 11)


def test_naive_datetime_rejected():
    with pytest.raises(ValueError):
        WorkCalendar().due(datetime(2026, 7, 1, 9), "1 jam")


# ---------------------------------------------------------------- between / shift

def test_working_minutes_between_weekend_and_holiday():
    cal = WorkCalendar()
    assert cal.working_minutes_between(wib(2026, 7, 3, 15), wib(2026, 7, 6, 9)) == 120
    # 14 May Ascension, 15 May cuti bersama.
    assert cal.working_minutes_between(wib(2026, 5, 13, 15), wib(2026, 5, 18, 9)) == 120
    assert cal.working_minutes_between(wib(2026, 3, 17, 10), wib(2026, 3, 27, 16)) == 360 + 3 * 480
    assert cal.working_minutes_between(wib(2026, 7, 1, 7), wib(2026, 7, 1, 17)) == 480
    assert cal.working_minutes_between(wib(2026, 7, 6, 9), wib(2026, 7, 3, 9)) == 0


def test_between_inverts_due():
    cal = WorkCalendar()
    start = wib(2026, 3, 10, 7, 13)
    for i in range(200):
        s = start + timedelta(hours=7 * i)
        for text, mins in (("45 menit", 45), ("5 jam", 300), ("48 JP", 2160)):
            assert cal.working_minutes_between(s, cal.due(s, text)) == mins


def test_shift():
    cal = WorkCalendar()
    assert cal.shift(wib(2026, 7, 3, 16), 30) == wib(2026, 7, 6, 8, 30)
    assert cal.shift(wib(2026, 7, 1, 10), 480) == wib(2026, 7, 2, 10)
    assert cal.shift(wib(2026, 7, 1, 10), 0) == wib(2026, 7, 1, 10)


def test_multi_year_spans_are_correct():
    cal = WorkCalendar()
    a, b = wib(2025, 1, 1), wib(2028, 1, 1)
    days = sum(cal.is_working_day(date(2025, 1, 1) + timedelta(k)) for k in range((b - a).days))
    assert cal.working_minutes_between(a, b) == days * 480
    assert cal.due(a, f"{days} hari") == wib(2027, 12, 31, 16) - timedelta(
        days=0 if cal.is_working_day(date(2027, 12, 31)) else 1)
    # Speed is measured in benchmarks/, not asserted here.
