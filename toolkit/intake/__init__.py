"""The returned approval forms (attachments 2, 4, 6 as .docx) read into the year's
nominations table: ``intake_forms(year, folder, data_dir, mode=...) -> IntakeResult``.

Modules, in the order a form is judged: ``package`` (the .docx's parts, inflated with
caps, no DOCTYPE), ``read`` (the .docx as paragraphs and grids of cell texts as Word
shows them, nested tables and merged cells included, hidden text and placeholders not), ``recognise`` (which form of the
rules it is; which box is ticked, with ``ticks``), ``extract`` (the fields by their row
labels), ``contacts`` (联系人 split into name, title and phone), ``ledger`` (every form
used or quarantined with its reason), ``table`` (the registry, the earlier table,
``推荐申报.xlsx``) and ``run`` (``intake_forms``). docs/review-cycle.md describes it.
"""

from toolkit.intake.run import IntakeResult, intake_forms

__all__ = ["IntakeResult", "intake_forms"]
