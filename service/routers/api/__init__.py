"""JSON API under /api (see shared/api-contract.md)."""
