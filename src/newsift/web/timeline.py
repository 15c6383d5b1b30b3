"""A narrative's spread over time as bar-chart geometry, drawn as inline SVG by the template.

The chart is computed here as numbers and short labels only, so the template escapes whatever
it prints and no article content reaches the SVG.
"""

from __future__ import annotations

from datetime import date, timedelta
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
    rows = _fill_days(rows)
    top = max(c for _, c in rows) or 1
    slot = (WIDTH - 2 * PAD) / len(rows)
    bar_w = max(2.0, slot * 0.8)
    plot_h = HEIGHT - 2 * PAD
    bars = []
    for i, (day, count) in enumerate(rows):
        h = plot_h * count / top
        bars.append(
            {
                "x": round(PAD + i * slot + (slot - bar_w) / 2, 1),
                "y": round(HEIGHT - PAD - h, 1),
                "w": round(bar_w, 1),
                "h": round(h, 1),
                "date": day,
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


def _fill_days(rows: list[tuple[str, int]], max_days: int = 120) -> list[tuple[str, int]]:
    """Merge same-day rows and add empty days between them, so gaps show as gaps."""
    merged: dict[str, int] = {}
    for day, count in rows:
        merged[day] = merged.get(day, 0) + count
    try:
        first, last = date.fromisoformat(min(merged)), date.fromisoformat(max(merged))
    except ValueError:
        return sorted(merged.items())
    span = (last - first).days
    if span > max_days:
        return sorted(merged.items())
    days = (first + timedelta(days=i) for i in range(span + 1))
    return [(d.isoformat(), merged.get(d.isoformat(), 0)) for d in days]
