"""Shared test fixtures: paths to the bundled samples and (when present) the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "notes"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def lexicon():
    """The bundled lexicon (notestar/lexicon/)."""
    from notestar.lexicon import load_lexicon

    return load_lexicon()
