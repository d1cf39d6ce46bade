"""Backups of the whole installation: `bimtek backup` and `bimtek restore`, the worker's
schedule, and what /backups and /readyz show.

- archive.py: the file itself (a ZIP with a manifest first and a SHA-256 of the whole in
  the ZIP comment) and its verification;
- snapshot.py: a consistent copy of the database while the service runs (SQLite's online
  backup API; pg_dump on PostgreSQL) and the restore into an empty database;
- runs.py: one `backup_run` row per backup, taking one, the status, retention;
- schedule.py: the worker's hook (at most once a minute, one worker per slot).

Every uploaded file (logos, certificate backgrounds, signatures, report photos, meeting
presentations, import uploads) lives in a database column, so the database snapshot
carries them all; the manifest counts them per column.
"""
