"""Server-side SVG charts: readable in the browser and in WeasyPrint PDFs, with a text alternative.

Pair every chart with a table of its numbers in the page; the SVG carries role="img", a <title>
and a <desc> listing the values, so screen readers get the numbers too.
"""

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
    value: int | float | Decimal
    muted: bool = False  # e.g. "Ved ikke", drawn apart in grey


def _fmt(value) -> str:
    return number(value)


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
    """A horizontal bar chart; value labels printed at the end of each bar. Charts set side by
    side pass the same ``maximum`` so their bars share one scale."""
    top = 8
    height = top + len(bars) * (bar_height + 8) + 8
    maximum = maximum or max((float(b.value) for b in bars), default=0) or 1
    plot = width - label_width - 70
    desc = "; ".join(f"{b.label}: {_fmt(b.value)}{unit}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label={quoteattr(title)} font-family="DejaVu Sans, Arial, sans-serif" '
        f'font-size="13">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + 8)
        length = 0 if maximum == 0 else max(0.0, float(bar.value)) / maximum * plot
        colour = "#8c8c8c" if bar.muted else PALETTE[0]
        label = escape(bar.label if len(bar.label) <= 34 else bar.label[:33] + "…")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" fill="#1b1b1b">{label}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#1b1b1b">'
            f"{_fmt(bar.value)}{escape(unit)}</text>"
        )
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
