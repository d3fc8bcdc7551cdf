"""Pictures of the record as SVG, drawn on the server from the figures the pages' tables show.

Plain SVG from Django templates (reports/templates/reports/*.svg): no script, no web font, no style
sheet or style attribute, only presentation attributes, so that an SVG opened at its own address is
drawn whole under the API's Content-Security-Policy (``default-src 'none'``) and embeds in any page as
an ``<img>``. Each names itself (``<title>``, ``<desc>``, ``role="img"``) and each bar and point
carries its own ``<title>`` with its number; the page beside it has the same numbers as a table.
"""

from decimal import Decimal

from django.template.loader import render_to_string

from reports import maps

# Okabe and Ito's colours for colour-blind readers, the lightest left out (each at least 3:1 on white).
PALETTE = ["#0072B2", "#D55E00", "#007E5C", "#6A3D9A", "#8C510A"]
WIDTH = 720


def at(coordinate: float) -> str:
    """A coordinate as SVG text, to a tenth of a unit (never localized as a template would)."""
    return f"{coordinate:.1f}"


def dollars(amount) -> str:
    """A short dollar figure for a label: $1.2M, $850K, $900."""
    amount = Decimal(amount or 0)
    for size, suffix in ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M"), (Decimal(1000), "K")):
        if amount >= size:
            return f"${amount / size:,.1f}".removesuffix(".0") + suffix
    return f"${amount:,.0f}"


def legend(series: list[str]) -> list[dict]:
    """A swatch and a name per series, in a line."""
    items, x = [], 0
    for number, name in enumerate(series):
        items.append({"name": name, "colour": PALETTE[number], "x": at(x), "text_x": at(x + 20)})
        x += 30 + 8 * len(name)
    return items


def chart(title: str, description: str, series: list[str], drawn: dict, height: int) -> str:
    """The SVG of a chart's ``drawn`` bars, labels and axis, under its title and legend."""
    context = {"title": title, "description": description, "legend": legend(series), "width": WIDTH}
    return render_to_string("reports/chart.svg", context | drawn | {"height": height})


def bars(
    title: str,
    description: str,
    categories: list[str],
    series: list[str],
    values: list[list],
    *,
    money: bool = False,
) -> str:
    """A horizontal stacked bar chart: a row per category, its series' parts end to end, its total after
    them. ``values[row][series]``; a zero draws nothing."""
    label = dollars if money else (lambda value: f"{value:,}")
    left = min(220, 12 + 7 * max((len(name) for name in categories), default=4))
    plot, top, row_height, bar_height = WIDTH - left - 70, 64, 24, 16
    largest = float(max((sum(row) for row in values), default=0) or 1)
    drawn, labels = [], []
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        y, x = top + index * row_height, left
        labels.append({"x": left - 6, "y": y + 12, "text": category, "anchor": "end"})
        for number, value in enumerate(row):
            width = float(value) / largest * plot
            if value:
                bar = {"x": at(x), "y": y, "width": at(max(width, 1)), "height": bar_height, "colour": PALETTE[number]}
                drawn.append(bar | {"title": f"{category}, {series[number]}: {label(value)}"})
            x += width
        labels.append({"x": at(x + 4), "y": y + 12, "text": label(sum(row)), "anchor": "start"})
    height = top + len(categories) * row_height + 28
    axis = {"x1": left, "x2": left, "y1": top - 4, "y2": height - 28}
    return chart(title, description, series, {"bars": drawn, "labels": labels, "axis": axis}, height)


def columns(title: str, description: str, categories: list[str], series: list[str], values: list[list]) -> str:
    """A grouped column chart of counts: a group per category (a year) along the bottom, a column per
    series in it, its count above it. ``values[group][series]``; a zero draws no column."""
    top, plot = 64, 240
    group = (WIDTH - 8) / max(len(categories), 1)
    width = min(18.0, (group - 8) / max(len(series), 1))
    largest = float(max((max(row, default=0) for row in values), default=0) or 1)
    drawn, labels = [], []
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        start = 8 + index * group + (group - width * len(series)) / 2
        labels.append({"x": at(8 + (index + 0.5) * group), "y": top + plot + 18, "text": category, "anchor": "middle"})
        for number, value in enumerate(row):
            if not value:
                continue
            x, height = start + number * width, float(value) / largest * plot
            bar = {"x": at(x), "y": at(top + plot - height), "width": at(width - 1), "height": at(height)}
            drawn.append(bar | {"colour": PALETTE[number], "title": f"{category}, {series[number]}: {value:,}"})
            labels.append({"x": at(x + width / 2), "y": at(top + plot - height - 3), "text": f"{value:,}"})
            labels[-1] |= {"anchor": "middle", "size": 10}
    axis = {"x1": 8, "x2": WIDTH, "y1": top + plot, "y2": top + plot}
    return chart(title, description, series, {"bars": drawn, "labels": labels, "axis": axis}, top + plot + 50)


def us_map(title: str, description: str, shaded: dict[str, str], points: list[dict]) -> str:
    """The states, ``shaded`` ones (by name: what each one's ``<title>`` says) filled, and ``points``
    ({"longitude", "latitude", "r", "label"}) projected where d3.geoAlbersUsa puts them (off the map:
    left out)."""
    states = [
        {"name": name, "d": d, "shaded": name in shaded, "label": shaded.get(name, name)}
        for name, d in maps.state_paths().items()
    ]
    placed = []
    for point in points:
        xy = maps.albers_usa(float(point["longitude"]), float(point["latitude"]))
        if xy is not None:
            placed.append(point | {"x": at(xy[0]), "y": at(xy[1]), "r": at(point["r"])})
    placed.sort(key=lambda point: -float(point["r"]))  # small circles over large ones
    context = {"title": title, "description": description, "states": states, "points": placed}
    size = {"width": maps.WIDTH, "height": maps.HEIGHT + 34 + 24}  # room for the title, and the source under Florida
    return render_to_string("reports/map.svg", context | size)
