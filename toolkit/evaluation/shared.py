"""The evaluation as every shared output shows it (``Evaluation.shared``): the free
text that came from the units', the school's and the reviewers' files masked for ID and
mobile numbers (:func:`toolkit.clean.privacy.shared_text`), the nominees' form-only
fields left out; codes, figures and outcomes unchanged."""

from __future__ import annotations

import dataclasses

from toolkit.clean.privacy import shared_text

#: the entries of ``Evaluation.review`` that are no free text (files read, with their
#: SHA-256) and are shared as they are: a hash is never masked as a number. ``"*"``: the
#: whole entry (the review files, the objections register read); a tuple: those fields of
#: the entry (the reviewer roster's path and SHA-256, its reviewers' names being masked)
UNMASKED_REVIEW: dict[str, str | tuple[str, ...]] = {
    "files": "*", "objections_file": "*", "roster": ("path", "sha256")}


def shared_view(ev):
    """``ev`` (an :class:`~toolkit.evaluation.results.Evaluation`) as the shared outputs
    see it; the evaluation itself keeps the text as written, for the forms."""
    def crits(cs):
        return [dataclasses.replace(c, detail=shared_text(c.detail)) if c.detail else c for c in cs]

    def result(r, **drop):
        return dataclasses.replace(r, unit_name=shared_text(r.unit_name), nominee=shared_text(r.nominee),
                                   criteria=crits(r.criteria), **drop)

    private = dict.fromkeys(("deeds", "unit_leader", "contact_name", "contact_title", "contact_phone"))

    def review_entry(key, value):
        keep = UNMASKED_REVIEW.get(key, ())
        if keep == "*":
            return value
        masked = shared_text(value)
        if keep and isinstance(value, dict):  # a file and its hash as read, not free text
            masked = {**masked, **{f: value[f] for f in keep if f in value}}
        return masked

    review = {k: review_entry(k, v) for k, v in (ev.review or {}).items()}
    return dataclasses.replace(
        ev, collective=[result(u) for u in ev.collective],
        individual=[result(n, **private) for n in ev.individual],
        innovation=[result(n, **private) for n in ev.innovation],
        flags=[dataclasses.replace(f, unit_name=shared_text(f.unit_name)) for f in ev.flags],
        near_misses=[dataclasses.replace(m, unit_name=shared_text(m.unit_name)) for m in ev.near_misses],
        unit_names=shared_text(dict(ev.unit_names)), warnings=shared_text(list(ev.warnings)),
        review=review)
