"""Absolute addresses for links that leave the app (WhatsApp, email, QR on paper)."""

from fastapi import Request

from service.settings import get_settings


def public_base(request: Request) -> str:
    """BIMTEK_PUBLIC_BASE_URL when set, else the address this request came to."""
    return (get_settings().public_base_url or str(request.base_url)).rstrip("/")
