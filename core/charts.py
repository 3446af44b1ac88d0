"""Server-side SVG charts: readable in the browser and in WeasyPrint PDFs, with a text alternative.

Pair every chart with a table of its numbers in the page; the SVG carries role="img", a <title>
and a <desc> listing the values, so screen readers get the numbers too.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from core.words import number

PALETTE = ["#0a4f8a", "#b34700", "#2e7d32", "#6a1b9a", "#00695c", "#8a1c1c", "#455a64"]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float | Decimal | None  # None: no value (e.g. an answer the period did not have)
    muted: bool = False  # e.g. "Ved ikke", drawn apart in grey


# Two series side by side: the earlier one light, the current one in the palette's blue.
PAIR_COLOURS = ["#5b8db8", "#0a4f8a", "#b34700"]  # the light one 3.5:1 on white (WCAG 1.4.11)
MUTED_PAIR = ["#8c8c8c", "#5f5f5f", "#404040"]

NO_VALUE = "–"  # what a table shows for a missing value; the chart says the same, never 0

# DejaVu Sans (the PDFs' font) averages about 0.6 em per character; a little more keeps a wrapped
# label inside its column in Arial or whatever the browser substitutes.
CHAR_EM = 0.62
LINE_HEIGHT = 1.2  # em


def _fmt(value) -> str:
    return number(value)


def label_lines(label: str, width: float, font_size: float = 13) -> list[str]:
    """The label wrapped onto as many lines as it needs to fit ``width`` pixels: never cut."""
    return textwrap.wrap(label, max(4, int(width / (font_size * CHAR_EM)))) or [""]


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 230,
    unit: str = "",
    maximum: float | None = None,
) -> SafeString:
    """A horizontal bar chart; value labels printed at the end of each bar, "–" for a bar
    without a value. A long label wraps onto more lines (its row grows) rather than being cut.
    Charts set side by side pass the same ``maximum`` so their bars share one scale."""
    font, gap, top = 13, 8, 8
    line = font * LINE_HEIGHT
    lines = [label_lines(b.label, label_width - 8, font) for b in bars]
    rows = [max(bar_height, len(ls) * line) for ls in lines]
    height = top + sum(r + gap for r in rows) + 8
    maximum = maximum or max((float(b.value) for b in bars if b.value is not None), default=0) or 1
    plot = width - label_width - 70
    desc = "; ".join(f"{b.label}: {_value(b, unit)}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="{width}" '
        f'height="{height:.0f}" role="img" aria-label={quoteattr(title)} font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="{font}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    y = top
    for bar, label, row in zip(bars, lines, rows, strict=True):
        length = 0.0 if bar.value is None else max(0.0, float(bar.value)) / maximum * plot
        colour = "#8c8c8c" if bar.muted else PALETTE[0]
        bar_y = y + (row - bar_height) / 2
        parts.append(_label(label, label_width - 8, y + (row - len(label) * line) / 2 + font, line))
        parts.append(_bar(label_width, bar_y, length, bar_height, colour, _value(bar, unit)))
        y += row + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _value(bar: Bar, unit: str) -> str:
    return NO_VALUE if bar.value is None else f"{_fmt(bar.value)}{unit}"


def _label(lines: Sequence[str], x: float, first: float, line: float) -> str:
    """A label's lines right-aligned at ``x``, the first baseline at ``first``."""
    spans = "".join(
        f'<tspan x="{x:g}" y="{first + i * line:.1f}">{escape(text)}</tspan>' for i, text in enumerate(lines)
    )
    return f'<text text-anchor="end" fill="#1b1b1b">{spans}</text>'


def _bar(x: float, y: float, length: float, height: float, colour: str, value: str, size: int = 0) -> str:
    """One bar from ``x`` and its value printed just after its end."""
    font = f' font-size="{size}"' if size else ""
    return (
        f'<rect x="{x}" y="{y:.1f}" width="{length:.1f}" height="{height}" fill="{colour}"/>'
        f'<text x="{x + length + 6:.1f}" y="{y + height * 0.72:.1f}"{font} fill="#1b1b1b">{escape(value)}</text>'
    )


def paired_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | Decimal | None]]],
    *,
    width: int = 640,
    bar_height: int = 14,
    label_width: int = 230,
    unit: str = "",
    muted: frozenset[str] = frozenset(),
) -> SafeString:
    """Horizontal bars of two or more series side by side per label (e.g. two periods' shares of
    each answer), one scale, a legend on top; a label is written once and wraps rather than
    being cut; a missing value reads "–" (never 0). ``muted`` labels are drawn in grey shades."""
    font, gap, legend = 13, 10, 24
    line = font * LINE_HEIGHT
    lines = [label_lines(label, label_width - 8, font) for label in labels]
    rows = [max(len(series) * bar_height, len(ls) * line) for ls in lines]
    height = legend + sum(r + gap for r in rows) + 4
    values = [float(v) for _name, vs in series for v in vs if v is not None]
    maximum = max(values, default=0) or 1
    plot = width - label_width - 70
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{name} {_value(Bar(label, vs[i]), unit)}" for name, vs in series)
        for i, label in enumerate(labels)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="{width}" '
        f'height="{height:.0f}" role="img" aria-label={quoteattr(title)} font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="{font}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    x = float(label_width)
    for si, (name, _values) in enumerate(series):
        parts.append(
            f'<rect x="{x:.1f}" y="4" width="12" height="12" fill="{PAIR_COLOURS[si % len(PAIR_COLOURS)]}"/>'
            f'<text x="{x + 16:.1f}" y="15" fill="#1b1b1b">{escape(name)}</text>'
        )
        x += 16 + len(name) * font * CHAR_EM + 18  # the next entry starts after this one's text
    y = legend
    for i, (label, text_lines, row) in enumerate(zip(labels, lines, rows, strict=True)):
        parts.append(_label(text_lines, label_width - 8, y + (row - len(text_lines) * line) / 2 + font, line))
        top = y + (row - len(series) * bar_height) / 2
        for si, (_name, vs) in enumerate(series):
            value = vs[i]
            length = 0.0 if value is None else max(0.0, float(value)) / maximum * plot
            shades = MUTED_PAIR if label in muted else PAIR_COLOURS
            bar_y = top + si * bar_height
            colour = shades[si % len(shades)]
            parts.append(
                _bar(label_width, bar_y, length, bar_height - 2, colour, _value(Bar(label, value), unit), 11)
            )
        y += row + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def column_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Grouped vertical columns (e.g. per quarter), with a legend; series = [(name, values)]."""
    left, bottom, top = 50, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - top
    maximum = max((float(v) for _, values in series for v in values), default=0) or 1
    group = plot_w / max(1, len(categories))
    bar_w = group * 0.8 / max(1, len(series))
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{c} {_fmt(v)}" for c, v in zip(categories, values, strict=False))
        for name, values in series
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label={quoteattr(title)} font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#555"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" fill="#1b1b1b">{_fmt(maximum)}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" fill="#1b1b1b">0</text>',
    ]
    for ci, category in enumerate(categories):
        x0 = left + ci * group + group * 0.1
        for si, (_name, values) in enumerate(series):
            value = float(values[ci]) if ci < len(values) else 0.0
            h = value / maximum * plot_h
            parts.append(
                f'<rect x="{x0 + si * bar_w:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w * 0.95:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}"/>'
            )
        parts.append(
            f'<text x="{left + ci * group + group / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'fill="#1b1b1b">{escape(category)}</text>'
        )
    for si, (name, _values) in enumerate(series):
        x = left + si * 150
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="16" fill="#1b1b1b">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
