"""The SOP AP flowchart as SVG: one column per actor role (swimlane), one row
per step, with the standard symbols — capsule (start/end), box (process),
diamond (decision), arrows — and the current step of a run highlighted."""
import json

from markupsafe import Markup, escape

LANE_W, ROW_H, HEAD_H, NO_W = 118, 62, 54, 34
SYM_W, SYM_H = 78, 30
BACK_GAP, BACK_STEP = 24, 12      # the channel on the right for arrows going back


def _wrap(text, width=16, lines=3):
    words, out, line = str(text).split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1] + "…"
    return out


def _targets(step, following):
    """Where a step goes: [(step no or None for the end, label)]."""
    branches = json.loads(step.branches)
    if branches:
        return [(b.get("to"), b.get("label", "")) for b in branches]
    if step.ends:
        return [(None, "")]
    nxt = step.next_no or following
    return [(nxt, "")]


def svg(lanes, steps, current_no=None, done_nos=(), role_title=str):
    """``lanes``: role codes in column order; ``steps``: SopStep rows (ordered).

    Every branch is drawn: forward arrows down the lanes, arrows back to an
    earlier step up a channel on the right, and arrows to the end capsule
    ("Selesai") below the last step, each with its label."""
    flows = {s.no: _targets(s, steps[i + 1].no if i + 1 < len(steps) else None) for i, s in enumerate(steps)}
    order = {s.no: i for i, s in enumerate(steps)}
    backs = [(s.no, to) for s in steps for to, _l in flows[s.no] if to is not None and to in order
             and order[to] <= order[s.no]]
    end_row = any(to is None for s in steps[:-1] for to, _l in flows[s.no]) or any(
        to is None and label for s in steps[-1:] for to, label in flows[s.no])
    lane_x = {code: NO_W + i * LANE_W + LANE_W // 2 for i, code in enumerate(lanes)}
    body_w = NO_W + LANE_W * len(lanes)
    width = body_w + (BACK_GAP + BACK_STEP * len(backs) if backs else 0)
    height = HEAD_H + ROW_H * (len(steps) + (1 if end_row else 0)) + 8
    row_y = {s.no: HEAD_H + i * ROW_H + ROW_H // 2 for i, s in enumerate(steps)}
    first, last = steps[0].no if steps else None, steps[-1].no if steps else None
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="Diagram alir SOP">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="fc-head"/></marker></defs>']
    # lane headers and grid
    parts.append(f'<rect x="0" y="0" width="{NO_W}" height="{HEAD_H}" class="fc-head-cell"/>'
                 f'<text x="{NO_W // 2}" y="{HEAD_H // 2 + 4}" class="fc-lane" text-anchor="middle">No</text>')
    for i, code in enumerate(lanes):
        x = NO_W + i * LANE_W
        parts.append(f'<rect x="{x}" y="0" width="{LANE_W}" height="{HEAD_H}" class="fc-head-cell"/>')
        for j, line in enumerate(_wrap(role_title(code), 17, 3)):
            parts.append(f'<text x="{x + LANE_W // 2}" y="{16 + j * 13}" class="fc-lane" text-anchor="middle">{escape(line)}</text>')
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 8}" class="fc-grid"/>')
    parts.append(f'<line x1="{body_w - 1}" y1="0" x2="{body_w - 1}" y2="{height - 8}" class="fc-grid"/>')

    positions = {}
    for s in steps:
        y = row_y[s.no]
        parts.append(f'<line x1="0" y1="{y + ROW_H // 2}" x2="{body_w}" y2="{y + ROW_H // 2}" class="fc-grid"/>')
        parts.append(f'<text x="{NO_W // 2}" y="{y + 4}" class="fc-no" text-anchor="middle">{s.no}</text>')
        marked = [c for c in json.loads(s.lanes) if c in lane_x] or [c for c in json.loads(s.roles) if c in lane_x]
        if not marked:
            continue
        xs = [lane_x[c] for c in marked]
        if len(xs) > 1:   # several actors on one step: a dashed link between their symbols
            parts.append(f'<line x1="{min(xs)}" y1="{y}" x2="{max(xs)}" y2="{y}" class="fc-joint"/>')
        state = "current" if s.no == current_no else ("done" if s.no in done_nos else "")
        for x in xs:
            parts.append(_symbol(s, x, y, first, last if not end_row else None, state))
        positions[s.no] = xs[0]

    end_at = None
    if end_row and positions:
        end_x = positions.get(last, next(iter(positions.values())))
        end_at = (end_x, HEAD_H + len(steps) * ROW_H + ROW_H // 2)
        w, h = SYM_W, SYM_H
        parts.append(f'<g class="fc-end"><title>Selesai</title><rect x="{end_x - w // 2}" y="{end_at[1] - h // 2}" '
                     f'width="{w}" height="{h}" rx="{h // 2}" class="fc-sym"/>'
                     f'<text x="{end_x}" y="{end_at[1] + 4}" class="fc-text" text-anchor="middle">Selesai</text></g>')

    # arrows
    back_no = 0
    for s in steps:
        if s.no not in positions:
            continue
        x1, y1 = positions[s.no], row_y[s.no]
        for k, (to, label) in enumerate(flows[s.no]):
            if to is None:
                if end_at is not None:
                    parts.append(_arrow(x1, y1, end_at[0], end_at[1], label, k))
            elif to in positions and order[to] > order[s.no]:
                parts.append(_arrow(x1, y1, positions[to], row_y[to], label, k))
            elif to in positions:
                channel = body_w + BACK_GAP // 2 + back_no * BACK_STEP
                back_no += 1
                parts.append(_back_arrow(x1, y1, positions[to], row_y[to], channel, label))
        if s.approval and s.return_to in positions:
            x2, y2 = positions[s.return_to], row_y[s.return_to]
            side = min(x1, x2) - SYM_W // 2 - 8
            parts.append(f'<path d="M{x1 - SYM_W // 2},{y1} H{side} V{y2} H{x2 - SYM_W // 2}" class="fc-return" marker-end="url(#arrow)"/>'
                         f'<text x="{side + 3}" y="{(y1 + y2) // 2}" class="fc-label">kembali</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _back_arrow(x1, y1, x2, y2, channel, label):
    """An arrow back to an earlier (or the same) step: out to the right, up a channel, back in."""
    start, end = x1 + SYM_W // 2, x2 + SYM_W // 2
    text = (f'<text x="{start + 4}" y="{y1 - 4}" class="fc-label">{escape(label[:22])}</text>' if label else "")
    return (f'<path d="M{start},{y1} H{channel} V{y2 - 6} H{end}" class="fc-arrow fc-back" '
            f'marker-end="url(#arrow)"/>{text}')


def _symbol(step, x, y, first, last, state):
    cls = f"fc-sym {('fc-' + state) if state else ''}"
    w, h = SYM_W, SYM_H
    if step.kind == "decision":
        shape = (f'<polygon points="{x},{y - h // 2 - 4} {x + w // 2},{y} {x},{y + h // 2 + 4} {x - w // 2},{y}" class="{cls}"/>')
    elif step.no in (first, last):
        shape = f'<rect x="{x - w // 2}" y="{y - h // 2}" width="{w}" height="{h}" rx="{h // 2}" class="{cls}"/>'
    else:
        shape = f'<rect x="{x - w // 2}" y="{y - h // 2}" width="{w}" height="{h}" class="{cls}"/>'
    title = f"<title>{escape(str(step.no) + '. ' + step.activity)}</title>"
    label = f'<text x="{x}" y="{y + 4}" class="fc-text" text-anchor="middle">{step.no}</text>'
    return f"<g>{title}{shape}{label}</g>"


def _arrow(x1, y1, x2, y2, label, k):
    top, bottom = y1 + SYM_H // 2, y2 - SYM_H // 2
    mid = y1 + ROW_H // 2 - 6 + k * 6
    if x1 == x2 and y2 - y1 == ROW_H:
        path = f"M{x1},{top} V{bottom}"
    else:
        offset = 0 if y2 - y1 == ROW_H else (k * 8 + 6)
        path = f"M{x1},{top} V{mid} H{x2 + offset} V{bottom}"
    text = (f'<text x="{(x1 + x2) // 2 + 4}" y="{mid - 3}" class="fc-label" text-anchor="middle">{escape(label[:22])}</text>'
            if label else "")
    return f'<path d="{path}" class="fc-arrow" marker-end="url(#arrow)"/>{text}'
