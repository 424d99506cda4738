"""The seal: the SHA-256 of the journal head when the audit was finalized.

The journal chain catches an entry changed, inserted or deleted in the middle, but not the
last entries deleted together (the finalize mark with them): what is left is a shorter chain
that verifies. ``finalize`` prints the seal and every report and JSON export of a finalized
audit carries it (and the journal head at the time of the export, if amendments followed), so
``verify --seal HASH`` can check a file against a report held elsewhere: the entry with that
hash must still be in the journal.

The limit: the seal proves the journal still reaches the point a report was made from, no
more. Changes made after that report are listed, not judged; and a file whose journal was
rewritten entirely, hashes recomputed, is caught only by a seal taken before the rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditkit.store.audit_file import Store
from auditkit.store.journal import Entry


@dataclass(frozen=True)
class Seal:
    """The hash of the journal entry that finalized the audit, and of the journal's head."""

    finalized: str
    head: str


def seal_of(store: Store) -> Seal | None:
    """The audit's seal, or None while it is not finalized."""
    entries = store.journal()
    marks = [e for e in entries if e.action == "audit.finalize"]
    if not marks or not store.audit().get("finalized_at"):
        return None
    return Seal(marks[-1].hash, entries[-1].hash)


def check_seal(entries: list[Entry], seal: str) -> tuple[str | None, str]:
    """(a problem or None, a line for the summary) for ``seal`` against ``entries``.

    An entry matches by its hash, or by the hash it was first written with (a merge rechains
    the journal, keeping each entry's first hash).
    """
    wanted = seal.strip().lower()
    if len(wanted) != 64 or any(c not in "0123456789abcdef" for c in wanted):
        return f"seal {seal!r}: not a SHA-256; give the 64 characters the report prints", ""
    for index, entry in enumerate(entries):
        if wanted in (entry.hash, entry.origin_hash):
            later = entries[index + 1 :]
            changes = [e for e in later if e.action != "meta.set"]  # not the TUI's position
            since = (
                f"; {len(changes)} change(s) recorded after it (see 'auditkit log')"
                if changes
                else "; nothing changed after it"
            )
            where = f"journal entry #{entry.seq} ({entry.action}, {entry.at})"
            return None, f"seal {wanted[:12]}… is {where}{since}"
    return (
        f"seal {wanted[:12]}…: no journal entry has this hash: entries were removed after the "
        f"report was made (the journal was rolled back), or the report is of another file",
        "",
    )
