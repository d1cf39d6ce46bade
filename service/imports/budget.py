"""How much work reading one upload may cost: cells parsed and CPU seconds.

A valid but heavy workbook (5.5 MB, 64 MB unpacked) cost 20 s of CPU before it was
refused for a missing column; the header check now comes first, and these bounds stop
whatever a file holds after its header before it costs more than a real list would.
"""

import time

from service.imports.errors import ReadTooLong, TooManyCells

# A real list: 20,000 rows of 15-30 columns at most.
MAX_CELLS = 2_000_000
# Reading 20,000 rows takes about a second here.
MAX_SECONDS = 15.0


class Budget:
    """Cells and seconds left for one upload; `charge` refuses the file once either ends."""

    def __init__(self, max_cells: int = MAX_CELLS, max_seconds: float = MAX_SECONDS) -> None:
        self.max_cells, self.max_seconds = max_cells, max_seconds
        self.cells = 0
        # CPU time of this thread: what the upload costs, whatever else the server does.
        self._deadline = time.thread_time() + max_seconds

    def charge(self, cells: int = 0) -> None:
        self.cells += cells
        if self.cells > self.max_cells:
            raise TooManyCells(self.max_cells)
        if time.thread_time() > self._deadline:
            raise ReadTooLong(self.max_seconds)
