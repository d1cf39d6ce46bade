"""Door logins: scanner accounts limited to one training, signed in by a one-time link."""

from fastapi import APIRouter, Request, Response

from service.db import DB
from service.routers.deps import ApiPlanner, ApiTraining
from service.routers.urls import public_base
from service.schemas.accounts import ScannerLoginCreate, ScannerLoginLink, ScannerLoginRead
from service.services import scanner_logins, trainings
from service.services.scanner_logins import LoginLink

router = APIRouter(prefix="/api", tags=["scanner_logins"])


def _link(request: Request, link: LoginLink) -> ScannerLoginLink:
    return ScannerLoginLink(id=link.user.id or 0, name=link.user.name,
                            login_url=public_base(request) + link.path,
                            expires_at=link.expires_at)


@router.get("/trainings/{training_id}/scanner-logins")
def list_logins(training: ApiTraining, db: DB) -> list[ScannerLoginRead]:
    """The training's door logins, active first, with their last sign-in."""
    return [ScannerLoginRead(id=s.user.id or 0, name=s.user.name, training_id=training.id or 0,
                             is_active=s.user.is_active, created_at=s.user.created_at,
                             last_sign_in_at=s.last_sign_in, link_expires_at=s.link_expires_at)
            for s in scanner_logins.list_logins(db, training)]


@router.post("/trainings/{training_id}/scanner-logins", status_code=201)
def create_login(request: Request, training: ApiTraining, data: ScannerLoginCreate,
                 db: DB) -> ScannerLoginLink:
    """Add a door login (e.g. "Gerbang 1") with a one-time link that signs a phone in."""
    return _link(request, scanner_logins.create_login(db, training, data.name))


@router.post("/scanner-logins/{user_id}/link", status_code=201)
def new_link(request: Request, user_id: int, user: ApiPlanner, db: DB) -> ScannerLoginLink:
    """A new one-time link for a door login; its earlier unused links stop working."""
    login = scanner_logins.get_login(db, user.organization_id, user_id)
    training = trainings.get_training(db, user.organization_id, login.training_id or 0)
    return _link(request, scanner_logins.new_link(db, training, login))


@router.delete("/scanner-logins/{user_id}", status_code=204)
def revoke(user_id: int, user: ApiPlanner, db: DB) -> Response:
    """Revoke a door login: the phones signed in with it are signed out at once."""
    scanner_logins.revoke(db, user, scanner_logins.get_login(db, user.organization_id, user_id))
    return Response(status_code=204)
