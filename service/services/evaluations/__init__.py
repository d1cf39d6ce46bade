"""Evaluations of narasumber (one per session) and of the event (one per training):
the organization's standard forms (forms), the participant's anonymous answers
(answers), and what the committee and the narasumber see of them (results)."""
