"""The US map: the states' shapes from us-atlas and d3's Albers USA projection for places on it.

``shapes/states-albers-10m.json`` is us-atlas's TopoJSON of the Census Bureau's cartographic state
boundaries, already projected by ``d3.geoAlbersUsa().scale(1300).translate([487.5, 305])`` onto a
975 x 610 plane (shapes/README.md). ``albers_usa`` is that projection, step for step as d3-geo 3
computes it, so that a place's latitude and longitude land where its state is drawn: the lower 48
on one Albers conic equal-area projection, Alaska and Hawaii each on its own, moved into boxes below.
"""

import json
import math
from collections.abc import Callable
from functools import cache
from pathlib import Path

WIDTH, HEIGHT = 975, 610
SCALE, TRANSLATE = 1300, (487.5, 305)
EPSILON = 1e-6

Point = tuple[float, float]


def conic_equal_area(parallels: Point, rotate: float, center: Point, scale: float, translate: Point):
    """d3.geoConicEqualArea().parallels(parallels).rotate([rotate, 0]).center(center).scale(scale)
    .translate(translate): (longitude, latitude) in degrees to the plane."""
    sin0 = math.sin(math.radians(parallels[0]))
    n = (sin0 + math.sin(math.radians(parallels[1]))) / 2
    c = 1 + sin0 * (2 * n - sin0)
    r0 = math.sqrt(c) / n

    def raw(lam: float, phi: float) -> Point:
        r = math.sqrt(c - 2 * n * math.sin(phi)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    cx, cy = raw(math.radians(center[0]), math.radians(center[1]))  # d3 centers on the unrotated point
    dx, dy = translate[0] - scale * cx, translate[1] + scale * cy

    def project(longitude: float, latitude: float) -> Point:
        lam = math.radians(longitude + rotate)
        if abs(lam) > math.pi:
            lam -= round(lam / math.tau) * math.tau
        x, y = raw(lam, math.radians(latitude))
        return dx + scale * x, dy - scale * y

    return project


def albers_usa_parts(k: float = SCALE, origin: Point = TRANSLATE) -> list[tuple[Callable, tuple[Point, Point]]]:
    """d3.geoAlbersUsa's three projections, each with the box its points must fall in."""
    x, y = origin
    lower48 = conic_equal_area((29.5, 45.5), 96, (-0.6, 38.7), k, origin)
    alaska = conic_equal_area((55, 65), 154, (-2, 58.5), k * 0.35, (x - 0.307 * k, y + 0.201 * k))
    hawaii = conic_equal_area((8, 18), 157, (-3, 19.9), k, (x - 0.205 * k, y + 0.212 * k))
    e = EPSILON
    return [
        (lower48, ((x - 0.455 * k, y - 0.238 * k), (x + 0.455 * k, y + 0.238 * k))),
        (alaska, ((x - 0.425 * k + e, y + 0.120 * k + e), (x - 0.214 * k - e, y + 0.234 * k - e))),
        (hawaii, ((x - 0.214 * k + e, y + 0.166 * k + e), (x - 0.115 * k - e, y + 0.234 * k - e))),
    ]


PARTS = albers_usa_parts()


def albers_usa(longitude: float, latitude: float) -> Point | None:
    """A place's point on the map, or None off it (Puerto Rico, Guam…), as d3.geoAlbersUsa projects it."""
    for project, ((x0, y0), (x1, y1)) in PARTS:
        x, y = project(longitude, latitude)
        if x0 <= x <= x1 and y0 <= y <= y1:
            return x, y
    return None


def decode_arcs(topology: dict) -> list[list[Point]]:
    """A quantized TopoJSON topology's arcs as points on the plane (each arc's positions are deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    """A ring of arcs (``~i`` is arc ``i`` reversed); each arc starts where the one before ends."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


@cache
def states() -> dict[str, list[list[Point]]]:
    """Each state's rings (outer boundaries and holes), by the state's name. Read once per process."""
    topology = json.loads((Path(__file__).parent / "shapes" / "states-albers-10m.json").read_text())
    arcs = decode_arcs(topology)
    shapes = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[geometry["properties"]["name"]] = [ring(arcs, rings) for polygon in polygons for rings in polygon]
    return shapes


def path(rings: list[list[Point]]) -> str:
    """SVG path data of ``rings``, to a tenth of a unit (a tenth of a pixel at the map's own size)."""
    return "".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z" for points in rings)


@cache
def state_paths() -> dict[str, str]:
    return {name: path(rings) for name, rings in states().items()}


def contains(rings: list[list[Point]], point: Point) -> bool:
    """Whether ``point`` is inside ``rings`` (even-odd: a hole's inside is outside)."""
    x, y = point
    inside = False
    for points in rings:
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside
