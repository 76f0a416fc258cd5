"""The agreement check: every way's metrics, unit by unit, against the reference."""

from __future__ import annotations

import numpy as np
import pandas as pd

ACTIVITY = ("income", "paid_trainees", "registered_trainees", "person_times", "refunds",
            "major_complaints", "complaints")
KEYS = ["track", "unit_id", "metric"]


def compare(ref: pd.DataFrame, other: pd.DataFrame) -> dict:
    """Compare two long metric frames (track, unit_id, metric, value).

    Equal means: both unknown (NaN), or the same number (relative 1e-9). A (track,
    unit) present on one side only is fine when it has no activity there (the toolkit
    evaluates only units with a contract or activity; the baselines list every unit).
    """
    j = ref.merge(other, on=KEYS, how="outer", suffixes=("_ref", "_way"), indicator=True)
    both = j[j["_merge"] == "both"]
    a, b = both["value_ref"].to_numpy(float), both["value_way"].to_numpy(float)
    same = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= 1e-9 * np.maximum(1, np.abs(a)))
    bad = both[~same]
    # (track, unit) pairs missing on one side
    pairs_ref = set(map(tuple, ref[["track", "unit_id"]].drop_duplicates().to_numpy()))
    pairs_way = set(map(tuple, other[["track", "unit_id"]].drop_duplicates().to_numpy()))
    lonely = []
    for side, frame, pairs in (("reference", ref, pairs_ref - pairs_way),
                               ("way", other, pairs_way - pairs_ref)):
        if not pairs:
            continue
        f = frame[frame["metric"].isin(ACTIVITY)]
        f = f[[(t, u) in pairs for t, u in zip(f["track"], f["unit_id"], strict=True)]]
        active = f[f["value"].fillna(0) != 0]
        for (t, u), g in active.groupby(["track", "unit_id"]):
            lonely.append(f"{t}/{u} only in the {side}, with activity "
                          + ", ".join(f"{m}={v:g}" for m, v in zip(g["metric"], g["value"],
                                                                   strict=True)))
    compared_units = both[["track", "unit_id"]].drop_duplicates().shape[0]
    examples = [f"{r.track}/{r.unit_id} {r.metric}: reference {r.value_ref:g}, this way {r.value_way:g}"
                for r in bad.head(8).itertuples()]
    # metrics compared on one side only (e.g. the toolkit lacks one): say so, not a failure
    only_ref = sorted(set(ref["metric"]) - set(other["metric"]))
    return {
        "agree": bad.empty and not lonely,
        "units": compared_units,
        "values": int(len(both)),
        "mismatches": int(len(bad)),
        "examples": examples + lonely[:8],
        "not_compared": only_ref,
    }


def compare_all(frames: dict[str, pd.DataFrame], reference: str) -> dict[str, dict]:
    ref = frames[reference]
    return {k: compare(ref, f) for k, f in frames.items() if k != reference}
