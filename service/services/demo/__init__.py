"""The demo `bimtek demo` seeds into an empty database: Padang's four angkatan (padang.py)
with everything around them (attendance, tests, evaluations, messages, report, erasure),
and the offices of their own: the Sumsel provincial workshop (province.py), Pontianak's
stages and monthly coaching (pontianak.py), the West Sumatra province office
(sumbar.py), Tangerang Selatan's Pokja meetings (tangsel.py, minutes.py)."""

from service.services.demo.padang import (
    CATEGORIES,
    OPERATOR_EMAIL,
    ORG_NAME,
    DemoResult,
    demo_participants,
    seed_demo,
)

__all__ = ["CATEGORIES", "OPERATOR_EMAIL", "ORG_NAME", "DemoResult", "demo_participants",
           "seed_demo"]
