"""`notestar` command line: run the nightly job, show status, query the warehouse, export it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

NotesDir = Annotated[Path | None, typer.Option("--notes-dir", help="Landing folder (default samples/notes)")]
DbFile = Annotated[Path | None, typer.Option("--db", help="DuckDB warehouse (default warehouse/notestar.duckdb)")]
ReportDir = Annotated[Path | None, typer.Option("--report-dir", help="Where reports go (default reports/)")]


def _progress_logging() -> None:
    """Step-by-step progress from notestar's own logger; other libraries only warn."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s", datefmt="%H:%M:%S",
                        stream=sys.stderr)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
    ours = logging.getLogger("notestar")
    ours.setLevel(logging.INFO)
    ours.addHandler(handler)
    ours.propagate = False


def run_job(settings: Settings, raise_on_error: bool = True):
    """Materialise every asset of the nightly job in-process (the same job the schedule runs)."""
    from dagster import DagsterInstance

    from pipelines.definitions import build_defs

    defs = build_defs(settings)
    job = defs.resolve_job_def("nightly_notes_job")
    instance = DagsterInstance.get() if _dagster_home() else DagsterInstance.ephemeral()
    return job.execute_in_process(
        instance=instance,
        raise_on_error=raise_on_error,
        run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
    )


def _dagster_home() -> bool:
    import os

    return bool(os.environ.get("DAGSTER_HOME"))


@app.command()
def run(notes_dir: NotesDir = None, db: DbFile = None, report_dir: ReportDir = None,
        full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Re-read every note")] = False) -> None:
    """Run the nightly job once: ingest, extract, validate, load, report."""
    from .pipeline import summarize

    _progress_logging()
    settings = Settings.from_env(notes_dir=notes_dir, db_path=db, report_dir=report_dir, full_refresh=full_refresh)
    typer.echo(f"notestar: {settings.notes_dir} -> {settings.db_path}", err=True)
    result = run_job(settings, raise_on_error=False)
    if not result.success:
        failed = [e.step_key for e in result.all_events if e.is_step_failure]
        typer.echo(f"run {result.run_id} FAILED at {', '.join(failed) or 'a step'}", err=True)
        for event in result.all_events:
            if event.is_step_failure and event.step_failure_data.error:
                typer.echo(event.step_failure_data.error.to_string(), err=True)
        raise typer.Exit(1)
    summary = summarize(result.run_id, settings, result.asset_value("raw_notes"),
                        result.asset_value("extracted_facts"), result.asset_value("validated_facts"),
                        Path(result.asset_value("dq_report")))
    for line in summary.lines():
        typer.echo(line)


@app.command()
def status(db: DbFile = None, limit: int = 10) -> None:
    """Recent runs and the row count of every table."""
    from .warehouse import recent_runs, table_counts

    settings = Settings.from_env(db_path=db)
    if not settings.db_path.exists():
        typer.echo(f"no warehouse at {settings.db_path}; run `notestar run` first")
        raise typer.Exit(1)
    typer.echo(str(recent_runs(settings.db_path, limit=limit)))
    for name, count in table_counts(settings.db_path).items():
        typer.echo(f"{name:<28} {count:>10,}")


@app.command()
def sql(query: Annotated[str, typer.Argument(help="SQL, or a path to a .sql file")], db: DbFile = None,
        csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table")] = False) -> None:
    """Run ad-hoc SQL on the warehouse (read-only; never blocks or is blocked by the nightly load)."""
    import polars as pl

    from .warehouse import connect_readonly

    settings = Settings.from_env(db_path=db)
    text = Path(query).read_text(encoding="utf-8") if query.endswith(".sql") and Path(query).exists() else query
    con = connect_readonly(settings.db_path)
    try:
        frame = con.sql(text).pl()
    finally:
        con.close()
    if csv:
        typer.echo(frame.write_csv(), nl=False)
    else:
        with pl.Config(tbl_rows=200, tbl_cols=30, fmt_str_lengths=60, tbl_width_chars=200):
            typer.echo(str(frame))


@app.command()
def export(out_dir: Annotated[Path, typer.Argument(help="Folder to write the tables to")], db: DbFile = None,
           fmt: Annotated[str, typer.Option("--format", help="parquet or csv")] = "parquet") -> None:
    """Write the star schema (dimensions, facts, views' base tables) as Parquet or CSV files."""
    from .warehouse import export_star

    settings = Settings.from_env(db_path=db)
    paths = export_star(settings.db_path, out_dir, fmt=fmt)
    typer.echo(f"wrote {len(paths)} files to {out_dir}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
