"""A reportlab canvas that keeps its pages until save(), so each footer can say
"page X of Y" (the total is known only at the end), with a line of text on the left."""

from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as rl_canvas

from service.rendering.pdf_sheet import clip


class NumberedCanvas(rl_canvas.Canvas):
    """Footer: a rule, `left` (shortened so it never runs into the page number) and
    `page_fmt` ("Halaman {page} dari {total}") on the right, in `font` at `size`."""

    def __init__(self, *args: Any, left: str, page_fmt: str, font: str, size: float = 8,
                 margin: float = 2 * cm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._left, self._page_fmt, self._font, self._size = left, page_fmt, font, size
        self._margin = margin
        self._kept_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._kept_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._kept_pages)
        for state in self._kept_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        # The page's own width: a landscape page's footer spans its whole width.
        width, y = self._pagesize[0], 1.2 * cm
        font, size, margin = self._font, self._size, self._margin
        self.saveState()
        self.setStrokeColor(colors.HexColor("#999999"))
        self.setLineWidth(0.5)
        self.line(margin, y + 0.35 * cm, width - margin, y + 0.35 * cm)
        self.setFont(font, size)
        self.setFillColor(colors.HexColor("#444444"))
        page = self._page_fmt.format(page=self._pageNumber, total=total)
        self.drawRightString(width - margin, y, page)
        room = width - 2 * margin - pdfmetrics.stringWidth(page, font, size) - 0.8 * cm
        self.drawString(margin, y, clip(self._left, font, size, room))
        self.restoreState()
