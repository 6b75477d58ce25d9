"""Alembic migration history of the CSA database."""
