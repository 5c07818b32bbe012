"""Charts as SVG, drawn on the server with matplotlib, for pages that show the same numbers in a table.

The table beside a chart is the truth, for screen readers and for anyone checking; the
chart is a picture of it with a title. Each SVG is a document of its own (served as an
image, so no inline style reaches the page) whose root has `role="img"` and a `<title>`.

Thread-safe: every chart is its own `matplotlib.figure.Figure` on its own SVG canvas;
pyplot and its global current-figure state are never used. The only process-wide setting
is made once at import: text stays text in the SVG (smaller, selectable, readable by
assistive technology), and ids are stable so the same numbers give the same bytes.
A value of None is a suppressed small count: no bar or point, and the bar is labelled "<5".
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "polku", "font.size": 10})

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402 (after the backend is chosen)
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MultipleLocator  # noqa: E402

# Okabe-Ito: told apart with the common colour-vision deficiencies; hatches tell them apart in grey too.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")
MARKERS = ("o", "s", "^", "D", "v", "P")
SUPPRESSED = "<5"
SMALL_BAR = 5  # the outlined bar of a suppressed count reaches the limit it is under
WIDTH_IN = 8.0

Series = Sequence[tuple[str, Sequence[int | None]]]


def _svg(figure: Figure, title: str) -> str:
    """The figure as an SVG document whose root has role="img" and `title` as its accessible name."""
    FigureCanvasSVG(figure)
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    text = out.getvalue()
    text = text.replace("<svg ", '<svg role="img" aria-labelledby="chart-title" ', 1)
    if f"<title>{escape(title)}</title>" in text:  # matplotlib writes the title given in the metadata
        return text.replace("<title>", '<title id="chart-title">', 1)
    return re.sub(r"(<svg [^>]*>)", lambda m: f'{m.group(1)}\n <title id="chart-title">{escape(title)}</title>',
                  text, count=1)


def _empty(figure: Figure, title: str, message: str) -> str:
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontweight="bold")
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    return _svg(figure, title)


def bar_chart(title: str, categories: Sequence[str], series: Series, *, axis_label: str,
              horizontal: bool = False, empty_message: str = "") -> str:
    """Grouped bars: one group per category, one bar per series, each bar labelled with its value."""
    height = max(3.2, 0.35 * len(categories) * max(1, len(series)) + 1.5) if horizontal else 4.0
    figure = Figure(figsize=(WIDTH_IN, min(height, 30.0)), layout="constrained")
    if not categories or not series:
        return _empty(figure, title, empty_message)
    ax = figure.add_subplot()
    width = 0.8 / len(series)
    slots = range(len(categories))
    top = max([v for _label, values in series for v in values if v is not None] + [SMALL_BAR])
    for i, (label, values) in enumerate(series):
        positions = [c - 0.4 + width * (i + 0.5) for c in slots]
        heights = [0 if v is None else v for v in values]
        style: dict[str, Any] = dict(label=label, color=COLOURS[i % len(COLOURS)], hatch=HATCHES[i % len(HATCHES)],
                     edgecolor="#1b1b1b", linewidth=0.6)
        if horizontal:
            ax.barh(positions, heights, height=width, **style)
        else:
            ax.bar(positions, heights, width=width, **style)
        # a small count is an outlined, dashed bar up to the limit: "somewhere under 5", never a blank
        small = [SMALL_BAR if v is None else 0 for v in values]
        outline: dict[str, Any] = dict(facecolor="white", edgecolor=COLOURS[i % len(COLOURS)], linestyle="--",
                                       linewidth=1.0)
        if any(small) and horizontal:
            ax.barh(positions, small, height=width, **outline)
        elif any(small):
            ax.bar(positions, small, width=width, **outline)
        label_at = [SMALL_BAR if v is None else v for v in values]
        for position, at, value in zip(positions, label_at, values):
            text = SUPPRESSED if value is None else str(value)
            if horizontal:
                ax.annotate(text, (at, position), xytext=(2, 0), textcoords="offset points", va="center", fontsize=8)
            else:
                ax.annotate(text, (position, at), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    ticks, names = list(slots), list(categories)
    # the count axis in steps of 5 or 10: no tick label 1-4 beside a bar that says "<5"
    step = SMALL_BAR
    while top / step > 8:
        step *= 2
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MultipleLocator(step))
    if horizontal:
        ax.set_yticks(ticks, names)
        ax.invert_yaxis()
        ax.set_xlabel(axis_label)
        ax.set_xlim(0, top * 1.15 + 1)
    else:
        ax.set_xticks(ticks, names, rotation=30 if len(categories) > 6 else 0,
                      ha="right" if len(categories) > 6 else "center")
        ax.set_ylabel(axis_label)
        ax.set_ylim(0, top * 1.15 + 1)
    ax.set_title(title, loc="left", fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _svg(figure, title)


def line_chart(title: str, x_labels: Sequence[str], series: Series, *, low: int, high: int,
               end_labels: Mapping[int, str] | None = None, empty_message: str = "") -> str:
    """One line per series over `x_labels` on a fixed scale low..high; None leaves a gap."""
    figure = Figure(figsize=(WIDTH_IN, 4.0), layout="constrained")
    if not x_labels or not series:
        return _empty(figure, title, empty_message)
    ax = figure.add_subplot()
    xs = list(range(len(x_labels)))
    for i, (label, values) in enumerate(series):
        ys = [float("nan") if v is None else v for v in values]
        ax.plot(xs, ys, label=label, color=COLOURS[i % len(COLOURS)], marker=MARKERS[i % len(MARKERS)],
                linewidth=2)
    ax.set_xticks(xs, list(x_labels))
    ticks = list(range(low, high + 1))
    ax.set_yticks(ticks, [f"{t} {(end_labels or {}).get(t, '')}".strip() for t in ticks])
    ax.set_ylim(low - 0.3, high + 0.3)
    if len(xs) == 1:
        ax.set_xlim(-0.5, 0.5)
    ax.grid(axis="y", color="#c4c4c4", linewidth=0.6)
    ax.set_title(title, loc="left", fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return _svg(figure, title)
