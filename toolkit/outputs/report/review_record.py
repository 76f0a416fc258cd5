"""The report's sections on the review's governance (docs/review-cycle.md): the record
(per nomination under review, its reviewers, each one's decision and remark, and each
criterion's count: 3 人评审，2 人认为符合；李四 本单位回避) and where the review stands
(the progress table and the review meeting's agenda, the same rows as
``review/评审进度.xlsx``). Without a roster each says in one line that recusal was not
checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.outputs.report.context import ReportContext
from toolkit.outputs.report.format import Fragment, esc, table
from toolkit.outputs.report.store import open_run
from toolkit.review.progress import FILE_NAME as PROGRESS_FILE
from toolkit.review.progress import agenda_rows, progress_rows
from toolkit.review.record import Trail, count_text, record_rows, roster_of, trails
from toolkit.review.sheet import FOLDER, KEY, reviewer_key
from toolkit.vocabulary import (
    COUNTED_LABELS,
    CRITERION_OUTCOME_LABELS,
    OUTCOME_LABELS,
    RECORD_HEADERS,
)

NO_ROSTER = "未提供评审专家名单，未核对回避。"


def roster_line(ctx: ReportContext) -> str:
    """One line: the roster checked against (its file and size), or that there was none."""
    roster = roster_of(ctx.evaluation)
    if roster is None:
        return f'<p class="note">{NO_ROSTER}</p>'
    return (f'<p class="note">评审人已按评审专家名单（{esc(roster.get("path"))}，'
            f"{len(roster.get('reviewers') or [])} 人）核对；评审本单位或回避单位推荐对象的结论不计入。</p>")


def _nomination(ts: list[Trail]) -> str:
    r = ts[0].result
    who = " · ".join(esc(x) for x in (r.award_label, r.unit_name or r.unit_id, r.nominee) if x)
    counts = "；".join(f"{esc(t.criterion.label)}：{esc(count_text(t))}" for t in ts)
    head = (f'<p class="record-head"><b>{who}</b>：{esc(OUTCOME_LABELS.get(r.outcome, r.outcome))}。'
            f"{counts}。</p>")
    people: dict[str, dict] = {}
    for i, t in enumerate(ts):
        for e in t.entries:
            p = people.setdefault(reviewer_key(e["reviewer"]), {"name": e["reviewer"], "cells": {}, "remarks": []})
            word = CRITERION_OUTCOME_LABELS.get(e["decision"], e["decision"])
            p["cells"][i] = word if e.get("counted", True) else f"{word}（{COUNTED_LABELS['recused']}，不计入）"
            if e.get("remark") and e["remark"] not in p["remarks"]:
                p["remarks"].append(e["remark"])
    headers = [RECORD_HEADERS["reviewer"], *[t.criterion.label for t in ts], RECORD_HEADERS["remark"]]
    rows = [[p["name"], *[p["cells"].get(i, "—") for i in range(len(ts))], "；".join(p["remarks"])]
            for p in people.values()]
    return head + table(headers, rows, cls="review-record", col_classes={0: "person"})


def record(ctx: ReportContext) -> Fragment:
    """评审记录: per nomination with returned decisions, who decided what and why."""
    by_result: dict[str, list[Trail]] = {}
    for t in trails(ctx.evaluation.shared()):  # names and remarks as every shared output shows them
        by_result.setdefault(t.key, []).append(t)
    if not by_result:
        return Fragment(roster_line(ctx) + "<p>尚无评审记录：还没有交回的评审意见。</p>", "评审记录")
    body = "".join(_nomination(ts) for ts in by_result.values())
    return Fragment(roster_line(ctx) + body + "<p>每条结论的文件、工作表与行见 final/评审记录.xlsx。</p>",
                    "评审记录")


def _without(headers: list[str], rows: list[list], header: str) -> tuple[list[str], list[list]]:
    j = headers.index(header)
    return headers[:j] + headers[j + 1:], [r[:j] + r[j + 1:] for r in rows]


def progress(ctx: ReportContext) -> Fragment:
    """评审进度 and 评审会议程, as in ``review/评审进度.xlsx``."""
    shared = ctx.evaluation.shared()  # names as every shared output shows them
    headers, rows = _without(*progress_rows(shared), KEY)  # the 编号 is a code: the workbook's only
    if not rows:
        return Fragment("<p>没有需要评审的推荐对象。</p>", "评审进度")
    parts = [roster_line(ctx) if roster_of(ctx.evaluation) is None else "",
             f"<p>需评审的推荐对象 {len(rows)} 项（{esc(FOLDER)}/{esc(PROGRESS_FILE)}）：</p>",
             table(headers, rows, cls="review-progress", col_classes={1: "unit"})]
    a_headers, a_rows = _without(*agenda_rows(shared, ctx.rules.review), KEY)
    if a_rows:
        parts += [f"<p><b>评审会议程</b>：{len(a_rows)} 项，依次为评审人数不足、票数相同、意见不一致。</p>",
                  table(a_headers, a_rows, cls="review-agenda", col_classes={2: "unit"})]
    else:
        parts.append("<p>评审会议程：无（各项条件的评审人数均已足够，且意见一致）。</p>")
    return Fragment("".join(parts), "评审进度")


def review_record(run: str | Path | ReportContext = "", year: int | None = None) -> pd.DataFrame:
    """The record of every decision of a run as a table, the rows of
    ``final/评审记录.xlsx`` (``toolkit.review_record("reports/2022")`` in a notebook):
    ``run`` is a run folder (as :func:`toolkit.open_run` takes it) or an opened run."""
    ctx = run if isinstance(run, ReportContext) else open_run(run, year)
    headers, rows = record_rows(ctx.evaluation.shared())
    return pd.DataFrame(rows, columns=headers)
