"""Nominations by unit (issue 16): the kabupaten/kota, OPD or kecamatan invited to a
training, each naming its own delegates up to a quota by a deadline through its focal
point's private link (/nominasi/{token}); the committee follows the fill, reminds the units
that lag and accepts the delegates into the training as registrations.

units.py     a training's units: add (from the register or by a new name), quota, deadline
links.py     the focal point's private link: hashed, expiring, revocable
nominees.py  the delegates a link names: quota and deadline decided under a row lock
surat_tugas.py  the unit's letter of assignment (a PDF or a photo, checked by content)
status.py    the fill per unit and the totals the committee's page shows
reminders.py reminders to the units that lag, through the outbox
accept.py    delegates into the training as registrations
"""
