"""Scoring shared by the held-out yardstick tests (tests/test_heldout*_notes.py).

Matching is the shared scorer's (/work/shared/tools/score_extraction.py, imported when the shared folder is
there), else the same few rules re-implemented here.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest

from notestar.extract import extract_facts
from notestar.ingest import ingest_folder

ROOT = Path(__file__).resolve().parent.parent
SHARED_TOOLS = ROOT.parent / "shared" / "tools"
SHARED_GOLD = ROOT.parent / "shared" / "gold"

# ----------------------------------------------------------------------------------------------------------
# Matching: the shared scorer when present, else a re-implementation of its rules (README "Scoring").

KEY_FIELDS = ("file", "metric", "segment", "measure", "period", "basis", "unit")
VIEW_COLUMNS = {"file": "source_file", "company": "company_name", "ticker": "company_ticker",
                "metric": "metric_code", "segment": "segment_code", "measure": "measure",
                "period": "period_label", "basis": "basis", "value": "value", "unit": "unit",
                "evidence": "evidence"}


def _load_shared_scorer():
    path = SHARED_TOOLS / "score_extraction.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("shared_score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _LocalScorer:
    """The scorer's matching: key fields equal, company by name or ticker, value within rel 1e-6."""

    @staticmethod
    def norm_text(value) -> str:
        return "" if value is None else str(value).strip()

    @classmethod
    def norm_tickers(cls, value) -> set[str]:
        out = set()
        for part in re.split(r"[,|;/\s]+", cls.norm_text(value)):
            if part:
                code, dot, market = part.upper().partition(".")
                out.add((code.lstrip("0") or code) + dot + market)
        return out

    @classmethod
    def load_gold(cls, path: Path) -> list[dict]:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            row["value"] = float(row["value"])
            for f in ("file", "company", "ticker", *KEY_FIELDS):
                row[f] = cls.norm_text(row.get(f))
        return rows

    @classmethod
    def from_view(cls, record: dict) -> dict:
        row = {f: record.get(c) for f, c in VIEW_COLUMNS.items()}
        for f in row:
            if f != "value":
                row[f] = cls.norm_text(row[f])
        row["file"] = Path(row["file"]).name
        try:
            row["value"] = float(row["value"])
        except (TypeError, ValueError):
            row["value"] = math.nan
        return row

    @staticmethod
    def dedupe(rows: list[dict]) -> list[dict]:
        seen, out = set(), []
        for r in rows:
            key = tuple(r[f] for f in KEY_FIELDS) + (r["company"], r["ticker"],
                                                     "nan" if math.isnan(r["value"]) else round(r["value"], 6))
            if key not in seen:
                seen.add(key)
                out.append(r)
        return out

    @classmethod
    def score(cls, gold: list[dict], extracted: list[dict]) -> dict:
        files = {g["file"] for g in gold}
        extracted = [e for e in extracted if e["file"] in files]
        by_key = defaultdict(list)
        for e in extracted:
            by_key[tuple(e[f] for f in KEY_FIELDS)].append(e)
        used, missed = set(), []
        for g in gold:
            hit = next((e for e in by_key.get(tuple(g[f] for f in KEY_FIELDS), [])
                        if id(e) not in used
                        and ((g["company"] and g["company"] == e["company"])
                             or cls.norm_tickers(g["ticker"]) & cls.norm_tickers(e["ticker"]))
                        and math.isclose(g["value"], e["value"], rel_tol=1e-6, abs_tol=1e-9)), None)
            if hit is None:
                missed.append(g)
            else:
                used.add(id(hit))
        tp = len(gold) - len(missed)
        return {"gold": len(gold), "extracted": len(extracted), "matched": tp,
                "precision": tp / len(extracted) if extracted else 0.0,
                "recall": tp / len(gold) if gold else 0.0, "missed": missed,
                "false_positives": [e for e in extracted if id(e) not in used]}


SCORER = _load_shared_scorer() or _LocalScorer


def _codes(name: str) -> set[str]:
    path = SHARED_GOLD / name if (SHARED_GOLD / name).is_file() else ROOT / "notestar" / "lexicon" / name
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["code"] for r in csv.DictReader(fh)}


def extract_folder(folder: Path):
    return extract_facts(ingest_folder(folder / "notes").notes)


def score_folder(folder: Path, extracted) -> dict:
    """Score `extracted` against folder/gold_facts.csv as the shared scorer does (unscored codes left out)."""
    metrics, segments = _codes("metrics.csv"), _codes("segments.csv") | {""}
    rows = [SCORER.from_view(r) for r in extracted.facts.to_dicts()]
    scored = SCORER.dedupe([r for r in rows if r["metric"] in metrics and r["segment"] in segments])
    gold = SCORER.dedupe(SCORER.load_gold(folder / "gold_facts.csv"))
    return SCORER.score(gold, scored)


def facts_of(extracted, name: str) -> list[tuple]:
    facts = extracted.facts.filter(extracted.facts["source_file"].str.ends_with(name))
    return sorted((r["metric_code"], r["measure"], r["period_label"], r["basis"], r["value"]) for r in facts.to_dicts())


def _describe(rows: list[dict]) -> str:
    return "\n".join(f"  {r['file']} | {r['company']} | {r['metric']} {r['segment']} {r['measure']} {r['period']} "
                     f"{r['basis']} = {r['value']:g} {r['unit']}" for r in rows)


def assert_every_file_ingested(folder: Path, extracted, n_files: int) -> None:
    files = {p.name for p in (folder / "notes").iterdir() if p.suffix in (".txt", ".md")}
    assert len(files) == n_files
    assert set(extracted.facts["source_file"].map_elements(lambda s: Path(s).name, return_dtype=str)) == files


def assert_gold_clean(folder: Path, n_rows: int) -> None:
    metrics, segments = _codes("metrics.csv"), _codes("segments.csv") | {""}
    gold = SCORER.load_gold(folder / "gold_facts.csv")
    assert len(gold) == n_rows
    assert all(g["metric"] in metrics and g["segment"] in segments for g in gold)
    assert {g["measure"] for g in gold} <= {"level", "yoy", "qoq", "yoy_pp", "qoq_pp"}
    assert {g["basis"] for g in gold} <= {"actual", "estimate", "prior_estimate"}
    assert len(SCORER.dedupe(gold)) == len(gold)


def assert_no_regression(result: dict, min_precision: float, min_recall: float) -> None:
    report = (f"precision {result['precision']:.3f} recall {result['recall']:.3f} "
              f"(gold {result['gold']}, found {result['extracted']}, matched {result['matched']})\n"
              f"missed:\n{_describe(result['missed'])}\nfalse positives:\n{_describe(result['false_positives'])}")
    assert result["precision"] >= min_precision, report
    assert result["recall"] >= min_recall, report


def assert_ratings_match(folder: Path, extracted) -> None:
    """One rating row per file and company (a digest rates several companies), each as the gold has it."""
    with (folder / "gold_ratings.csv").open(newline="", encoding="utf-8") as fh:
        gold = list(csv.DictReader(fh))
    got = {(Path(r["source_file"]).name, r["company_name"]): r for r in extracted.ratings.to_dicts()}
    assert set(got) == {(g["file"], g["company"]) for g in gold}
    for g in gold:
        r = got[(g["file"], g["company"])]
        assert (r["institution"], r["rating"], r["action"]) == (g["institution"], g["rating"], g["action"]), g
        if g["rating_zh"]:
            assert r["rating_zh"] == g["rating_zh"], g
        if g["target_price"]:
            assert r["target_price"] == pytest.approx(float(g["target_price"])), g
            assert r["currency"] == g["currency"], g
        else:
            assert r["target_price"] is None and not r["currency"], g


class YardstickTests:
    """The checks every held-out set gets; a test module subclasses it and sets the four attributes."""

    FOLDER: Path
    N_FILES: int
    N_GOLD: int
    MIN_PRECISION = 0.995
    MIN_RECALL = 0.995

    @pytest.fixture(scope="class")
    @classmethod
    def extracted(cls):
        return extract_folder(cls.FOLDER)

    def test_every_note_file_is_ingested(self, extracted):
        assert_every_file_ingested(self.FOLDER, extracted, self.N_FILES)

    def test_gold_uses_known_codes_and_no_duplicate_rows(self):
        assert_gold_clean(self.FOLDER, self.N_GOLD)

    def test_precision_and_recall_do_not_regress(self, extracted):
        assert_no_regression(score_folder(self.FOLDER, extracted), self.MIN_PRECISION, self.MIN_RECALL)

    def test_ratings_rows_match_gold(self, extracted):
        assert_ratings_match(self.FOLDER, extracted)
