"""Charts drawn once with reportlab graphics: the same ``Drawing`` goes into a PDF (as vector graphics)
and, through :func:`svg`, into a web page as inline SVG.

Each function takes plain, already-computed numbers (a selector's output) and labels already translated;
none queries the database. A chart never stands alone: the page or PDF puts the same numbers in a table
beside it, and :func:`svg` gives the picture a title and a description for screen readers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from lxml import etree
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

# Dark enough on white for non-text contrast (WCAG 1.4.11, at least 3:1) and told apart without colour
# too: bars carry a legend and every figure has its table.
PALETTE = ("#26374a", "#0072b2", "#b34700", "#00703c", "#6f3d8f", "#595959")
AXIS = colors.HexColor("#595959")
TEXT = colors.HexColor("#333333")
DEFAULT_FONT = "Helvetica"


@dataclass(frozen=True)
class Series:
    """One named row of values, one per category; ``None`` where there is no figure."""

    label: str
    values: Sequence[float | int | None]


def _colour(index: int):
    return colors.HexColor(PALETTE[index % len(PALETTE)])


def _numbers(values) -> list[float]:
    return [float(v) if v is not None else 0.0 for v in values]


def _value_range(series: Sequence[Series], floor: float = 0.0) -> tuple[float, float, float]:
    """(min, max, step) for a value axis that starts at zero and ends on a round number."""
    top = max([float(v) for s in series for v in s.values if v is not None] + [floor, 1.0])
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (magnitude / 5, magnitude / 2, magnitude, magnitude * 2):
        if top / step <= 6:
            break
    step = max(step, 1.0)
    upper = step * (int(top / step) + (0 if top % step == 0 else 1))
    return 0.0, upper, step


def _legend(drawing: Drawing, series: Sequence[Series], *, x: float, y: float, font: str,
            extra: Sequence[tuple[object, str]] = ()) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.fontName, legend.fontSize = font, 10
    legend.dx, legend.dy = 8, 8
    legend.colorNamePairs = [(_colour(i), s.label) for i, s in enumerate(series)] + list(extra)
    # One row: one entry per column, spaced by the longest label.
    legend.boxAnchor = "nw"
    legend.columnMaximum = 1
    legend.deltax = max(70, max((len(label) for _, label in legend.colorNamePairs), default=10) * 5.6 + 22)
    drawing.add(legend)


def _style_axes(chart, font: str, categories: Sequence[str]) -> None:
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.fillColor = TEXT
    chart.categoryAxis.strokeColor = AXIS
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labels.fillColor = TEXT
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.valueAxis.gridStrokeWidth = 0.5
    if len(categories) > 6:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 4, -2


def _point():
    from reportlab.graphics.widgets.markers import makeMarker

    symbol = makeMarker("FilledCircle")
    symbol.size = 4
    return symbol


def bar_chart(*, categories: Sequence[str], series: Sequence[Series], width: float = 640, height: float = 240,
              stacked: bool = False, font: str = DEFAULT_FONT, value_format: str = "%d") -> Drawing:
    """Vertical bars, one group per category and one bar per series (or one stacked bar)."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 42, 48 if len(categories) > 6 else 30
    chart.width, chart.height = width - 54, height - chart.y - 30
    chart.data = [_numbers(s.values) for s in series] or [[0] * len(categories)]
    low, high, step = _value_range(series)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = low, high, step
    chart.valueAxis.labelTextFormat = value_format
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barSpacing, chart.groupSpacing = 1, 6
    for index in range(len(series)):
        chart.bars[index].fillColor = _colour(index)
        chart.bars[index].strokeColor = None
    _style_axes(chart, font, categories)
    drawing.add(chart)
    _legend(drawing, series, x=chart.x, y=height - 6, font=font)
    return drawing


def line_chart(*, categories: Sequence[str], series: Sequence[Series], width: float = 640, height: float = 240,
               reference: tuple[str, float] | None = None, font: str = DEFAULT_FONT,
               value_format: str = "%d", below: float = 0, left: float = 42) -> Drawing:
    """Lines over categories; ``reference`` draws a dashed horizontal line (a target) with its label.

    A missing value (``None``) breaks nothing: the point is left out and the line joins its neighbours.
    ``below`` keeps that much room under the axis labels (for a timeline's rows), ``left`` for row labels.
    """
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = left, (48 if len(categories) > 6 else 30) + below
    chart.width, chart.height = width - left - 12, height - chart.y - 30
    series = [s for s in series if any(v is not None for v in s.values)]  # a series with no figure draws nothing
    chart.data = [[float(v) if v is not None else None for v in s.values] for s in series]
    if not chart.data:  # axes without a line: an invisible zero line keeps the chart's frame
        chart.data = [[0] * max(len(categories), 1)]
        chart.lines[0].strokeWidth = 0
        chart.lines[0].strokeColor = colors.white
    floor = reference[1] if reference else 0.0
    low, high, step = _value_range(series, floor=floor)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = low, high, step
    chart.valueAxis.labelTextFormat = value_format
    chart.joinedLines = 1
    for index in range(len(series)):
        chart.lines[index].strokeColor = _colour(index)
        chart.lines[index].strokeWidth = 1.5
        chart.lines[index].symbol = _point()
    _style_axes(chart, font, categories)
    drawing.add(chart)
    extra = ()
    if reference is not None:
        label, value = reference
        y = chart.y + (float(value) - low) / (high - low) * chart.height
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=colors.HexColor("#b34700"),
                         strokeDashArray=(4, 3), strokeWidth=1))
        extra = ((colors.HexColor("#b34700"), label),)
    _legend(drawing, series, x=chart.x, y=height - 6, font=font, extra=extra)
    return drawing


def empty_chart(message: str, *, width: float = 480, height: float = 60, font: str = DEFAULT_FONT) -> Drawing:
    """What stands where a chart would be when there are no figures: the reason, in words."""
    drawing = Drawing(width, height)
    drawing.add(String(8, height / 2, message, fontName=font, fontSize=9, fillColor=TEXT))
    return drawing


_ids = itertools.count(1)


def svg(drawing: Drawing, *, title: str, description: str = "") -> SafeString:
    """The drawing as inline SVG for a web page: ``role="img"`` named by its title and described by its
    description, ids unique on the page (several charts can share one page), and scaling to its container.
    Text in the drawing is escaped by the renderer; the title and description are escaped here."""
    root = etree.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    uid = f"chart-{next(_ids)}"
    renamed = {}
    for element in root.iter():
        old = element.get("id")
        if old:
            renamed[old] = f"{uid}-{old}"
            element.set("id", renamed[old])
    for element in root.iter():
        style = element.get("style")
        if style:
            for old, new in renamed.items():
                style = style.replace(f"url(#{old})", f"url(#{new})")
            element.set("style", style)
    for tag, text in (("title", title), ("desc", description)):
        node = root.find(f"{ns}{tag}")
        if node is None:
            node = etree.SubElement(root, f"{ns}{tag}")
        node.set("id", f"{uid}-{tag}")
        node.text = text
    root.set("role", "img")
    root.set("aria-labelledby", f"{uid}-title")
    if description:
        root.set("aria-describedby", f"{uid}-desc")
    else:
        root.remove(root.find(f"{ns}desc"))
    root.set("class", "chart")
    root.set("focusable", "false")
    root.set("style", f"max-width: {root.get('width')}px; width: 100%; height: auto;")
    return mark_safe(etree.tostring(root, encoding="unicode"))  # noqa: S308 - built and escaped by lxml above


@dataclass(frozen=True)
class Marker:
    """A dated event on a timeline: ``position`` counts categories from the left edge (1.5 = the middle of the
    second category), ``kind`` picks its row and shape, ``filled`` tells a hollow marker from a full one."""

    position: float
    kind: str
    filled: bool = True


def timeline_chart(*, categories: Sequence[str], series: Sequence[Series], markers: Sequence[Marker],
                   kinds: Sequence[tuple[str, str]], reference: tuple[str, float] | None = None,
                   width: float = 640, height: float = 300, font: str = DEFAULT_FONT) -> Drawing:
    """Events laid over a series: the line chart (with its target) above, one row of markers per event kind
    below it, on the same time axis. ``kinds`` gives each kind's legend label, in row order."""
    from reportlab.graphics.widgets.markers import makeMarker

    band = 24 * len(kinds) + 4
    drawing = line_chart(categories=categories, series=series, reference=reference, width=width,
                         height=height, font=font, below=band)
    chart = next(node for node in drawing.contents if isinstance(node, HorizontalLineChart))
    left, span = chart.x, chart.width
    shapes = ("Triangle", "Square", "Diamond", "Circle", "Cross")
    count = max(len(categories), 1)
    for row, (kind, label) in enumerate(kinds):
        y = band - 16 - row * 24
        colour = _colour(row + 1)
        drawing.add(String(left, y + 6, label, fontName=font, fontSize=8, fillColor=TEXT))
        drawing.add(Line(left, y, left + span, y, strokeColor=colors.HexColor("#dddddd"), strokeWidth=0.5))
        for marker in markers:
            if marker.kind != kind:
                continue
            x = left + min(max(marker.position, 0), count) / count * span
            shape = shapes[row % len(shapes)]
            symbol = makeMarker("Filled" + shape)
            symbol.x, symbol.y, symbol.size = x, y, 7
            symbol.fillColor = colour if marker.filled else colors.white
            symbol.strokeColor, symbol.strokeWidth = colour, 1.2
            drawing.add(symbol)
    return drawing
