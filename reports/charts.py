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
GAP = 4


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


def bars(
    title: str,
    description: str,
    categories: list[str],
    series: list[str],
    values: list[list],
    *,
    stacked: bool,
    money: bool = False,
) -> str:
    """A horizontal bar chart: a row per category, a bar per series in it, side by side along the row
    (``stacked``) or one under another. ``values[row][series]``; a zero draws nothing."""
    label = dollars if money else (lambda value: f"{value:,}")
    left = min(220, 12 + 7 * max((len(name) for name in categories), default=4))
    plot, top = WIDTH - left - 70, 64
    largest = float(max((sum(row) if stacked else max(row, default=0) for row in values), default=0) or 1)
    lanes_per_row, bar_height = (1, 16) if stacked else (len(series), 11)
    lane = bar_height + GAP
    row_height = lanes_per_row * lane + 8
    rows = []
    for index, (category, row) in enumerate(zip(categories, values, strict=True)):
        y = top + index * row_height
        numbered = list(enumerate(row))
        lanes = [(y, numbered)] if stacked else [(y + n * lane, [(n, value)]) for n, value in numbered]
        drawn, notes = [], []
        for lane_y, parts in lanes:
            x = left
            for number, value in parts:
                width = float(value) / largest * plot
                if value:
                    bar = {"x": at(x), "y": lane_y, "width": at(max(width, 1)), "height": bar_height}
                    bar |= {"colour": PALETTE[number]}
                    drawn.append(bar | {"name": series[number], "label": label(value)})
                x += width
            total = sum(value for _, value in parts)
            notes.append({"x": at(x + 4), "y": lane_y + bar_height - 3, "label": label(total)})
        middle = y + (lanes_per_row * lane - GAP) // 2 + 4
        rows.append({"name": category, "y": middle, "bars": drawn, "notes": notes})
    legend, x = [], 0
    for number, name in enumerate(series):
        legend.append({"name": name, "colour": PALETTE[number], "x": at(x), "text_x": at(x + 20)})
        x += 24 + 6.5 * len(name)
    height = top + len(categories) * row_height + 28
    context = {"title": title, "description": description, "rows": rows, "legend": legend}
    frame = {"left": left, "label_x": left - 6, "axis_top": top - 4, "axis_bottom": height - 24}
    return render_to_string("reports/bars.svg", context | frame | {"width": WIDTH, "height": height})


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
