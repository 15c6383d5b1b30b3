"""A narrative's spread over time as bar-chart geometry, drawn as inline SVG by the template.

The chart is computed here as numbers and short labels only, so the template escapes whatever
it prints and no article content reaches the SVG.
"""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, PAD = 720, 180, 28


def timeline_chart(points: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Bars for ``[{date, count}]`` points (dates as ISO strings, any order).

    Returns:
        ``{width, height, bars: [{x, y, w, h, date, count}], max, first, last}``, or None when
        there is nothing to draw.
    """
    rows = sorted(
        (str(p.get("date"))[:10], int(p.get("count") or 0))
        for p in points
        if isinstance(p, dict) and p.get("date") and isinstance(p.get("count"), int | float)
    )
    if not rows:
        return None
    top = max(c for _, c in rows) or 1
    slot = (WIDTH - 2 * PAD) / len(rows)
    bar_w = max(2.0, slot * 0.8)
    plot_h = HEIGHT - 2 * PAD
    bars = []
    for i, (date, count) in enumerate(rows):
        h = plot_h * count / top
        bars.append(
            {
                "x": round(PAD + i * slot + (slot - bar_w) / 2, 1),
                "y": round(HEIGHT - PAD - h, 1),
                "w": round(bar_w, 1),
                "h": round(h, 1),
                "date": date,
                "count": count,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "bars": bars,
        "max": top,
        "first": rows[0][0],
        "last": rows[-1][0],
        "total": sum(c for _, c in rows),
    }
