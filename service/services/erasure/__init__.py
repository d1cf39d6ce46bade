"""Erasure of a person's data under UU PDP No. 27/2022: requests and their approval
(requests.py), the erasure itself with every copy of the data (scrub.py), and the
organization's retention setting the worker applies (retention.py)."""
