"""Great Expectations: a file-backed context rooted in `expectations/`, suites kept as JSON files there.

GX is imported lazily and the context is cached per process, so the 4-12 s import is paid once per run.
Suites are written from the specs in `expectations.py` with ids derived from their content (uuid5) and
only when their content changed, so re-runs do not touch the files. Validation definitions, checkpoints
and results live in memory (see `expectations/great_expectations.yml`); Data Docs are built per run
into the folder the caller names.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.util import Finalize
from pathlib import Path

import polars as pl

from ..memory import release_memory
from ..parallel import POOL_ERRORS, spawn_pool
from ..settings import PROJECT_ROOT, gx_helpers
from .expectations import ERROR, Check
from .frames import ROW_IDX

log = logging.getLogger("notestar.quality")

GX_ROOT = PROJECT_ROOT / "expectations"
DATASOURCE = "notestar_batch"
BATCH_DEFINITION = "whole_batch"
DOCS_SITE = "notestar_run"
_NS = uuid.UUID("6f1c7c2e-4b0e-4a53-9d0b-2f4f1f3a9e11")  # namespace for stable suite / expectation ids

_CONTEXT = None
_context_root: Path | None = None  # a helper process's own copy of GX_ROOT (_init_helper)
_PREFETCH: threading.Thread | None = None
IMPORT_SECONDS: float | None = None  # measured once per process, reported in the run log


@dataclass
class Outcome:
    """What one expectation found in one batch."""

    check: Check
    success: bool
    evaluated: int
    failed_rows: list[int] = field(default_factory=list)  # row_idx values of unexpected rows
    all_rows: bool = False  # a table-level failure: every row of the table fails it
    detail: str = ""  # observed value or exception message, for the reason text


def _join_prefetch() -> None:
    if _PREFETCH is not None and _PREFETCH is not threading.current_thread():
        _PREFETCH.join()


def _gx():
    global IMPORT_SECONDS
    _join_prefetch()
    t0 = time.perf_counter()
    import great_expectations as gx  # noqa: PLC0415 - lazy: the import costs seconds

    if IMPORT_SECONDS is None:
        IMPORT_SECONDS = time.perf_counter() - t0
        logging.getLogger("great_expectations").setLevel(logging.WARNING)
        log.info("great_expectations %s imported in %.1f s", gx.__version__, IMPORT_SECONDS)
    return gx


def prefetch_context() -> None:
    """Import GX and open the context on a background thread, so that the 3-20 s import overlaps work this
    process only waits on (the extraction pool). Not a daemon: a process that ends first (a Dagster step
    process) waits for the import rather than killing it halfway. `get_context()` joins it."""
    global _PREFETCH
    if _CONTEXT is None and _PREFETCH is None:
        _PREFETCH = threading.Thread(target=_prefetch, name="gx-prefetch")
        _PREFETCH.start()


def _prefetch() -> None:
    try:
        get_context()
    except Exception as exc:  # get_context() raises it again when the validation asks for the context
        log.warning("GX prefetch failed: %s", exc)


def get_context():
    """The cached file context, with the pandas data source and its assets ensured (created once)."""
    global _CONTEXT
    _join_prefetch()
    if _CONTEXT is not None:
        return _CONTEXT
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    gx = _gx()
    ctx = gx.get_context(mode="file", context_root_dir=str(_context_root or GX_ROOT))
    try:
        ds = ctx.data_sources.get(DATASOURCE)
    except (KeyError, LookupError, ValueError):
        ds = ctx.data_sources.add_pandas(DATASOURCE)
    for table in ("documents", "metric_facts", "ratings"):
        try:
            asset = ds.get_asset(table)
        except LookupError:
            asset = ds.add_dataframe_asset(table)
        try:
            asset.get_batch_definition(BATCH_DEFINITION)
        except (KeyError, LookupError, ValueError):
            asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
    _CONTEXT = ctx
    return ctx


def _expectation(check: Check):
    import great_expectations.expectations as gxe  # noqa: PLC0415
    from great_expectations.expectations.row_conditions import Column  # noqa: PLC0415

    kwargs = dict(check.kwargs)
    if check.when:
        conditions = [Column(col) == value for col, value in check.when]
        condition = conditions[0]
        for c in conditions[1:]:
            condition = condition & c
        kwargs["row_condition"] = condition
    return getattr(gxe, check.expectation)(
        **kwargs,
        severity="critical" if check.severity == ERROR else "warning",
        meta={"check_name": check.name, "notestar_severity": check.severity, "description": check.description},
    )


def suite_dict(name: str, checks: list[Check]) -> dict:
    gx = _gx()
    suite = gx.ExpectationSuite(name=name, expectations=[_expectation(c) for c in checks],
                                meta={"notestar": "generated from notestar/quality/expectations.py"})
    data = json.loads(json.dumps(suite.to_json_dict(), default=str))
    # stable ids (GX would draw random UUIDs and churn the file on every write)
    data["id"] = str(uuid.uuid5(_NS, f"suite:{name}"))
    for exp in data["expectations"]:
        exp["id"] = str(uuid.uuid5(_NS, json.dumps([exp["type"], exp["kwargs"], exp["meta"]], sort_keys=True)))
    return data


def ensure_suite(name: str, checks: list[Check], root: Path = GX_ROOT) -> bool:
    """Write expectations/<name>.json when its content differs from the specs. Returns True if written."""
    path = root / f"{name}.json"
    wanted = suite_dict(name, checks)
    if path.exists():
        try:
            if json.loads(path.read_text(encoding="utf-8")) == wanted:
                return False
        except json.JSONDecodeError:
            pass
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(wanted, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return True


def _outcomes(check_by_name: dict[str, Check], validation_result, n_rows: int) -> list[Outcome]:
    out = []
    for r in validation_result.results:
        check = check_by_name[r.expectation_config.meta["check_name"]]
        result = r.result or {}
        exc = r.exception_info or {}
        raised = exc.get("raised_exception") or any(
            isinstance(v, dict) and v.get("raised_exception") for v in exc.values())
        if raised:
            msgs = [exc.get("exception_message")] + [v.get("exception_message") for v in exc.values()
                                                     if isinstance(v, dict)]
            detail = "; ".join(m for m in msgs if m)[:300]
            out.append(Outcome(check, False, n_rows, all_rows=True, detail=f"check could not run: {detail}"))
        elif "unexpected_index_list" in result or "element_count" in result:
            rows = sorted({int(item[ROW_IDX]) for item in result.get("unexpected_index_list") or []})
            out.append(Outcome(check, bool(r.success), int(result.get("element_count") or 0), rows))
        else:  # table-level expectation (columns present, column type)
            detail = json.dumps(result.get("observed_value"), ensure_ascii=False, default=str)[:300]
            out.append(Outcome(check, bool(r.success), n_rows, all_rows=not r.success, detail=f"observed {detail}"))
    return out


# Only the type and nullness of long free text is checked: GX gets a short head of it (GX's row
# conditions copy the whole frame per expectation, so wide strings cost time and memory).
TEXT_HEAD_COLUMNS = ("evidence", "text")
TEXT_HEAD_CHARS = 16
# A large table is validated in parts of about this many rows, split by note (every row-level check is
# per row, and the uniqueness keys include note_id), so memory stays bounded at any batch size. Smaller parts
# save little memory and cost time: each checkpoint run has a fixed cost (2.3M facts: 43 s in 150k parts,
# 81 s in 50k parts, 0.1 GB less peak).
CHUNK_ROWS = 150_000


def _gx_frame(df: pl.DataFrame):
    heads = [pl.col(c).str.slice(0, TEXT_HEAD_CHARS) for c in TEXT_HEAD_COLUMNS
             if c in df.columns and df.schema[c] == pl.String]
    return (df.with_columns(heads) if heads else df).to_pandas()


def _parts(df: pl.DataFrame, chunk_rows: int):
    """The table in parts of about chunk_rows rows, all rows of a note in one part; made one at a time
    (partition_by would copy the whole table at once)."""
    if df.height <= chunk_rows or "note_id" not in df.columns:
        yield df
        return
    n = -(-df.height // chunk_rows)
    part = df.select((pl.col("note_id").hash(seed=7) % n).alias("_part")).to_series()
    for k in range(n):
        yield df.filter(part == k)


def _merge(parts: list[list[Outcome]]) -> list[Outcome]:
    """One outcome per check from the outcomes of the parts of one table."""
    merged = []
    for group in zip(*parts, strict=True):
        first = group[0]
        merged.append(Outcome(
            first.check, all(o.success for o in group), sum(o.evaluated for o in group),
            sorted({i for o in group for i in o.failed_rows}), any(o.all_rows for o in group),
            next((o.detail for o in group if o.detail and not o.success), first.detail),
        ))
    return merged


def _checkpoint(table: str, checks: list[Check]):
    """This process's checkpoint for one table's suite (validation definition and checkpoint are in memory)."""
    gx = _gx()
    ctx = get_context()
    batch_def = ctx.data_sources.get(DATASOURCE).get_asset(table).get_batch_definition(BATCH_DEFINITION)
    vd = ctx.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"notestar_{table}", data=batch_def, suite=ctx.suites.get(table)))
    return ctx.checkpoints.add_or_update(gx.Checkpoint(
        name=f"notestar_{table}", validation_definitions=[vd], actions=[],
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_IDX],
                       "return_unexpected_index_query": False}))


def _init_helper() -> None:
    """A validation helper process opens its own copy of the GX project: GX rewrites a suite's JSON file when a
    validation definition is saved, and a reader in another process could meet the file half written."""
    global _context_root
    _context_root = Path(tempfile.mkdtemp(prefix="notestar-gx-"))
    shutil.copytree(GX_ROOT, _context_root, dirs_exist_ok=True)
    Finalize(None, shutil.rmtree, args=(_context_root, True), exitpriority=0)  # when the helper exits


def _validate_part(table: str, checks: list[Check], part: pl.DataFrame) -> list[Outcome]:
    """One part of a table through its checkpoint, in this process (the caller's or a pool worker)."""
    by_name = {c.name: c for c in checks}
    run = _checkpoint(table, checks).run(batch_parameters={"dataframe": _gx_frame(part)})
    out = [o for vr in run.run_results.values() for o in _outcomes(by_name, vr, part.height)]
    del run
    release_memory(collect=False)  # the part's pandas frame and GX's copies of it
    return out


# A table of at least this many parts is shared with helper processes when settings.gx_helpers() allows any: each
# must import GX first (3-8 s), which only pays for itself over several parts (2.3M facts: 16 parts).
POOL_MIN_PARTS = 4


def _validate_parts(table: str, checks: list[Check], df: pl.DataFrame, chunk_rows: int) -> list[list[Outcome]]:
    """Outcomes of every part of one table. Large tables: this process validates parts itself and hands the
    next part to a helper process whenever one is free, so at most one part per helper is in flight (parts
    are made one at a time; submitting all would copy the table). Parts a helper validated are missing from
    this process's Data Docs, not from the outcomes."""
    n_parts = -(-df.height // chunk_rows) if "note_id" in df.columns else 1
    helpers = min(gx_helpers(), n_parts - 1)
    if n_parts < POOL_MIN_PARTS or helpers < 1:
        return [_validate_part(table, checks, part) for part in _parts(df, chunk_rows)]
    done, in_flight = [], []
    try:
        with spawn_pool(helpers, initializer=_init_helper) as pool:
            for part in _parts(df, chunk_rows):
                for finished in [f for f in in_flight if f.done()]:
                    done.append(finished.result())
                    in_flight.remove(finished)
                if len(in_flight) < helpers:
                    in_flight.append(pool.submit(_validate_part, table, checks, part))
                else:
                    done.append(_validate_part(table, checks, part))
            done.extend(f.result() for f in in_flight)
    except POOL_ERRORS as exc:  # no children here (a daemonic process): every part in this process
        log.warning("GX: process pool unavailable (%s); validating %s in this process", exc, table)
        return [_validate_part(table, checks, part) for part in _parts(df, chunk_rows)]
    return done


def run_suites(frames: dict[str, pl.DataFrame], checks: dict[str, list[Check]],
               data_docs_dir: Path | None = None, chunk_rows: int | None = None) -> dict[str, list[Outcome]]:
    """Validate each table's frame with its suite through a checkpoint; build Data Docs if asked."""
    ctx = get_context()
    outcomes: dict[str, list[Outcome]] = {}
    for table, df in frames.items():
        ensure_suite(table, checks[table])
        parts = _validate_parts(table, checks[table], df, chunk_rows or CHUNK_ROWS)
        outcomes[table] = parts[0] if len(parts) == 1 else _merge(parts)
    if data_docs_dir is not None:
        build_data_docs(ctx, Path(data_docs_dir))
    return outcomes


def build_data_docs(ctx, docs_dir: Path) -> Path | None:
    """Build the Data Docs site of this process's validation results into docs_dir (in-memory site config)."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    ctx.variables.data_docs_sites = {DOCS_SITE: {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }}
    try:
        ctx.build_data_docs(site_names=[DOCS_SITE])
    except Exception as exc:  # docs are a convenience; a failure must not stop the load
        log.warning("GX Data Docs not built: %s", exc)
        return None
    index = docs_dir / "index.html"
    return index if index.exists() else None
