"""One settings object, read from the environment (prefix BIMTEK_)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIMTEK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/bimtek.db"
    # Small pools are faster on a 2-core machine: overflow connections opened and
    # closed per burst cost more than waiting for a pooled one.
    db_pool_size: int = 4
    db_max_overflow: int = 0
    db_pool_timeout: float = 30.0
    # Worker threads for sync routes, per process (anyio's default is 40).
    threadpool_size: int = 8
    default_locale: str = "id"
    session_cookie: str = "bimtek_session"
    session_days: int = 14
    api_token_days: int = 30
    # Set in production behind TLS so the session cookie is never sent in clear.
    secure_cookies: bool = False
    max_body_bytes: int = 2 * 1024 * 1024
    public_base_url: str = "http://127.0.0.1:8000"


@lru_cache
def get_settings() -> Settings:
    return Settings()
