"""clean: type the values, resolve units, drop duplicates, apply the period; keep the
ledger and the quarantine (see docs/architecture.md).

``year.load_year`` is the entry point; ``table`` states the order in which a row is
judged. The other modules: ``schema`` (clean columns, ``conform``), ``reasons`` (why a
row is excluded or quarantined), ``ledger`` (one file's record of fates), ``columns``
and ``plausibility`` (typing), ``keys`` (duplicates, conflicting keys), ``units``, ``period``, ``refunds``, ``privacy``,
``validation`` (the text report), ``store`` (the partitioned Parquet store) and
``model`` (``YearData``).
"""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "": ("store",),
    "corrections": ("COLUMNS", "CORRECTABLE", "REQUIRED"),
    "ledger": ("Work",),
    "ledger_table": ("ledger_frame", "ledger_row", "reasons_text"),
    "model": ("InputFile", "YearData"),
    "period": ("Period", "end_exclusive"),
    "privacy": ("NOMINATION_TEXT_FIELDS", "numbers_warning", "shared_text"),
    "reasons": ("Exclusion", "Quarantine"),
    "units": ("UnitRegistry", "clean_units"),
    "validation": ("validation_report", "validation_summary"),
    "year": ("load_year",),
})
