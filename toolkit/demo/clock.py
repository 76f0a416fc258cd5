"""Time helpers of the generator: int64 seconds since 1970 (naive Beijing time), seasonal
random moments in a year, and the vectorised split of times into their parts."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# relative weight of each month (training is seasonal)
_MONTH_W = np.array([0.6, 0.5, 1.3, 1.4, 1.2, 1.0, 0.8, 0.7, 1.3, 1.4, 1.2, 0.9])

# zero-padded two-digit text of 0..99
PAD2 = np.array([f"{i:02d}" for i in range(100)], dtype=object)


def epoch(y: int, m: int = 1, d: int = 1, hh: int = 0, mm: int = 0, ss: int = 0) -> int:
    """Seconds since 1970-01-01 00:00:00 of a naive moment."""
    return int((dt.datetime(y, m, d, hh, mm, ss) - dt.datetime(1970, 1, 1)).total_seconds())


def rand_times(rng, n: int, year: int, margin_days: int = 0) -> np.ndarray:
    """n moments in the year (seasonal), at least margin_days before its end."""
    start = epoch(year)
    ndays = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1 - margin_days
    months = (np.arange(ndays).astype("timedelta64[D]") + np.datetime64(f"{year}-01-01")
              ).astype("datetime64[M]").astype(int) % 12
    w = _MONTH_W[months]
    days = rng.choice(ndays, size=n, p=w / w.sum())
    secs = rng.integers(7 * 3600 + 1800, 24 * 3600, size=n)
    return start + days.astype(np.int64) * 86400 + secs


def to_datetimes(secs) -> pd.Series:
    """Seconds since 1970 as a ``datetime64[ns]`` series."""
    return pd.Series(np.asarray(secs, dtype=np.int64).astype("datetime64[s]").astype("datetime64[ns]"))


def time_parts(tt: np.ndarray):
    """Year, month, day, hour, minute and second (int64 arrays) of datetime64 values."""
    tt = np.asarray(tt).astype("datetime64[s]")
    Y = tt.astype("datetime64[Y]").astype(np.int64) + 1970
    mo = tt.astype("datetime64[M]")
    M = mo.astype(np.int64) % 12 + 1
    D = (tt.astype("datetime64[D]") - mo.astype("datetime64[D]")).astype(np.int64) + 1
    sod = (tt - tt.astype("datetime64[D]")).astype(np.int64)
    return Y, M, D, sod // 3600, sod // 60 % 60, sod % 60


def ymdhms(tt: np.ndarray) -> np.ndarray:
    """YYYYMMDDhhmmss strings of datetime64[s] values, vectorised."""
    Y, M, D, h, mi, s = time_parts(tt)
    return (Y.astype(str).astype(object) + PAD2[M] + PAD2[D] + PAD2[h] + PAD2[mi] + PAD2[s])
