"""The nightly data-quality report: one offline HTML page built from the warehouse's dq tables."""

from .write import write_report

__all__ = ["write_report"]
