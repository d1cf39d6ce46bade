"""A province office's read-only view of the offices that share their aggregates with it
(sharing.py: who shares with whom; figures.py: the counts, coverage and JPL it sees)."""
