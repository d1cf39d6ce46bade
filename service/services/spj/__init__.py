"""The SPJ (surat pertanggungjawaban): what the treasurer pays for a training and the
documents that account for it.

- rates.py: the rate table per organization and year (validated, copied to a new year);
- finance.py: a narasumber's NIP, golongan, NPWP and bank account (treasurer and admins);
- terbilang.py: amounts in Indonesian words;
- money.py: tax rounding (to the whole rupiah, half up);
- transport.py, honorarium.py: the rows, from the attendance record;
- compute.py: the whole SPJ of a training, with totals and warnings;
- documents.py: the daftar nominatif and tanda terima as the renderers take them.
"""
