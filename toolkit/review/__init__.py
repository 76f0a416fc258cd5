"""The award cycle after the screening (docs/review-cycle.md): the review workbook
(``sheet`` its layout and the 编号 that names each nomination, ``workbook`` writing
it), the reviewers' filled copies found and opened (``copies``: formats and size
limits), read back (``decisions``) as Excel shows them (``visible``), the reviewer
roster and recusal (``roster``), their decisions applied to the evaluation
(``apply``), the record of every decision (``record``), where the review stands and
the meeting's agenda (``progress``), the per-reviewer workbooks and the progress
workbook written (``governance``), and the run's and ``toolkit validate``'s one call
(``cycle``). The corrections file is read in the clean stage
(:mod:`toolkit.clean.corrections`), because an alias changes how units resolve."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "apply": ("apply_review",),
    "cycle": ("review_cycle", "review_summary"),
    "objections": ("check_objections", "objections_summary"),
    "progress": ("FILE_NAME", "agenda_rows", "progress_rows"),
    "record": ("Trail", "count_text", "record_rows", "roster_of", "trails"),
    "sheet": ("FOLDER", "KEY", "REMARK", "REVIEWER", "SHEET", "keyed_results", "reviewer_key"),
    "workbook": ("review_rows", "workbook_bytes"),
})
