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
    # The address participants reach (ticket links in WhatsApp and email, QR on
    # certificates). Empty: the address the request came to.
    public_base_url: str = ""
    # Signs the self-registration form's time check; when unset, one is generated
    # once and kept in the database, so every app process shares it.
    secret_key: str = ""
    # Public self-registration: attempts per client address per window.
    # Generous: a village hall registers its cadres over one shared connection.
    selfreg_limit: int = 120
    selfreg_window_seconds: int = 600
    # Ticket email; nothing is sent while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    mail_from: str = "Bimtek <bimtek@localhost>"
    smtp_timeout: float = 20.0
    # Spreadsheet import limits, checked before parsing.
    import_max_bytes: int = 10 * 1024 * 1024
    import_max_rows: int = 20_000


@lru_cache
def get_settings() -> Settings:
    return Settings()
