"""The shortlist (拟表彰名单（初审）) as rows: per award of the evaluation, every unit or
nominee with its outcome, whether it applied and why it needs review or fails (the
first reason); then the nominations that could not be used (申报未受理). The report's
first section (:mod:`toolkit.outputs.report.decision`) and the first sheet of
``results.xlsx`` show these rows."""

from __future__ import annotations

from toolkit.vocabulary import NOMINATED_LABELS, NOMINATION_STATUS_LABELS, OUTCOME_LABELS

#: the reason of a nominee whose checked conditions all pass: the rest is for reviewers
QUALITATIVE_LEFT = "定性条件留待评审专家判断"
#: a nomination that could not be used (its category unreadable)
UNACCEPTED_LABEL = NOMINATION_STATUS_LABELS["unaccepted"]
HEADERS = ("奖项", "结论", "单位", "推荐对象", "是否申报", "原因")
OUTCOME_ORDER = {k: i for i, k in enumerate(OUTCOME_LABELS)}


def first_reason(criteria, outcome: str = "fail") -> str:
    """The first criterion (rules order) with ``outcome``: its label and reason, and how
    many have that outcome when more than one. A qualitative condition is unknown until
    the review and then fails only by the reviewers' decision, which is named."""
    hit = [c for c in criteria if c.outcome == outcome and (c.kind != "qualitative" or outcome == "fail")]
    if not hit:
        return ""
    c = hit[0]
    text = f"{c.label or c.id}：{c.reason or c.explanation or ''}".rstrip("：")
    return text + (f"；共 {len(hit)} 项未达到" if len(hit) > 1 and outcome == "fail" else
                   f"；共 {len(hit)} 项无法判定" if len(hit) > 1 else "")


def shortfall(criteria) -> tuple[str, int]:
    """The first unmet criterion (rules order) with its reason, and how many are unmet:
    a row of the first page's table of units that do not qualify."""
    hit = [c for c in criteria if c.outcome == "fail"]
    if not hit:
        return "", 0
    c = hit[0]
    return f"{c.label or c.id}：{c.reason or c.explanation or ''}".rstrip("："), len(hit)


def unknown_reasons(criteria) -> str:
    """Every criterion that could not be judged, with its reason; or that only the
    qualitative conditions are left (after the review: those still open, with why)."""
    hit = [c for c in criteria if c.outcome == "unknown" and c.kind != "qualitative"]
    if not hit:
        qualitative = [c for c in criteria if c.kind == "qualitative"]
        # once reviewers have decided some of them, name the ones still open and why
        if any(c.outcome in ("pass", "fail") for c in qualitative):
            left = [c for c in qualitative if c.outcome == "unknown"]
            return "；".join(f"{c.label or c.id}：{c.reason or '尚待评审'}" for c in left) or QUALITATIVE_LEFT
        return QUALITATIVE_LEFT
    return "；".join(f"{c.label or c.id}：{c.reason or '数据缺失'}" for c in hit)


def why(result) -> str:
    outcome = result.outcome or "needs_review"
    if outcome == "eligible":
        return ""
    return unknown_reasons(result.criteria) if outcome == "needs_review" else first_reason(result.criteria)


def shortlist_rows(evaluation, unaccepted=None) -> list[list]:
    """One row per unit and collective award, per nomination, and per unusable
    nomination, in HEADERS' order; eligible first within an award. Names as shared
    outputs show them (``Evaluation.shared``)."""
    evaluation = evaluation.shared()
    rows = []
    labels = evaluation.award_labels
    order = {k: i for i, k in enumerate(labels)}  # the rules file's order
    for r in sorted(evaluation.collective, key=lambda r: (order.get(r.award, 99), OUTCOME_ORDER.get(r.outcome, 9))):
        rows.append([labels.get(r.award, r.award_label or r.award), OUTCOME_LABELS.get(r.outcome, r.outcome),
                     r.unit_name or r.unit_id, r.nominee or "", NOMINATED_LABELS[bool(r.nominated)], why(r)])
    for n in sorted([*evaluation.individual, *evaluation.innovation],
                    key=lambda n: (order.get(n.category, 99), OUTCOME_ORDER.get(n.outcome or "needs_review", 9))):
        rows.append([labels.get(n.category, n.award_label or n.category),
                     OUTCOME_LABELS.get(n.outcome or "needs_review"), n.unit_name or n.unit_id or "",
                     n.nominee or "", NOMINATED_LABELS[True], why(n)])
    for u in (unaccepted.itertuples() if unaccepted is not None else ()):
        reason = f"推荐类别填写为“{u.category}”：{u.reason}" + (f"；最接近“{u.nearest}”" if u.nearest else "")
        rows.append([u.category or "", UNACCEPTED_LABEL, u.unit_name or "", "", NOMINATED_LABELS[True], reason])
    return rows
