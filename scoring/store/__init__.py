"""Persistence of the core: SQLAlchemy models, repositories and Alembic migrations.

The only part of scoring/ that imports a database package. Rules stay in scoring/ (sheets.py,
rubrics/); this package stores their results append-only and checks nothing a rule decides.
"""
