"""Server-side SVG bar charts: geometry computed here, drawn by ``review/includes/bar_chart.html``."""

from dataclasses import dataclass, field

BAR_WIDTH = 600  # user units of the SVG viewBox; the chart scales to its container
LABEL_WIDTH = 150
ROW_HEIGHT = 10


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    label: str
    count: int


@dataclass
class Bar:
    label: str
    title: str
    total: int
    y: int
    segments: list[Segment]
    end: float = 0  # where the bar stops, for the total written after it

    @property
    def summary(self) -> str:
        parts = ", ".join(f"{segment.label} : {segment.count}" for segment in self.segments)
        return f"{self.label} {self.title} — {parts or 'aucune réponse'}"


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + 40

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT


def stacked_bars(distributions, levels: list[dict]) -> Chart:
    """One bar per distribution, split by level in scale order, each part as wide as its share."""
    chart = Chart()
    for index, distribution in enumerate(distributions):
        total = distribution.total
        x, segments = float(LABEL_WIDTH), []
        for level in levels:
            count = distribution.counts.get(level["code"], 0)
            if not count:
                continue
            width = BAR_WIDTH * count / total
            segments.append(Segment(round(x, 2), round(width, 2), level["colour"], level["label"], count))
            x += width
        chart.bars.append(Bar(distribution.code, distribution.title, total, index * ROW_HEIGHT, segments, x))
    return chart


def count_bars(rows: list[dict], *, of: int, colour: str = "#000091") -> Chart:
    """One bar per row ({"label", "count"}), as wide as its share of ``of``."""
    chart = Chart()
    for index, row in enumerate(rows):
        width = BAR_WIDTH * row["count"] / of if of else 0
        segment = Segment(LABEL_WIDTH, round(width, 2), colour, row["label"], row["count"])
        chart.bars.append(
            Bar(row["label"], "", row["count"], index * ROW_HEIGHT, [segment], LABEL_WIDTH + width)
        )
    return chart
