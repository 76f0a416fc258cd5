"""The column accumulator the record builders collect their rows in, and the counter
that numbers their trainees."""

from __future__ import annotations

import numpy as np


class ColumnAccumulator:
    """Column accumulator: append arrays per column, concatenate once."""

    def __init__(self, *cols: str):
        self.cols = {c: [] for c in cols}
        self.n = 0

    def add(self, n: int, **values) -> np.ndarray:
        for c, parts in self.cols.items():
            v = values[c]
            parts.append(np.full(n, v, dtype=object if isinstance(v, str) or v is None else None)
                         if np.ndim(v) == 0 else np.asarray(v))
        pos = np.arange(self.n, self.n + n)
        self.n += n
        return pos

    def arrays(self) -> dict[str, np.ndarray]:
        return {c: (np.concatenate(p) if p else np.array([])) for c, p in self.cols.items()}


class Counter:
    """Consecutive numbers handed out in blocks (trainee numbers of a builder)."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, n: int) -> np.ndarray:
        out = np.arange(self.next, self.next + n, dtype=np.int64)
        self.next += n
        return out
