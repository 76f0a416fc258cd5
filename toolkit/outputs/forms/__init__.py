"""Pre-filled approval forms (attachments 2, 4, 6) and the meeting roster (attachment 5).

``write.write_forms(evaluation, year_data, rules, out_dir)`` writes into ``out_dir`` only:

* one approval form (.docx) per nomination row, laid out like the notice's attachment
  for its award (:mod:`.nominations`), its award's box ticked;
* one *draft* form per collective whose outcome is ``eligible`` or ``needs_review`` and
  that has no nomination of that award, its 主要事迹 written from the evaluation's
  figures for the unit to edit (:mod:`.drafts`);
* the meeting roster (attachment 5) from the ``rsvp`` table, as .docx and .xlsx
  (:mod:`.roster`).

Only the ``nominations``, ``rsvp`` and ``units`` tables and the evaluation's per-unit
figures are read: trainees' data never reaches a form. Every value from the data is
inserted as plain text (python-docx escapes XML; characters XML cannot hold are
dropped, :mod:`.document`), and every xlsx cell holding text is a string cell, never a
formula.
"""
