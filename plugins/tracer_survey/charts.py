"""Server-rendered SVG charts of the recap (no script, no CDN): colours are SVG
presentation attributes, so the strict CSP needs no inline style."""
from markupsafe import Markup, escape

from core.toolkit import _, format_percent

# The status shares are of the RESPONDENTS, the same denominator as the recap table's
# percentages (the response rate has its own chart).
SEGMENTS = [("bekerja", "Bekerja", "#2e7d32"), ("wirausaha", "Wirausaha", "#1565c0"),
            ("studi", "Melanjutkan studi", "#8e24aa"), ("belum", "Belum bekerja", "#e0a100")]


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
    for i, (_key, label, colour) in enumerate(SEGMENTS):
        lx, ly = (i % 3) * 210, 4 + (i // 3) * 18
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{lx + 16}" y="{ly + 11}" class="chart-label">{escape(_(label))}</text>')
    for i, r in enumerate(rows):
        y = legend_h + i * (bar_h + gap)
        parts.append(f'<text x="0" y="{y + 14}" class="chart-label">{escape(label_of(r))[:32]}</text>')
        x = label_w
        for key, label, colour in SEGMENTS:
            n = r.get(key, 0)
            if not n:
                continue
            w = plot_w * n / r["responded"]
            pct = format_percent(100.0 * n / r["responded"])
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}">'
                         f'<title>{escape(_(label))}: {n} ({pct})</title></rect>')
            if w >= 40:
                ink = "" if key == "belum" else " on-dark"
                parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" class="chart-value{ink}">{pct}</text>')
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))


def rates(rows, label_of, title):
    """Response rate per row as a simple bar chart."""
    rows = [r for r in rows if r["alumni"]]
    if not rows:
        return Markup("")
    bar_h, gap, label_w, width = 18, 6, 190, 640
    plot_w = width - label_w - 60
    height = len(rows) * (bar_h + gap) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart tracer-chart" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, r in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        pct = r["response_rate"] or 0
        w = plot_w * pct / 100
        cls = "bar-good" if pct >= 70 else ("bar-mid" if pct >= 40 else "bar-bad")
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(label_of(r))[:32]}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" class="{cls}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" class="chart-value">{format_percent(pct)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
