"""Raw notes: the landing folder read into one row per note (bad files quarantined)."""


from dagster import AssetExecutionContext, MetadataValue, asset

from notestar.pipeline import IngestOutput, ingest_step
from pipelines.resources import NotestarSettings


@asset(group_name="ingest", kinds={"python", "polars"})
def raw_notes(context: AssetExecutionContext, notestar: NotestarSettings) -> IngestOutput:
    """Every note in the landing folder that is new (or was read by an older extractor version)."""
    out = ingest_step(notestar.settings())
    context.add_output_metadata({
        "files_seen": out.files_seen,
        "notes_seen": out.notes_seen,
        "notes_to_process": out.notes.height,
        "notes_already_loaded": out.notes_skipped,
        "files_quarantined": out.quarantine.height,
        "quarantine": MetadataValue.md(_md_table(out.quarantine.select("source_file", "check_name", "reason").rows())),
    })
    return out


def _md_table(rows) -> str:
    if not rows:
        return "none"
    lines = ["| file | check | reason |", "|---|---|---|"]
    lines += [f"| {f} | {c} | {r} |" for f, c, r in rows[:50]]
    return "\n".join(lines)
