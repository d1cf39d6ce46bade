"""Meetings (pertemuan): presenters by unit, their presentations, and session materials."""
