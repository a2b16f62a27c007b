"""Dagster assets: one thin call into the engine (notestar.pipeline) each."""
