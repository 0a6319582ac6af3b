"""Geometry of the dashboard's bar chart (completion per lesson, grouped by path), drawn as inline SVG.

The numbers are computed here and the template only places them: no script, no inline
style, readable on a phone where the chart scrolls sideways in its own box.
"""
from dataclasses import dataclass, field

SLOT = 16  # width of one lesson's bar and its gap
LEFT, RIGHT, TOP, BOTTOM = 56, 10, 12, 46
PLOT_HEIGHT = 140
Y_TICKS = (0, 25, 50, 75, 100)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    bottom: int  # y of the x axis
    right: int  # x where the plot ends
    bars: list = field(default_factory=list)  # dicts: x, y, w, h, pct, label, title, path
    ticks: list = field(default_factory=list)  # dicts: y, label
    groups: list = field(default_factory=list)  # dicts: x (centre), x0, label, title


def bar_chart(paths, percent):
    """Lay out one bar per lesson; `paths` is [(path title, [Column])], `percent(lesson id)` its value."""
    count = sum(len(columns) for _title, columns in paths)
    width = max(320, LEFT + RIGHT + SLOT * max(count, 1))
    bottom = TOP + PLOT_HEIGHT
    chart = Chart(width, bottom + BOTTOM, LEFT, TOP, bottom, width - RIGHT)
    for value in Y_TICKS:
        chart.ticks.append({"y": round(bottom - value * PLOT_HEIGHT / 100, 1), "label": value})
    index = 0
    for title, columns in paths:
        x0 = LEFT + index * SLOT
        for column in columns:
            pct = percent(column.id)
            h = round(pct * PLOT_HEIGHT / 100, 1)
            chart.bars.append({"x": LEFT + index * SLOT + 3, "y": round(bottom - h, 1), "w": SLOT - 6, "h": h,
                               "centre": LEFT + index * SLOT + SLOT // 2, "pct": pct, "label": column.number,
                               "title": column.title, "path": title})
            index += 1
        span = len(columns) * SLOT
        chart.groups.append({"x0": x0, "x": x0 + span // 2, "label": shorten(title, span // 6), "title": title})
    return chart


def shorten(text, size):
    """Cut a label to about `size` characters, with an ellipsis when cut."""
    size = max(size, 2)
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"
