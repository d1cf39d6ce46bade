"""A reportlab canvas that keeps its pages until save(), so each footer can say
"page X of Y" (the total is known only at the end)."""

from typing import Any

from reportlab.pdfgen import canvas as rl_canvas


class NumberedCanvas(rl_canvas.Canvas):
    """Subclasses draw the footer in `draw_footer(total)`; `_pageNumber` is the page's."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._kept_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._kept_pages)
        for state in self._kept_pages:
            self.__dict__.update(state)
            self.draw_footer(total)
            super().showPage()
        super().save()

    def draw_footer(self, total: int) -> None:
        raise NotImplementedError
