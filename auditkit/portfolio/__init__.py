"""The firm's portfolio: audits published to one place, pulled back merged, seen at a glance.

A target is a folder of audit files (the embedded default) or a PostgreSQL server; both speak
:class:`~auditkit.portfolio.target.PortfolioTarget`, so ``publish``, ``pull`` and
``portfolio`` are written once. The unit of exchange is the journal entry: publishing is
idempotent and a target holds the union of every copy, exactly as ``merge`` would.
"""
