"""auditkit: the field tool for Alberta COR and SECOR health-and-safety audits."""

__version__ = "0.1.0"
