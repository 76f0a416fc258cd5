"""ingest: see docs/architecture.md."""

from toolkit.public import offer

#: what the package offers the others (module -> names; "": its own sub-modules)
__getattr__, __dir__, __all__ = offer(__name__, {
    "": ("contract",),
    "amounts": ("MAX_INTEGER_DIGITS", "amount_fen", "integer"),
    "boundary": ("OLE2_MAGIC", "ZIP_MAGIC", "reading"),
    "categories": ("AwardName", "category_codes", "category_of"),
    "cells": ("IMPRECISE",),
    "contract": ("TABLES", "TRACKS", "UNIT_ALIASES"),
    "dates": ("dates", "datetimes"),
    "decode": ("decode",),
    "delimited": ("delimiter",),
    "find": (
        "REVIEW_FOLDER", "accepted_file_names", "closest_accepted", "corrections_file",
        "find_files", "objections_file", "review_folder", "roster_file", "unmatched_files",
        "year_inputs",
    ),
    "formats": ("encrypted_biff", "encrypted_ooxml"),
    "keys": ("code_lookup", "coded", "header_key", "unit_key", "word_key"),
    "person": ("person_key", "person_name", "visible_text"),
    "snapshot": ("Snapshot", "YearFiles", "sha256_of", "take"),
    "stream": ("NotStreamable", "raw_batches", "records", "streams"),
    "table": ("RawTable", "read_rows", "read_table"),
    "text": (
        "ASCII_BLANKS", "arrow_strings", "as_text", "free_text", "identifier", "is_blank",
        "map_unique", "nfkc", "paragraph_text", "text",
    ),
    "workbook": ("MAX_COMPRESSION_RATIO", "RATIO_CHECKED_FROM", "formula_cells"),
})
