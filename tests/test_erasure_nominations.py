"""Erasing a person also clears the unit's nomination of them (UU PDP): the name, NIP,
jabatan, phone and email the focal point typed; another delegate's stays."""

from sqlmodel import Session

from service.models import Nominee, Participant
from service.models.base import pk
from service.services.erasure import scrub
from service.services.nominations import nominees
from service.services.nominations import units as training_units
from tests import factories as f


def test_erasure_clears_the_units_nomination_of_her(db: Session) -> None:
    org = f.organization(db)
    t = f.training(db, org)
    b = f.batch(db, t)
    reg = f.register(db, t, b, name="Yusnimar Chaniago", nip="197608172005012003")
    unit = training_units.add_unit(db, t, name="Kabupaten Lahat", quota=3)
    hers = nominees.add(db, unit, {"name": "Yusnimar Chaniago", "nip": "197608172005012003",
                                   "position": "Kepala Seksi", "phone": "081266340011",
                                   "email": "yusnimar@lahatkab.go.id"})
    other = nominees.add(db, unit, {"name": "Rahmi Dt. Bungsu", "phone": "081266340099"})
    hers.registration_id = pk(reg)
    db.add(hers)
    db.flush()
    person = reg.participant_id

    participant = db.get(Participant, person)
    assert participant is not None
    scrub.erase(db, participant, "P-0001")
    db.expire_all()
    cleared = db.get(Nominee, pk(hers))
    kept = db.get(Nominee, pk(other))
    assert cleared is not None and kept is not None
    assert "Yusnimar" not in cleared.name
    assert (cleared.nip, cleared.position, cleared.phone, cleared.email) == ("", "", "", "")
    assert kept.name == "Rahmi Dt. Bungsu" and kept.phone.endswith("340099")
