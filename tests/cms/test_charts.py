"""Charts are drawn once: the same reportlab drawing is vector graphics in a PDF and accessible SVG on a page."""

from lxml import etree
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from cms.charts import Series, bar_chart, empty_chart, line_chart, svg

SVG = "{http://www.w3.org/2000/svg}"


def strings(drawing) -> list[str]:
    """The text the drawing shows, read back from its SVG rendering."""
    root = etree.fromstring(renderSVG.drawToString(drawing).encode())
    return [node.text for node in root.iter(f"{SVG}text")]


def test_a_bar_chart_names_its_categories_and_series():
    drawing = bar_chart(categories=["2025-26 T1", "2025-26 T2"],
                        series=[Series("Demandés", [10, 12]), Series("Délivrés", [4, None])])
    text = strings(drawing)
    assert "2025-26 T1" in text and "2025-26 T2" in text
    assert "Demandés" in text and "Délivrés" in text


def test_a_line_chart_draws_its_target_and_labels_it():
    drawing = line_chart(categories=["Q1", "Q2", "Q3"], series=[Series("Median days", [40, None, 25])],
                         reference=("Target (30 days)", 30))
    assert "Target (30 days)" in strings(drawing)
    # The value axis reaches the target even when every value is under it.
    low = line_chart(categories=["Q1"], series=[Series("Median days", [5])], reference=("Target", 90))
    chart = next(node for node in low.contents if hasattr(node, "valueAxis"))
    assert chart.valueAxis.valueMax >= 90


def test_svg_is_an_image_named_and_described_with_ids_unique_on_the_page():
    first = svg(bar_chart(categories=["A"], series=[Series("n", [1])]), title="Requests <by> quarter",
                description="Ten & more")
    second = svg(bar_chart(categories=["A"], series=[Series("n", [1])]), title="Other")
    one, two = etree.fromstring(first.encode()), etree.fromstring(second.encode())
    assert one.get("role") == "img"
    title_id = one.get("aria-labelledby")
    assert one.find(f"{SVG}title").get("id") == title_id
    assert one.find(f"{SVG}title").text == "Requests <by> quarter"
    assert one.find(f"{SVG}desc").get("id") == one.get("aria-describedby")
    assert two.get("aria-describedby") is None and two.find(f"{SVG}desc") is None
    ids_one = {e.get("id") for e in one.iter() if e.get("id")}
    ids_two = {e.get("id") for e in two.iter() if e.get("id")}
    assert ids_one and not ids_one & ids_two
    # Clip paths follow their renamed ids.
    for element in one.iter():
        if "url(#" in (element.get("style") or ""):
            target = element.get("style").split("url(#")[1].split(")")[0]
            assert target in ids_one


def test_labels_from_data_are_escaped_not_markup():
    out = svg(bar_chart(categories=["<script>alert(1)</script>"], series=[Series("x & y", [3])]), title="t")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_an_empty_chart_says_why():
    drawing = empty_chart("No figures for this period.")
    assert isinstance(drawing, Drawing)
    assert strings(drawing) == ["No figures for this period."]
