"""Data quality: GX suites (expectations/), cross-fact SQL checks (sql/checks/), severity -> quarantine/flag."""

from .validate import ValidationResult, validate

__all__ = ["ValidationResult", "validate"]
