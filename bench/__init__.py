"""The province-scale benchmark (``make bench``, ``python -m bench``).

Modules: ``harness`` (data sets, fresh-process measurement, peak RSS), ``worker`` (one
measured way in its own process), ``plain`` (the plain pandas way), ``limit`` (fastexcel /
pyarrow raw reads plus one DuckDB query), ``common`` (files, headers, unit references,
the metric frame), ``compare`` (the agreement check), ``report`` (the table and
``bench/results.md``).
"""
