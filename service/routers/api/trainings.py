"""Trainings and their batches."""

from fastapi import APIRouter, Response

from service.db import DB
from service.routers.deps import ApiBatch, ApiPlanner, ApiTraining
from service.schemas.planning import (
    BatchCreate,
    BatchRead,
    TrainingCreate,
    TrainingRead,
    batch_read,
    training_read,
)
from service.services import overview, trainings

router = APIRouter(prefix="/api", tags=["trainings"])


@router.get("/trainings")
def list_trainings(db: DB, user: ApiPlanner) -> list[dict[str, object]]:
    """The organization's trainings, newest first."""
    return [{"id": t.id, "title": t.title, "kind": t.kind, "start_date": t.start_date,
             "end_date": t.end_date} for t in trainings.list_trainings(db, user.organization_id)]


@router.post("/trainings", status_code=201)
def create_training(data: TrainingCreate, db: DB, user: ApiPlanner) -> TrainingRead:
    """Create a training."""
    training = trainings.create_training(db, user.organization_id, data)
    return training_read(overview.training_overview(db, training))


@router.get("/trainings/{training_id}")
def get_training(training: ApiTraining, db: DB) -> TrainingRead:
    """A training with its categories and batches."""
    return training_read(overview.training_overview(db, training))


@router.put("/trainings/{training_id}")
def update_training(training: ApiTraining, data: TrainingCreate, db: DB) -> TrainingRead:
    """Change a training; its batches must still fit its dates."""
    trainings.update_training(db, training, data)
    return training_read(overview.training_overview(db, training))


@router.post("/trainings/{training_id}/batches", status_code=201)
def create_batch(training: ApiTraining, data: BatchCreate, db: DB) -> BatchRead:
    """Add a batch (angkatan) within the training's dates."""
    batch = trainings.create_batch(db, training, data)
    return batch_read(overview.batch_info(db, batch, training))


@router.get("/batches/{batch_id}")
def get_batch(found: ApiBatch, db: DB) -> BatchRead:
    """One batch with its days and total JPL."""
    batch, training = found
    return batch_read(overview.batch_info(db, batch, training))


@router.put("/batches/{batch_id}")
def update_batch(found: ApiBatch, data: BatchCreate, db: DB) -> BatchRead:
    """Change a batch; its sessions must still fit its days."""
    batch, training = found
    trainings.update_batch(db, training, batch, data)
    return batch_read(overview.batch_info(db, batch, training))


@router.delete("/batches/{batch_id}", status_code=204)
def delete_batch(found: ApiBatch, db: DB) -> Response:
    """Delete a batch that has no registrations, with its timetable."""
    trainings.delete_batch(db, found[0])
    return Response(status_code=204)


@router.delete("/trainings/{training_id}", status_code=204)
def delete_training(training: ApiTraining, db: DB) -> Response:
    """Delete a training that has no registrations, with its batches and timetables."""
    trainings.delete_training(db, training)
    return Response(status_code=204)
