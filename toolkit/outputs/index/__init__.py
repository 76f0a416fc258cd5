"""The multi-year index (``reports/index.html``, docs/years.md): :mod:`.span` reads the
years' run folders, :mod:`.page` lays out its sections, :mod:`.write` renders it
(``toolkit.outputs.index.write.write_index``)."""
