"""outputs: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "": ("filenames",),
    "changes": ("changes_since_published", "summary_line", "write_changes"),
    "charts": (
        "BOUND_COLOUR", "PASS_COLOUR", "SERIES_COLOURS", "new_figure", "render",
        "set_value_axis", "with_cjk_font",
    ),
    "filenames": ("clean_chars", "fit"),
    "display": ("EvaluationView", "RulesView"),
    "files": ("atomic_write", "fixed_ooxml", "put_cell"),
    "final.write": ("FINAL_DIR", "write_final"),
    "forms.drafts": ("TO_BE_FILLED",),
    "forms.nominations": ("DRAFT_BANNER",),
    "forms.roster": ("EXCEL_CELL_MAX",),
    "forms.write": ("write_forms",),
    "index.write": ("INDEX_HTML", "INDEX_PDF", "write_index"),
    "report": ("context", "html", "pdf", "sections"),
    "report.context": ("PreviousYear", "ReportContext"),
    "report.format": ("Fragment", "badge", "esc", "fmt_bound", "now_text"),
    "report.frame": ("report_table",),
    "report.history": ("write_history",),
    "report.store": ("write_report_data",),
    "tables": ("FIXED_TIME", "csv_bytes", "table_rows", "write_outputs"),
})
