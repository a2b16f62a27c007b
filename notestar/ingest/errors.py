"""Why an input was rejected: a check name and a sentence a person can act on."""

from __future__ import annotations


class BadInput(Exception):
    """An input file (or part of one) that cannot become a note."""

    def __init__(self, check_name: str, reason: str):
        super().__init__(f"{check_name}: {reason}")
        self.check_name = check_name
        self.reason = reason
