"""The recap's charts as server-rendered SVG (no script, no CDN; colours are SVG presentation
attributes, so the strict CSP needs no inline style).

The status shares are of the RESPONDENTS, the same denominator as the recap table's
percentages, printed with the table's one decimal (the core's ``stacked_bars`` rounds to
whole percents, which would print 13% beside the table's 12,5%). The response rate uses
the core's ``percent_bars``."""
from markupsafe import Markup, escape

from core.toolkit import charts, format_percent
from plugins.tracer_survey.schemas import STATUS

SEGMENTS = [("bekerja", "#2e7d32"), ("wirausaha", "#1565c0"), ("studi", "#8e24aa"), ("belum", "#e0a100")]


def stacked(rows, label_of, title):
    """One horizontal bar per row: the respondents split by answer (share of those who answered)."""
    rows = [r for r in rows if r["responded"]]
    if not rows:
        return Markup("")
    bar_h, gap, label_w, width, legend_h = 20, 8, 190, 640, 44
    plot_w = width - label_w - 10
    height = legend_h + len(rows) * (bar_h + gap) + 6
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tracer-chart" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    x = 0
    for i, (key, colour) in enumerate(SEGMENTS):
        lx, ly = (i % 3) * 210, 4 + (i // 3) * 18
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{lx + 16}" y="{ly + 11}" class="chart-label">{escape(STATUS.label(key))}</text>')
    for i, r in enumerate(rows):
        y = legend_h + i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 14}" class="chart-label">{escape(label_of(r)[:32])}</text>')
        x = label_w
        for key, colour in SEGMENTS:
            n = r.get(key, 0)
            if not n:
                continue
            w = plot_w * n / r["responded"]
            pct = format_percent(100.0 * n / r["responded"])
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                         f'<title>{escape(STATUS.label(key))}: {n} ({pct})</title></rect>')
            if w >= 40:
                ink = "" if key == "belum" else " on-dark"
                parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="chart-value{ink}">{pct}</text>')
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))


def rates(rows, label_of, title):
    """Response rate per row."""
    return charts.percent_bars([(label_of(r), r["response_rate"]) for r in rows if r["alumni"]], title,
                               good=70, mid=40)
