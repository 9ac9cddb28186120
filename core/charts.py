"""Server-rendered SVG charts: no script, no CDN, no inline style (colours are
classes or SVG presentation attributes, allowed by the CSP). Every chart has a
title for screen readers and a <title> per bar for the exact number.

    percent_bars([("KDI-PM-06 · 3", 92.5), ...], title)        # one bar per item, 0–100 %
    grouped_bars(groups, series, title)                          # per group one bar per series
    stacked_bars(rows, segments, title)                          # one bar per row split in segments
"""
from markupsafe import Markup, escape

from core.i18n import format_number, format_percent

WIDTH, LABEL_W = 640, 190


def _open(height, title, extra_class=""):
    t = escape(str(title))
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {extra_class}" viewBox="0 0 {WIDTH} {height}" '
            f'role="img" aria-label="{t}"><title>{t}</title>']


def _legend(series, y=4):
    parts = []
    for i, (label, colour) in enumerate(series):
        x, yy = (i % 3) * 210, y + (i // 3) * 18
        parts.append(f'<rect x="{x}" y="{yy}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="{yy + 11}" class="chart-label">{escape(str(label))}</text>')
    return parts, 8 + 18 * ((len(series) + 2) // 3)


def percent_bars(items, title, good=80, mid=50):
    """``items``: [(label, percent or None)] → green/amber/red bars by threshold."""
    items = [(label, pct) for label, pct in items if pct is not None]
    if not items:
        return Markup("")
    bar_h, gap = 18, 6
    plot_w = WIDTH - LABEL_W - 50
    parts = _open(len(items) * (bar_h + gap) + 8, title)
    for i, (label, pct) in enumerate(items):
        y = 4 + i * (bar_h + gap)
        w = plot_w * pct / 100
        cls = "bar-good" if pct >= good else ("bar-mid" if pct >= mid else "bar-bad")
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(str(label))[:32]}</text>'
                     f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" class="{cls}">'
                     f'<title>{escape(str(label))}: {format_percent(pct)}</title></rect>'
                     f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 13}" class="chart-value">{format_percent(pct)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_bars(groups, series, title):
    """``groups``: [(group label, [n per series])]; ``series``: [(label, colour)]."""
    top = max((n for _g, ns in groups for n in ns), default=0)
    bar_h, gap, group_gap = 16, 3, 14
    legend, legend_h = _legend(series)
    group_h = len(series) * (bar_h + gap) + group_gap
    scale = (WIDTH - LABEL_W - 50) / top if top else 0
    parts = _open(legend_h + len(groups) * group_h + 4, title) + legend
    for g, (glabel, ns) in enumerate(groups):
        y0 = legend_h + g * group_h
        parts.append(f'<text x="0" y="{y0 + bar_h + 2}" class="chart-label">{escape(str(glabel))[:32]}</text>')
        for i, ((slabel, colour), n) in enumerate(zip(series, ns)):
            y, w = y0 + i * (bar_h + gap), n * scale
            parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" fill="{colour}">'
                         f'<title>{escape(str(glabel))} · {escape(str(slabel))}: {format_number(n, 0)}</title></rect>'
                         f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 12}" class="chart-value">{format_number(n, 0)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(rows, segments, title):
    """``rows``: [(label, [n per segment])]; ``segments``: [(label, colour)]; bars show shares of the row total."""
    rows = [(label, ns) for label, ns in rows if sum(ns)]
    if not rows:
        return Markup("")
    bar_h, gap = 20, 8
    legend, legend_h = _legend(segments)
    plot_w = WIDTH - LABEL_W - 10
    parts = _open(legend_h + len(rows) * (bar_h + gap) + 6, title) + legend
    for i, (label, ns) in enumerate(rows):
        y, x, total = legend_h + i * (bar_h + gap), LABEL_W, sum(ns)
        parts.append(f'<text x="0" y="{y + 14}" class="chart-label">{escape(str(label))[:32]}</text>')
        for (slabel, colour), n in zip(segments, ns):
            if not n:
                continue
            w, pct = plot_w * n / total, round(100.0 * n / total)
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                         f'<title>{escape(str(slabel))}: {format_number(n, 0)} ({format_percent(pct, 0)})</title></rect>')
            if w >= 30:
                parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="chart-value on-bar">{format_percent(pct, 0)}</text>')
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))
