"""Charts drawn on the server as inline SVG (no script, no build step): bars or a line over labelled points, with
an optional target line. Coordinates are computed in Decimal and written with one decimal place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 24
ONE = Decimal("0.1")


@dataclass(frozen=True, slots=True, kw_only=True)
class Point:
    label: str  # "Nov 2026"
    value: Decimal
    shown: str  # the value as the page prints it ("75.00%")
    href: str = ""  # where a click on the bar or point goes (the claims behind it)


def _n(value: Decimal) -> str:
    return str(value.quantize(ONE, rounding=ROUND_HALF_UP))


def _scale(points: Sequence[Point], target: Decimal | None) -> Decimal:
    top = max([p.value for p in points] + ([target] if target is not None else []) + [Decimal(0)])
    return top if top > 0 else Decimal(1)


def chart(
    title: str, points: Sequence[Point], *, kind: str = "bar", target: Decimal | None = None, target_text: str = ""
) -> Markup:
    """An SVG of ``points`` as bars (``kind="bar"``) or a line (``"line"``), scaled from 0 to the largest value or
    the target, the target drawn as a dashed line; each point has a tooltip and, when given, a link."""
    plot_w = Decimal(WIDTH - LEFT - RIGHT)
    plot_h = Decimal(HEIGHT - TOP - BOTTOM)
    top = _scale(points, target)
    step = plot_w / max(len(points), 1)

    def y(value: Decimal) -> Decimal:
        return Decimal(TOP) + plot_h - plot_h * max(value, Decimal(0)) / top

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#888"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end" font-size="10">{escape(_n(top))}</text>',
        f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    line: list[str] = []
    for index, p in enumerate(points):
        x0 = Decimal(LEFT) + step * index
        middle = x0 + step / 2
        tip = f"<title>{escape(p.label)}: {escape(p.shown)}</title>"
        if kind == "bar":
            bar_w = step * Decimal("0.6")
            mark = (
                f'<rect class="bar" x="{_n(middle - bar_w / 2)}" y="{_n(y(p.value))}" width="{_n(bar_w)}" '
                f'height="{_n(TOP + plot_h - y(p.value))}" fill="#3a6ea5">{tip}</rect>'
            )
        else:
            line.append(f"{_n(middle)},{_n(y(p.value))}")
            mark = f'<circle class="point" cx="{_n(middle)}" cy="{_n(y(p.value))}" r="3" fill="#3a6ea5">{tip}</circle>'
        if p.href:
            mark = f'<a href="{escape(p.href)}">{mark}</a>'
        parts.append(mark)
        parts.append(
            f'<text x="{_n(middle)}" y="{HEIGHT - 8}" text-anchor="middle" font-size="10">{escape(p.label)}</text>'
        )
    if line:
        parts.insert(5, f'<polyline fill="none" stroke="#3a6ea5" stroke-width="2" points="{" ".join(line)}"/>')
    if target is not None:
        ty = _n(y(target))
        parts.append(
            f'<line class="target" x1="{LEFT}" y1="{ty}" x2="{WIDTH - RIGHT}" y2="{ty}" stroke="#b22" '
            f'stroke-dasharray="4 3"><title>target {escape(target_text)}</title></line>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute above is escaped; numbers are Decimals
