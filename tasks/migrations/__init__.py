"""The store's schema over time: Alembic migrations, run under the stage lock (tasks/store.py)."""
