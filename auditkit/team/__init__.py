"""Several auditors, one audit: merge, replay, conflicts, verify and history."""
