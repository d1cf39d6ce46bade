"""Erasure of a person's data under UU PDP No. 27/2022: requests and their approval
(requests.py), the erasure itself with every copy of the data (scrub.py), the
organization's retention setting the worker applies (retention.py), and what old
trainings' nominations hold of people who never became participants (unit_papers.py)."""
