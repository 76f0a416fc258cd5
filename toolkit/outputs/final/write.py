"""Write the final list of a run: ``final/拟表彰名单.docx`` and ``.xlsx`` once the review
has decided (at least one reviewer's file read), with ``final/评审记录.xlsx``, and
``final/公示稿.docx`` when, in addition, no entry is pending and no objection is under check;
``final/异议处理情况.xlsx`` whenever the year has an objections register. Before the review
nothing else is written (and the run
folder, rebuilt by every run, then has no ``final/``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.evaluation.results import Evaluation
from toolkit.outputs.files import atomic_write, fixed_ooxml
from toolkit.outputs.final.documents import LIST_STEM, list_docx, list_xlsx
from toolkit.outputs.final.listing import final_list, is_final
from toolkit.outputs.final.objections import OBJECTIONS_STEM, objections_xlsx
from toolkit.outputs.final.publicity import PUBLICITY_STEM, publicity_docx
from toolkit.outputs.final.record import RECORD_STEM, record_xlsx
from toolkit.outputs.forms.document import docx_bytes

FINAL_DIR = "final"


def write_final(evaluation: Evaluation, out_dir: str | Path, publicity=None) -> list[Path]:
    """Write the final list into ``out_dir`` (the run's ``final/``); return the paths
    written, none before the review (but 异议处理情况.xlsx). ``publicity`` is the rules'
    ``publicity:`` section, printed in the draft's 公示期 line. The files' dates are the year's last day, so the
    same decision gives the same bytes."""
    out = Path(out_dir)
    stamp = dt.datetime(evaluation.year, 12, 31)
    objections = []
    if "objections" in (evaluation.review or {}):  # the year has a register (docs/review-cycle.md)
        objections.append(atomic_write(out / f"{OBJECTIONS_STEM}.xlsx", fixed_ooxml(objections_xlsx(evaluation), stamp)))
    if not is_final(evaluation):
        return objections
    fl = final_list(evaluation)
    written = [*objections,
        atomic_write(out / f"{LIST_STEM}.docx", fixed_ooxml(docx_bytes(list_docx(fl)), stamp)),
        atomic_write(out / f"{LIST_STEM}.xlsx", fixed_ooxml(list_xlsx(fl), stamp)),
        atomic_write(out / f"{RECORD_STEM}.xlsx", fixed_ooxml(record_xlsx(evaluation), stamp)),
    ]
    if fl.complete:
        written.append(atomic_write(out / f"{PUBLICITY_STEM}.docx", fixed_ooxml(docx_bytes(publicity_docx(fl, publicity)), stamp)))
    return written
