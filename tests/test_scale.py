"""Scale-out pieces: chunked extraction equals the serial extractor; the ingest manifest re-reads only what
changed; the Dagster job runs with the multiprocess executor (assets handed between processes pickled)."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from notestar.extract import extract_facts
from notestar.extract_pool import extract_parallel, file_chunks
from notestar.ingest import ingest_folder
from notestar.ingest_cache import ingest_incremental
from notestar.parallel import spawn_pool

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "notes"

# An invented company: named with its code in one file, by name only in a later file (another chunk),
# so chunked extraction must share what the serial pass learnt across notes.
FIRST_MENTION = """晨曦光电(688777)：三季度营收同比增长18%
财经日报· 2025-10-28 20:15
- 2025年第三季度公司实现营业收入5.6亿元，同比增长18.2% [1]
- 归母净利润0.61亿元，同比增长9.5% [2]
"""
LATER_MENTION = """晨曦光电：毛利率继续改善
证券快讯· 2025-10-30 08:00
- 晨曦光电2025年第三季度毛利率为31.4%，同比提升1.2个百分点
- 公司前三季度实现营业收入15.2亿元，同比增长16.4%
"""


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scale") / "landing"
    root.mkdir()
    (root / "a00_first.txt").write_text(FIRST_MENTION, encoding="utf-8")
    for k in range(4):  # sample copies made distinct notes by a trailing line
        for src in sorted(SAMPLES.glob("*.txt")):
            text = src.read_text(encoding="utf-8").rstrip("\n") + f"\n（第{k}份副本）\n"
            (root / f"b{k}_{src.name}").write_text(text, encoding="utf-8")
    (root / "c99_later.txt").write_text(LATER_MENTION, encoding="utf-8")
    return root


def test_chunks_keep_files_whole(landing):
    notes = ingest_folder(landing).notes
    bounds = file_chunks(notes, chunk_notes=2)
    assert bounds[0][0] == 0 and bounds[-1][1] == notes.height and len(bounds) >= 4
    files = notes["source_file"].to_list()
    for (_, b), (c, _) in zip(bounds, bounds[1:], strict=False):
        assert b == c and files[b - 1] != files[b]  # contiguous, cut between two files


def test_chunked_extraction_equals_serial(landing):
    notes = ingest_folder(landing).notes
    serial = extract_facts(notes)
    chunked = extract_parallel(notes, workers=2, chunk_notes=2, min_notes=0)
    assert serial.facts.height > 100
    assert_frame_equal(chunked.facts, serial.facts)
    assert_frame_equal(chunked.ratings, serial.ratings)
    assert_frame_equal(chunked.companies, serial.companies)
    later = chunked.facts.filter(pl.col("source_file") == "c99_later.txt")
    assert later.height >= 2 and set(later["company_name"]) == {"晨曦光电"}


def test_ingest_manifest_rereads_only_changed_or_pending_files(landing, tmp_path):
    land = tmp_path / "landing"
    shutil.copytree(landing, land)
    full = ingest_folder(land)
    cold, read = ingest_incremental(land, tmp_path / "cache")
    assert read == len(list(land.iterdir()))
    assert_frame_equal(cold.notes, full.notes)
    done = set(full.notes["note_id"])
    warm, read = ingest_incremental(land, tmp_path / "cache", done)
    assert read == 0 and warm.notes["text"].null_count() == warm.notes.height
    assert_frame_equal(warm.notes.drop("text"), full.notes.drop("text"))
    (land / "c99_later.txt").write_text(LATER_MENTION + "- 补充一行\n", encoding="utf-8")
    changed, read = ingest_incremental(land, tmp_path / "cache", done)
    assert read == 1
    new = changed.notes.filter(~pl.col("note_id").is_in(list(done)))
    assert new["source_file"].to_list() == ["c99_later.txt"] and new["text"][0].endswith("补充一行")


def test_validation_in_parts_equals_one_pass(landing, monkeypatch):
    from notestar.quality import gx_runner, validate

    notes = ingest_folder(landing).notes
    extracted = extract_facts(notes)
    # a fault in one note and a repeat inside another, so parts have failures to merge
    facts = pl.concat([extracted.facts, extracted.facts.head(1),
                       extracted.facts.tail(1).with_columns(unit=pl.lit("RMB"))])
    whole = validate(notes, facts, extracted.ratings)
    monkeypatch.setattr(gx_runner, "CHUNK_ROWS", 40)
    assert len(list(gx_runner._parts(facts, 40))) > 3
    monkeypatch.setattr(gx_runner, "POOL_MIN_PARTS", 10**6)
    parts = validate(notes, facts, extracted.ratings)
    # the same parts shared between this process and a helper process
    monkeypatch.setenv("NOTESTAR_GX_HELPERS", "1")
    monkeypatch.setattr(gx_runner, "POOL_MIN_PARTS", 2)
    pools = []
    monkeypatch.setattr(gx_runner, "spawn_pool", lambda n, **kw: pools.append(n) or spawn_pool(n, **kw))
    shared = validate(notes, facts, extracted.ratings)
    assert pools == [1]  # metric_facts only: the other tables are one part each
    assert whole.quarantine.height >= 2
    for got in (parts, shared):
        assert_frame_equal(got.facts, whole.facts)
        assert_frame_equal(got.quarantine, whole.quarantine)
        assert_frame_equal(got.results, whole.results)


def nightly_job():
    """The deployed job, rebuilt in each step process from the NOTESTAR_* environment."""
    from notestar.settings import Settings
    from pipelines.definitions import build_defs

    return build_defs(Settings.from_env()).resolve_job_def("nightly_notes_job")


@pytest.mark.slow
def test_job_runs_with_the_multiprocess_executor(tmp_path, monkeypatch):
    from dagster import DagsterInstance, build_reconstructable_job, execute_job

    from notestar.pipeline import IngestOutput, extract_step, ingest_step
    from notestar.settings import Settings

    landing = tmp_path / "landing"
    landing.mkdir()
    for src in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(src, landing / src.name)
    (landing / "later.txt").write_text(LATER_MENTION, encoding="utf-8")
    env = {"NOTESTAR_NOTES_DIR": landing, "NOTESTAR_DB": tmp_path / "wh" / "notestar.duckdb",
           "NOTESTAR_REPORT_DIR": tmp_path / "reports", "NOTESTAR_CACHE_DIR": tmp_path / "cache",
           "DAGSTER_HOME": tmp_path / "dagster_home"}
    for k, v in env.items():
        monkeypatch.setenv(k, str(v))
    (tmp_path / "dagster_home").mkdir()

    # what the steps hand each other crosses process boundaries by pickle (the default fs IO manager)
    settings = Settings.from_env()
    ingested = ingest_step(settings)
    again = pickle.loads(pickle.dumps(ingested))
    assert isinstance(again, IngestOutput) and again.notes.equals(ingested.notes)
    assert pickle.loads(pickle.dumps(extract_step(ingested))).facts.height > 20

    with DagsterInstance.get() as instance:
        # each step process rebuilds the job by importing this module (from the project root)
        job = build_reconstructable_job("tests.test_scale", "nightly_job",
                                        reconstructor_working_directory=str(Path(__file__).resolve().parent.parent))
        result = execute_job(job, instance=instance,
                             run_config={"execution": {"config": {"multiprocess": {"max_concurrent": 2}}}})
        assert result.success
        step_pids = {e.pid for e in result.all_events if e.event_type_value == "STEP_START"}
        assert len(step_pids) >= 4 and os.getpid() not in step_pids  # one process per step
        materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert {"raw_notes", "extracted_facts", "validated_facts", "fact_metric", "dq_report"} <= materialised
        stored = list((tmp_path / "dagster_home" / "storage").rglob("raw_notes"))
        assert stored, "assets were persisted between step processes"
    import duckdb

    con = duckdb.connect(str(env["NOTESTAR_DB"]), read_only=True)
    try:
        files = {r[0] for r in con.execute("SELECT DISTINCT source_file FROM v_metric_facts").fetchall()}
    finally:
        con.close()
    assert {"later.txt", *(p.name for p in SAMPLES.glob("*.txt"))} <= files
