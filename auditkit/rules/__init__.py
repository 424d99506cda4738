"""Domain rules over a protocol and answers: scoring, eligibility, sampling, training,
incidents, progress, finalizing."""
