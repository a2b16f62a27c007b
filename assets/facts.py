"""Extracted facts: metrics and ratings read out of the notes by the Polars extractor."""


from dagster import AssetExecutionContext, asset

from notestar.pipeline import IngestOutput, extract_step


@asset(group_name="extract", kinds={"polars"})
def extracted_facts(context: AssetExecutionContext, raw_notes: IngestOutput):
    """Candidate facts (schemas.FACTS), ratings (schemas.RATINGS) and companies seen."""
    out = extract_step(raw_notes)
    context.add_output_metadata({
        "facts": out.facts.height,
        "ratings": out.ratings.height,
        "companies": out.companies.height,
    })
    return out
