"""``toolkit plan``: a year's data under a candidate rules file, written as
``reports/<year>/plan/<candidate>/`` (``plan.json``, ``plan.xlsx``, ``plan.ipynb``,
``plan.html``).

:func:`plan_year` reads the year (:func:`toolkit.clean.year.load_year`, with the ingest
cache) and both rules files, computes the plan (:func:`toolkit.plan.compute.compute_plan`),
writes it into a staging folder beside the output folder, runs
``notebooks/planning.ipynb`` on it in this process (no kernel: the notebook only calls
into toolkit, as ``unit.ipynb`` does) and renders the page with the report's template;
only then the staging folder replaces the output folder (two renames: the old folder
aside, the new one in; the old one removed).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from toolkit import paths
from toolkit.clean.year import load_year
from toolkit.exceptions import ParameterError, RulesError
from toolkit.logs import quiet_library_logs
from toolkit.outputs.files import fixed_ooxml, put_cell
from toolkit.outputs.report import html
from toolkit.outputs.tables import HEADERS
from toolkit.pipeline.inprocess import execute_in_process
from toolkit.pipeline.notebook import NOTEBOOKS_DIR
from toolkit.plan.compute import HIGH, LOW, STEPS, PlanResult, check_range, compute_plan
from toolkit.plan.report import title
from toolkit.rules.load import load_rules
from toolkit.vocabulary import CHANGE_LABELS, OP_SYMBOLS, OUTCOME_LABELS, PLAN_LABELS, UNIT_LABELS

PLAN_JSON, PLAN_XLSX, PLAN_NOTEBOOK, PLAN_HTML = "plan.json", "plan.xlsx", "plan.ipynb", "plan.html"
NOTEBOOK = "planning.ipynb"
FIXED_TIME = dt.datetime(1980, 1, 1)  # the zip epoch: deterministic bytes


def plan_folder(year: int, candidate: Path, out=None) -> Path:
    """``--out``, else ``reports/<year>/plan/<candidate file stem>``."""
    if out is not None and str(out) != "":
        return Path(out).expanduser().absolute()
    return (paths.reports_dir(year) / "plan" / Path(candidate).stem).absolute()


def _check_candidate(year: int, candidate) -> Path:
    if candidate is None or str(candidate) == "":
        raise ParameterError("toolkit plan needs a candidate rules file", hint="pass --rules CANDIDATE.yaml")
    p = Path(candidate).expanduser().absolute()
    if not p.is_file():
        raise RulesError(f"the candidate rules file {p} does not exist", file=p,
                         hint=f"write a rules file for {year} (it may start with `extends: {year}` and state "
                              "only what it changes; docs/planning.md)")
    return p


def compute(year: int, candidate, *, data_dir=None, rules=None, use_cache: bool = True,
            low=LOW, high=HIGH, steps: int = STEPS) -> PlanResult:
    """The plan of ``year`` (its data and its own rules, or ``rules``) under ``candidate``."""
    low, high, steps = check_range(low, high, steps)
    cand_path = _check_candidate(year, candidate)
    current = load_rules(year, rules)
    cand = load_rules(year, cand_path)
    ddir = paths.data_dir(year, data_dir)
    if not ddir.is_dir():
        raise ParameterError(f"the data folder of {year} does not exist: {ddir}", file=ddir,
                             hint="pass --data-dir, or run `toolkit demo-data` for a synthetic year")
    yd = load_year(year, ddir, rules=current, use_cache=use_cache, progress=False)
    return compute_plan(yd, current, cand, name=cand_path.stem, low=low, high=high, steps=steps)


def open_plan(out: str | os.PathLike = "", *, year: int | None = None, data_dir: str = "", rules: str = "",
              candidate: str = "") -> PlanResult:
    """The plan the notebook shows: ``plan.json`` of ``out`` when it holds one, else
    computed from the parameters (the notebook opened in JupyterLab on its own)."""
    found = Path(out) / PLAN_JSON if out else None
    if found is not None and found.is_file():
        return PlanResult.from_dict(json.loads(found.read_text(encoding="utf-8")))
    if year is None or not candidate:
        raise ParameterError("the planning notebook needs out (a plan folder) or year and candidate")
    return compute(year, candidate, data_dir=data_dir or None, rules=rules or None)


# --- the workbook ------------------------------------------------------------------------


def _sheets(result: PlanResult):
    labels = {a["key"]: a["label"] for a in result.awards}
    yield "规则变化", ("变化", "奖项", "条件编号", "内容"), [
        (CHANGE_LABELS[c["kind"]], labels.get(c.get("award"), c.get("award") or ""), c.get("criterion") or "",
         c["text"]) for c in result.rule_changes]
    rows = []
    for a in result.awards:
        for ch in a["changes"]:
            why = "；".join(f"{c['label']}（{c['clause']}）：{_expl(c['current'])} → {_expl(c['candidate'])}"
                           for c in ch["criteria"])
            rows.append((a["label"], ch["unit_id"] or "", ch["unit_name"] or "", ch["nominee"] or "",
                         ch["row"], "是" if ch["nominated"] else "否", _out(ch["current"]),
                         _out(ch["candidate"]), why))
    yield "结论变化", (HEADERS["award"], HEADERS["unit_id"], HEADERS["unit_name"], HEADERS["nominee"],
                    HEADERS["row"], "已申报", PLAN_LABELS["current"], PLAN_LABELS["candidate"], "原因"), rows
    rows = []
    for a in result.awards:
        for s in a["sensitivity"]:
            for r in s["rows"]:
                rows.append((a["label"], s["label"], s["clause"], OP_SYMBOLS.get(s["op"], s["op"]), r["bound"],
                             UNIT_LABELS.get(s["unit"], s["unit"]), r["pass_all"],
                             r["pass_nominated"] if a["kind"] == "collective" else None,
                             s["current_bound"], s["candidate_bound"]))
    yield "敏感性", ("奖项", "条件", "条款", "比较方式", "界限", "计量单位", "通过数（全部）", "通过数（已申报）",
                  "现行界限", "拟议界限"), rows


def _expl(c) -> str:
    return "（无此条件）" if c is None else c.get("explanation") or c["outcome"]


def _out(o) -> str:
    return OUTCOME_LABELS.get(o, o) if o else PLAN_LABELS["not_evaluated"]


def xlsx_bytes(result: PlanResult) -> bytes:
    """``plan.xlsx``: the rules changes, the outcome changes, the sensitivity counts."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows in _sheets(result):
        ws = wb.create_sheet(name)
        for j, h in enumerate(headers, 1):
            put_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
        share = headers.index("计量单位") if "计量单位" in headers else None
        for i, row in enumerate(rows, 2):
            for j, v in enumerate(row, 1):
                if v is not None:
                    cell = put_cell(ws.cell(row=i, column=j), v)
                    if share is not None and row[share] == UNIT_LABELS["fraction"] and isinstance(v, float):
                        cell.number_format = "0.0%"  # a share's bound, as 45.0%
        ws.freeze_panes = "A2"
    wb.properties.creator = wb.properties.lastModifiedBy = "toolkit"
    wb.properties.title = title(result)
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), FIXED_TIME)


# --- writing -----------------------------------------------------------------------------


def write_plan(result: PlanResult, out_dir: Path) -> Path:
    """The plan's files into ``out_dir``, replaced as a whole."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        (staging / PLAN_JSON).write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
        (staging / PLAN_XLSX).write_bytes(xlsx_bytes(result))
        nb = execute_in_process(NOTEBOOKS_DIR / NOTEBOOK, staging / PLAN_NOTEBOOK,
                                {"year": result.year, "out": str(staging)}, stage="plan notebook")
        (staging / PLAN_HTML).write_text(html.render_html(nb, title=title(result)), encoding="utf-8")
        for f in staging.iterdir():
            f.chmod(0o644)
        staging.chmod(0o755)
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            os.replace(out_dir, old)
        os.replace(staging, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def plan_year(year: int, candidate, *, data_dir=None, rules=None, out=None, use_cache: bool = True,
              low=LOW, high=HIGH, steps: int = STEPS) -> tuple[PlanResult, Path]:
    """``toolkit plan``: compute the plan and write it; returns it and its folder."""
    quiet_library_logs()
    result = compute(year, candidate, data_dir=data_dir, rules=rules, use_cache=use_cache,
                     low=low, high=high, steps=steps)
    return result, write_plan(result, plan_folder(year, Path(candidate), out))
