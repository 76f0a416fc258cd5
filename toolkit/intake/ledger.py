"""The ledger of an intake: every form read is used or quarantined with its reason, so
forms read = used + quarantined; what the nominations table became; and notes (a
nominee without a start date, two forms for the same nominee, files that are no .docx)."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.vocabulary import INTAKE_REASON_LABELS

#: why a form is not used, in the order a form is judged
REASONS = ("unreadable", "not_approval_form", "no_box_ticked", "several_boxes_ticked", "unknown_unit",
           "nominee_missing")


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
            "year": self.year, "folder": self.folder, "forms_read": len(self.forms),
            "used": len(self.used), "quarantined": len(self.quarantined), "reasons": self.counts(),
            "forms": [vars(f).copy() for f in self.forms], "notes": list(self.notes),
            "written": self.written, "rows_written": self.rows_written, "kept_rows": self.kept_rows,
            "backup": self.backup,
        }

    def render(self, award_labels: dict[str, str]) -> str:
        """The ledger as the command prints it."""
        lines = [f"intake {self.year}: {len(self.forms)} form(s) read in {self.folder} = "
                 f"{len(self.used)} used + {len(self.quarantined)} quarantined"]
        for f in self.used:
            who = f" {f.nominee}" if f.nominee else ""
            again = f" (replaces {f.replaces})" if f.replaces else ""
            lines.append(f"  used        {f.file}: {award_labels.get(f.award, f.award)} {f.unit_id}{who}{again}")
        for f in self.quarantined:
            label = INTAKE_REASON_LABELS.get(f.reason, f.reason)
            lines.append(f"  quarantined {f.file}: {label} ({f.reason}) - {f.detail}")
        for n in self.notes:
            lines.append(f"  note: {n}")
        if self.written:
            kept = f" + {self.kept_rows} kept from the earlier table" if self.kept_rows else ""
            lines.append(f"written: {self.written} ({self.rows_written} row(s) = {len(self.used)} from forms{kept})")
            if self.backup:
                lines.append(f"the earlier nominations table was moved to {self.backup}")
        else:
            lines.append("nothing written: no form was used")
        return "\n".join(lines)
