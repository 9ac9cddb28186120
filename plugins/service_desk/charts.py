"""Visits by visitor category and purpose, drawn with the core's SVG charts."""
from core.toolkit import _, charts

COLOURS = ["#0b5394", "#e69138", "#6aa84f", "#a64d79"]


def visits_chart(counts, categories, purposes):
    """``counts`` maps (category, purpose) → number of visits; ``categories`` and ``purposes`` are
    ``forms.Choices`` (their labels come translated)."""
    series = [(label, COLOURS[i % len(COLOURS)]) for i, (_p, label) in enumerate(purposes)]
    groups = [(clabel, [counts.get((c, p), 0) for p, _l in purposes]) for c, clabel in categories]
    return charts.grouped_bars(groups, series, _("Jumlah kunjungan per asal tamu dan keperluan"))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def ikm_chart(monthly, year):
    """The converted IKM (25–100) per month: green from category A, amber from B (PermenPANRB 14/2017)."""
    items = [(f"{MONTHS[m - 1]} {year} ({n})", float(value)) for m, (value, n) in sorted(monthly.items())]
    return charts.percent_bars(items, _("IKM per bulan (nilai konversi; jumlah responden)"), good=88.31, mid=76.61)
