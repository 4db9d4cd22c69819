"""Place point labels so they do not cover each other (greedy, a few candidate spots per point).

Good enough for the 10-30 brands a chart shows; avoids a dependency such as
adjustText for one chart.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

# (dx, dy) in points, horizontal alignment: right, left, above, below, diagonals
_SPOTS = ((7, 4, "left"), (-7, 4, "right"), (7, -11, "left"), (-7, -11, "right"), (0, 12, "center"), (0, -18, "center"), (12, 18, "left"), (-12, 18, "right"), (12, -24, "left"), (-12, -24, "right"))


def place_labels(ax: Axes, xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], radii_pt: Sequence[float], **style: object) -> None:
    """Annotate each point with its text at the free spot that overlaps least with labels and bubbles."""
    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)  # type: ignore[arg-type]
    fig.draw_without_rendering()  # settle the layout so data → pixel positions are final
    renderer = canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    centres = ax.transData.transform(list(zip(xs, ys, strict=True)))
    bubbles = [Bbox.from_bounds(cx - r * px_per_pt, cy - r * px_per_pt, 2 * r * px_per_pt, 2 * r * px_per_pt) for (cx, cy), r in zip(centres, radii_pt, strict=True)]
    placed: list[Bbox] = []
    order = sorted(range(len(texts)), key=lambda i: -radii_pt[i])  # big bubbles choose first
    for i in order:
        best = None
        for dx, dy, ha in _SPOTS:
            pad = radii_pt[i] * 0.7 if dx else 0.0
            off = (dx + (pad if dx > 0 else -pad), dy + (radii_pt[i] * 0.7 * (1 if dy > 0 else -1) if not dx else 0))
            ann = ax.annotate(texts[i], (xs[i], ys[i]), xytext=off, textcoords="offset points", ha=ha, va="bottom", **style)  # type: ignore[arg-type]
            ann.set_in_layout(False)
            box = ann.get_window_extent(renderer)
            cost = sum(_overlap(box, b) for b in placed) * 3 + sum(_overlap(box, b) for j, b in enumerate(bubbles) if j != i) + (0 if ax.bbox.contains(box.x0, box.y0) and ax.bbox.contains(box.x1, box.y1) else box.width * box.height)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, ann, box)
            else:
                ann.remove()
            if cost == 0:
                break
        assert best is not None
        placed.append(best[2])


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0
