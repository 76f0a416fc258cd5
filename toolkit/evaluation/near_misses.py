"""Near misses: every unit that failed a collective award, with what failed and by how
much, closest first."""

from __future__ import annotations

from toolkit.evaluation.results import NearMiss, UnitResult
from toolkit.ingest.contract import TRACKS
from toolkit.metrics.format import fmt_measure


def near_misses(collective: list[UnitResult]) -> list[NearMiss]:
    """Every unit that failed, with what failed and by how much, closest first: fewest
    failed criteria, then the smallest sum of relative shortfalls."""
    out = []
    for u in collective:
        failed = u.failed
        if not failed:
            continue
        items = []
        for c in failed:
            shortfall = None if c.margin is None else abs(c.margin)
            items.append({"id": c.id, "label": c.label, "clause": c.clause, "metric": c.metric, "unit": c.unit,
                          "value": c.value, "bound": c.bound, "shortfall": shortfall,
                          "shortfall_unit": c.margin_unit, "relative_shortfall": c.relative_shortfall,
                          "explanation": c.explanation})
        closeness = sum(i["relative_shortfall"] or 1.0 for i in items)
        c_ops = {c.id: c.op for c in failed}
        codes = {c.id: c.margin_code for c in failed}
        parts = []
        for i in items:
            # an absence condition (== 0, e.g. no complaints) has no distance to close: its reason is said
            if i["shortfall"] is not None and c_ops.get(i["id"]) != "==":
                verb = "超出" if c_ops.get(i["id"]) in ("<=", "<") else "差"
                shown = fmt_measure(i["shortfall"], codes[i["id"]], i["shortfall_unit"])
                parts.append(f"{i['label']}{verb} {shown}")
            else:
                parts.append(i["explanation"])
        out.append(NearMiss(track=u.track, unit_id=u.unit_id, unit_name=u.unit_name, failed=items,
                            failed_count=len(items), closeness=closeness,
                            message=f"未达标 {len(items)} 项：" + "；".join(parts), nominated=u.nominated))
    torder = {t: i for i, t in enumerate(TRACKS)}
    out.sort(key=lambda m: (m.failed_count, m.closeness, torder.get(m.track, 9), m.unit_id))
    return out
