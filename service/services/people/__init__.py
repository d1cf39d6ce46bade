"""People across trainings: one person per organization (Participant), found again by
NIK, else NIP, else phone and name (matching); searched without giving numbers away
(search); their trainings, attendance, JPL and certificates (record); the pairs that look
like one person (duplicates), and merging them with an audit entry (merge) or marking
them as two people (distinct)."""
