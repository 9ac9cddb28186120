"""Visits by visitor category and purpose, drawn with the core's SVG charts."""
from core.toolkit import _, charts

COLOURS = ["#0b5394", "#e69138", "#6aa84f", "#a64d79"]


def visits_chart(counts, categories, purposes):
    """``counts`` maps (category, purpose) → number of visits."""
    series = [(_(label), COLOURS[i % len(COLOURS)]) for i, (_p, label) in enumerate(purposes)]
    groups = [(_(clabel), [counts.get((c, p), 0) for p, _l in purposes]) for c, clabel in categories]
    return charts.grouped_bars(groups, series, _("Jumlah kunjungan per asal tamu dan keperluan"))
