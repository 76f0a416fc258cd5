"""Parquet files as a frame of text cells, the column names as its first row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from toolkit.exceptions import UnreadableFileError
from toolkit.i18n import gettext as _
from toolkit.ingest.boundary import short_message
from toolkit.ingest.cells import IMPRECISE, cell_text, imprecise_number, long_number_rows


def read_parquet(path: Path, data: bytes | None = None) -> tuple[str | None, pd.DataFrame, None]:
    """``(None, frame, None)`` of a Parquet file (``data``: its bytes as read once,
    ``ingest.snapshot``): the column names as row 1, then the rows as text cells
    (integer columns cast to text in Arrow, so long ids keep every digit)."""
    try:
        table = pq.read_table(pa.BufferReader(data) if data is not None else path)
    except Exception as exc:
        raise UnreadableFileError(
            _("the Parquet file cannot be read ({error}: {value})").format(error=type(exc).__name__, value=short_message(exc)),
            file=path,
            hint=_("write it again (e.g. DataFrame.to_parquet), or supply the table as .xlsx or CSV"),
        ) from exc
    names = [str(c) for c in table.column_names]
    body = {}
    imprecise = {}
    for i, col in enumerate(table.columns):
        if pa.types.is_integer(col.type):
            # as text in Arrow: pandas would turn an integer column with nulls into
            # float64 and round 18-digit ids
            col = pc.cast(col, pa.string())
        values = col.to_pandas()
        body[i] = cell_text(values)
        if pa.types.is_floating(col.type):  # a float of more digits than it holds
            rows = long_number_rows(body[i])
            rows = rows[[imprecise_number(v) for v in values.to_numpy()[rows]]] if len(rows) else rows
            if len(rows):
                imprecise[i] = rows + 1  # below the header row
    body = pd.DataFrame(body, columns=range(len(names)))
    header = pd.DataFrame([names], columns=range(len(names)))
    frame = pd.concat([header, body], ignore_index=True) if len(body) else header
    frame.attrs[IMPRECISE] = imprecise
    return None, frame, None
