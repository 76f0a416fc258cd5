"""The report: its sections for the notebooks (``notebooks/evaluation.ipynb``,
``notebooks/unit.ipynb``), the run folder's report data (:mod:`.store`), and the
renderers (:mod:`.html`, :mod:`.pdf`). A notebook holds no business logic: every
number, table and chart comes from here."""
