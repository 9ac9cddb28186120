"""Server-rendered SVG charts (no script, no CDN): visits by category and purpose."""
from markupsafe import Markup, escape

from core.i18n import _


def visits_chart(counts, categories, purposes):
    """Grouped horizontal bars: per visitor category one bar per purpose.

    ``counts`` maps (category, purpose) → number of visits."""
    top = max(counts.values(), default=0)
    bar_h, gap, group_gap, label_w, width, legend_h = 16, 3, 14, 150, 560, 26
    group_h = len(purposes) * (bar_h + gap) + group_gap
    height = legend_h + len(categories) * group_h + 4
    scale = (width - label_w - 50) / top if top else 0
    title = _("Jumlah kunjungan per asal tamu dan keperluan")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart sd-chart" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    x = 0
    for i, (p, plabel) in enumerate(purposes):
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" class="sd-bar-{i}"/>'
                     f'<text x="{x + 16}" y="15" class="chart-label">{escape(_(plabel))}</text>')
        x += 200
    for g, (c, clabel) in enumerate(categories):
        y0 = legend_h + g * group_h
        parts.append(f'<text x="0" y="{y0 + bar_h + 2}" class="chart-label">{escape(_(clabel))}</text>')
        for i, (p, _plabel) in enumerate(purposes):
            n = counts.get((c, p), 0)
            y = y0 + i * (bar_h + gap)
            w = int(n * scale)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" class="sd-bar-{i}">'
                         f'<title>{escape(_(clabel))} · {escape(_(_plabel))}: {n}</title></rect>'
                         f'<text x="{label_w + w + 4}" y="{y + 12}" class="chart-value">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
