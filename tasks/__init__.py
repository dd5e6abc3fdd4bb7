"""Prefect tasks: every side effect of the pipeline (files, store, GX, e-mail, rendering)."""
