"""The deterministic synthetic data set: one year's input folder, messy as real exports are.

``generate_frames(year, scale, seed)`` builds the clean, logical records (canonical column
names, unit ids, amounts in whole yuan, ``datetime64`` times, canonical status words)
including the rows that the evaluation must exclude (failed payments, rows outside the
period, refunds after the cut-off) and the rows of a misspelt unit (quarantined).
``write_demo_data`` renders them the way the branch schools' exports look (Chinese file
names and headers, title rows, GB18030 beside UTF-8, ``¥180`` and ``１８０``, six date
notations, Excel serials, unit aliases and stray spaces, a re-exported block of rows...)
and writes one file per table. In the ``mixed`` format (the demo) it also adds a few rows
of every other kind the ingest stage quarantines (``QUARANTINE_NOTES``: unreadable
amounts and dates, a zero and a negative payment, an empty trainee id, unknown status
and category words, a conflicting re-export, refunds of unknown orders) and merged title
banners in the small workbooks; none of those rows is usable, so ``generate_frames``
still holds exactly what ingest uses, excludes, or quarantines as ``unknown_unit``.

Everything is derived from ``numpy.random.default_rng(seed + year offset)``: the same
year, scale, seed and format give byte-identical files (workbooks get fixed timestamps).

``SCENARIOS`` names the units that exercise the 2022 criteria (see ``SCENARIO_NOTES``).
The figures hold for the reference year 2022 and later; earlier years (the report's
previous year) are the same units with figures scaled by 0.9 per year back, so a
scenario's pass/fail is only promised for years >= 2022.

Modules, in the order data flows: ``units`` (the unit registry, scenarios), ``plans``
(sizes and random streams), ``clock``, ``people`` and ``accumulator`` (shared helpers of
the record builders), ``staff``, ``professional`` and ``small_tables`` (the records),
``records`` (``generate_frames``), ``cells`` (messy values), ``render`` (sheets),
``quarantine`` (rows to quarantine), ``write`` (the files, ``write_demo_data``).
"""

from toolkit.public import offer

#: what the package offers the others (module -> names), loaded on first use
__getattr__, __dir__, __all__ = offer(__name__, {
    "plans": ("PROVINCE_STAFF_SIZE", "REF_YEAR", "SCALES"),
    "quarantine": ("QUARANTINE_NOTES",),
    "records": ("DEFAULT_SEED", "generate_frames"),
    "units": ("SCENARIO_NOTES", "SCENARIOS", "Unit", "build_units"),
    "write": ("FORMATS", "write_demo_data"),
    "objections": ("write_objections",),
    "reviews": ("write_demo_review",),
})
