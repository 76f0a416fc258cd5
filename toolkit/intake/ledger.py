"""The ledger of an intake: every file under the folder is a form read or a note saying
why it is not read (files = forms read + not read); every form read is used or
quarantined with its reason (forms read = used + quarantined); what the nominations
table became; and notes (a nominee without a start date, two forms for the same
nominee, a form without its 单位负责人 or 联系人).

File names, and all text a form brings, are data: :func:`shown` writes what a terminal
or a ledger line would not show as such (control and format characters, line breaks,
bytes that are no UTF-8) as escapes, so no name can forge a line or move the cursor.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from toolkit.i18n import gettext as _
from toolkit.vocabulary import INTAKE_REASON_LABELS

#: why a form is not used, in the order a form is judged
REASONS = ("unreadable", "not_approval_form", "draft_not_filled", "no_box_ticked", "several_boxes_ticked",
           "unknown_unit", "nominee_missing", "value_too_long")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def shown(text: str) -> str:
    """``text`` on one printable line: control, format (bidi overrides), private-use,
    unassigned and surrogate characters (a name's bytes that are no UTF-8) and line or
    paragraph separators as ``\\n``, ``\\x1b``, ``\\u202e``, ``\\udcff``; all else
    as it is. Escaped text stays as it is when shown again."""
    return "".join(_escape(ch) if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
                   else ch for ch in str(text))


@dataclass
class FormEntry:
    """One form read: its file (relative to the folder), and either the award and the
    row it gave, or the reason it was quarantined and the detail in words."""

    file: str
    award: str | None = None
    unit_id: str | None = None
    nominee: str = ""
    reason: str | None = None
    detail: str = ""
    replaces: str | None = None  # "row N of <file>" when --merge replaced a row

    @property
    def used(self) -> bool:
        return self.reason is None


@dataclass
class IntakeLedger:
    year: int
    folder: str
    forms: list[FormEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_read: int = 0  # files under the folder that are no form read (each with a note)
    written: str | None = None
    kept_rows: int = 0  # rows of the earlier table written again (--merge)
    rows_written: int = 0  # = kept_rows + one row per used form
    backup: str | None = None

    @property
    def used(self) -> list[FormEntry]:
        return [f for f in self.forms if f.used]

    @property
    def quarantined(self) -> list[FormEntry]:
        return [f for f in self.forms if not f.used]

    def counts(self) -> dict[str, int]:
        """Forms quarantined per reason (every reason, zero included)."""
        return {r: sum(f.reason == r for f in self.forms) for r in REASONS}

    def to_dict(self) -> dict:
        return {
            "year": self.year, "folder": self.folder, "files": len(self.forms) + self.not_read,
            "not_read": self.not_read, "forms_read": len(self.forms),
            "used": len(self.used), "quarantined": len(self.quarantined), "reasons": self.counts(),
            "forms": [vars(f).copy() for f in self.forms], "notes": list(self.notes),
            "written": self.written, "rows_written": self.rows_written, "kept_rows": self.kept_rows,
            "backup": self.backup,
        }

    def render(self, award_labels: dict[str, str]) -> str:
        """The ledger as the command prints it."""
        lines = [_("intake {year}: {n_forms} form(s) read in {value} = {n_used} used + {n_quarantined} quarantined").format(year=self.year, n_forms=len(self.forms), value=shown(self.folder), n_used=len(self.used), n_quarantined=len(self.quarantined)),
                 _("  {value} file(s) under the folder = {n_forms} form(s) read + {not_read} not read (see the notes)").format(value=len(self.forms) + self.not_read, n_forms=len(self.forms), not_read=self.not_read)]
        for f in self.used:
            who = f" {shown(f.nominee)}" if f.nominee else ""
            again = f" (replaces {shown(f.replaces)})" if f.replaces else ""
            lines.append(_("  used        {value}: {value2} {unit_id}{who}{again}").format(value=shown(f.file), value2=award_labels.get(f.award, f.award), unit_id=f.unit_id, who=who, again=again))
        for f in self.quarantined:
            label = INTAKE_REASON_LABELS.get(f.reason, f.reason)
            lines.append(_("  quarantined {value}: {label} ({reason}) - {value2}").format(value=shown(f.file), label=label, reason=f.reason, value2=shown(f.detail)))
        for n in self.notes:
            lines.append(_("  note: {value}").format(value=shown(n)))
        if self.written:
            kept = f" + {self.kept_rows} kept from the earlier table" if self.kept_rows else ""
            lines.append(_("written: {value} ({rows_written} row(s) = {n_used} from forms{kept})").format(value=shown(self.written), rows_written=self.rows_written, n_used=len(self.used), kept=kept))
            if self.backup:
                lines.append(_("the earlier nominations table was moved to {value}").format(value=shown(self.backup)))
        else:
            lines.append(_("nothing written: no form was used"))
        return "\n".join(lines)
