"""The small hand-made year and the report context of its run folder, for the report,
run and end-to-end tests.

``write_tiny_year`` builds a small year by hand (canonical CSV file names) with hostile
strings in unit names, nominee names, deeds and complaint texts, and trainees' names,
ID and phone numbers that must never reach a report. ``run_context`` writes what
``toolkit run`` writes for the report into a folder and opens it; ``all_sections``
gives every section's HTML; ``report_notebook`` is an executed notebook for the
renderers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat

from toolkit import open_run, paths
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.outputs.report import appendix, decision, figures, store, unit
from toolkit.outputs.report import context as report_context
from toolkit.outputs.report import sections as sec
from toolkit.outputs.report.frame import html_of
from toolkit.outputs.tables import write_outputs
from toolkit.pipeline.previous import load_previous_year
from toolkit.rules.load import load_rules

HOSTILE_UNIT = "株洲<script>alert(1)</script>分校"
HOSTILE_NOMINEE = "王<b>五</b>"
TRAINEE_NAME = "学员甲乙丙"
TRAINEE_ID = "430101199001011234"
TRAINEE_PHONE = "13812345678"
COMPLAINT_PHONE = "13987654321"
RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
UNIT_NAMES = {"U001": "长沙开放大学", "U002": HOSTILE_UNIT, "U003": "湘潭开放大学"}


def _write(d: Path, name: str, header: list[str], rows: list) -> None:
    with open(d / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def write_tiny_year(d: Path, year: int = 2022) -> Path:
    """A small, complete year: three units, both tracks, refunds, a complaint,
    nominations; a few hundred rows, deterministic."""
    d.mkdir(parents=True, exist_ok=True)
    _write(d, "units", ["unit_id", "unit_name"], sorted(UNIT_NAMES.items()))
    _write(d, "contracts", ["unit", "track", "signed_on"], [
        ("U001", "staff", f"{year - 1}-03-01"), ("U002", "staff", f"{year}-10-01"),
        ("U003", "professional", f"{year}-01-05"), ("U001", "professional", f"{year - 1}-01-01")])
    _write(d, "targets", ["unit", "target"], [("U001", 100), ("U002", 50), ("U003", 80)])
    _write(d, "teams", ["unit", "track", "dedicated_staff"], [
        ("U001", "staff", 3), ("U002", "staff", 1), ("U003", "professional", 2), ("U001", "professional", 1)])
    regs, pays, refs = [], [], []
    n = 0
    for uid, k in (("U001", 90), ("U002", 30), ("U003", 10)):
        for i in range(k):
            n += 1
            m = n % 12 + 1
            tid = f"T{n:05d}"
            regs.append((tid, uid, f"{year}-{m:02d}-03 10:00:00", f"{TRAINEE_NAME}{n}" if n == 1 else f"学员{n}",
                         TRAINEE_ID if n == 1 else f"43010119900101{n:04d}",
                         TRAINEE_PHONE if n == 1 else f"1380000{n:04d}"))
            if i % 4:
                pays.append((f"O{n:05d}", tid, uid, "180", f"{year}-{m:02d}-05 11:00:00", "成功"))
                if i % 17 == 0:
                    refs.append((f"R{n:05d}", f"O{n:05d}", "180", f"{year}-{m:02d}-20 09:00:00", "重复缴费"))
    _write(d, "staff_registrations", ["trainee_id", "unit", "registered_at", "name", "id_number", "phone"], regs)
    _write(d, "staff_payments", ["order_id", "trainee_id", "unit", "amount", "paid_at", "status"], pays)
    _write(d, "staff_refunds", ["refund_id", "order_id", "amount", "refunded_at", "reason"], refs)
    _write(d, "professional_enrollments", ["order_id", "trainee_id", "unit", "amount", "paid_at", "course"], [
        (f"P{i:05d}", f"S{i:05d}", "U003" if i % 3 else "U001", "300", f"{year}-{i % 12 + 1:02d}-08 08:00:00",
         f"课程{i % 5}") for i in range(60)])
    _write(d, "professional_refunds", ["refund_id", "order_id", "amount", "refunded_at"],
           [("PR1", "P00001", "300", f"{year + 1}-01-05 10:00:00")])
    _write(d, "complaints", ["unit", "track", "received_at", "severity", "summary", "status"], [
        ("U002", "staff", f"{year}-05-01", "重大", f"<img src=x onerror=alert(1)> 学员电话{COMPLAINT_PHONE}", "处理中")])
    _write(d, "nominations", ["category", "unit", "nominee", "deeds", "started_on"], [
        ("事业单位工作人员培训先进个人", "U001", HOSTILE_NOMINEE, "认真负责" * 20, f"{year - 2}-01-01"),
        ("事业单位工作人员培训创新创意", "U002", "", "创新<script>x</script>", ""),
    ])
    return d


def run_context(run_dir: Path, data_dir: Path, rules: Path = RULES_2022, *, compare_previous: bool = True,
                generated_at: str = "2022-12-31 12:00:00 (UTC+08:00)"):
    """The report context of a run folder holding what ``toolkit run`` writes for the
    report (evaluation.json and internal/report/), without the notebook and the forms."""
    rules_obj = load_rules(2022, rules)
    yd = open_year(2022, data_dir, rules=rules_obj, use_cache=False, progress=False)
    ev = evaluate(yd, rules_obj)
    previous, note = load_previous_year(2022, data_dir, rules_obj) if compare_previous else (None, "")
    run_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(ev, run_dir)
    ctx = report_context.build(rules=rules_obj, year_data=yd, evaluation=ev, previous=previous,
                               previous_note=note, out_dir=run_dir, generated_at=generated_at)
    store.write_report_data(ctx, run_dir)
    return open_run(run_dir)


def all_sections(ctx) -> dict[str, str]:
    """Every section's HTML, the provincial ones and each unit's."""
    out = {
        "title": sec.title_block(ctx), "summary": sec.summary(ctx),
        "matrices": sec.matrices(ctx), "figures": figures.figures(ctx), "flags": sec.flags(ctx),
        "near": sec.near_misses(ctx), "individual": sec.nominees(ctx, "individual"),
        "innovation": sec.nominees(ctx, "innovation"), "quality": appendix.data_quality(ctx),
        "yoy": appendix.year_over_year(ctx), "rules": appendix.rules_section(ctx),
        "forms": appendix.forms_list(ctx), "decision": decision.shortlist(ctx), "risks": decision.risks(ctx),
        "provenance": sec.provenance(ctx),
    }
    for uid in report_context.unit_ids(ctx):
        out[f"unit {uid}"] = "".join(html_of(f) for f in (
            sec.title_block(ctx, unit_id=uid), unit.unit_summary(ctx, uid),
            unit.unit_figures(ctx, uid), sec.flags(ctx, unit_id=uid)))
    return {k: html_of(v) for k, v in out.items()}


def report_notebook() -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: parameters, injected parameters, markdown,
    a code cell with stderr, HTML and plain outputs."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("year = 2022")
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell("# Parameters\nyear = 2023")
    injected.metadata["tags"] = ["injected-parameters"]
    code = nbformat.v4.new_code_cell("secret_code_marker = sec.summary(ctx)")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="WarningMarker: noisy\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>片段内容</p>", "text/plain": "<片段>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "'plain & text'"}, execution_count=3),
    ]
    code.execution_count = 3
    nb.cells = [params, injected, nbformat.v4.new_markdown_cell("## 一、标题\n\n说明文字"), code]
    return nb
