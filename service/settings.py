"""One settings object, read from the environment (prefix BIMTEK_)."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIMTEK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./data/bimtek.db"
    # Small pools are faster on a 2-core machine: overflow connections opened and
    # closed per burst cost more than waiting for a pooled one, and every extra
    # thread waiting on one is a context switch (bench/bench_checkins.py: 2 connections
    # and 4 threads per process did 760 check-ins/s on PostgreSQL, 4 and 8 did 470).
    db_pool_size: int = 2
    db_max_overflow: int = 0
    db_pool_timeout: float = 30.0
    # A "SELECT 1" before each request's first statement finds connections that died
    # with a database restart; it costs a round trip per request (1,005 against 825
    # check-ins/s). Off: such a connection fails one request with 503 and is replaced.
    db_pre_ping: bool = False
    # Worker threads for sync routes, per process (anyio's default is 40).
    threadpool_size: int = 4
    default_locale: str = "id"
    # A bearer token's user is remembered this long per process on the check-in path (a
    # door phone scans several tickets a second). Revoking takes effect at once in the
    # process that revoked, and within this many seconds in the others; 0 turns it off.
    token_cache_seconds: float = 3.0
    # PostgreSQL connections per process for the door's fast lane (async, on the event
    # loop; middleware/checkin_lane.py); on SQLite any number above 0 turns it on.
    # 0 sends every check-in through the ordinary route.
    checkin_lane_connections: int = 2
    session_cookie: str = "bimtek_session"
    session_days: int = 14
    api_token_days: int = 30
    # Cookies get Secure on requests that came over HTTPS (the scheme a trusted proxy
    # reports); true sets it on every cookie, for a proxy that does not say.
    secure_cookies: bool = False
    # Reverse proxies (addresses or networks, comma-separated, "*" for any) whose
    # X-Forwarded-For and X-Forwarded-Proto `bimtek serve` believes: the client address
    # that rate limits count, and https. Empty: none, the peer is the client.
    trusted_proxies: str = ""
    max_body_bytes: int = 2 * 1024 * 1024
    # An office's export archive uploaded on /offices (superusers): its own, larger limit;
    # every other route keeps max_body_bytes.
    max_import_archive_bytes: int = 500 * 1024 * 1024
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
    # The door's manual search, per user and window: a busy door searches a few times a
    # minute per phone; probing for NIK digits needs far more.
    checkin_search_limit: int = 60
    checkin_search_window_seconds: int = 60
    # Failed logins before a lockout of login_window_seconds: per account, and (higher:
    # a whole office may sit behind one address) per client address.
    login_account_limit: int = 10
    login_address_limit: int = 50
    login_window_seconds: int = 900
    # "Forgot password?" emails: requests per address typed and per client address and
    # window. Each one mails a stranger's inbox, so far fewer than failed logins.
    reset_account_limit: int = 3
    reset_address_limit: int = 20
    reset_window_seconds: int = 3600
    # Ticket email; nothing is sent while smtp_host is empty.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    mail_from: str = "Bimtek <bimtek@localhost>"
    smtp_timeout: float = 20.0
    # WhatsApp Business Cloud API: the base URL with its version (as Meta documents it,
    # e.g. https://graph.facebook.com/v21.0), the access token and the sending number's
    # id. Empty: no WhatsApp account; pages keep offering wa.me links instead.
    whatsapp_api_url: str = ""
    whatsapp_token: str = ""
    whatsapp_phone_number_id: str = ""
    # The webhook (POST /hooks/whatsapp): the app secret that signs its requests
    # (X-Hub-Signature-256) and the token Meta echoes when the webhook is registered.
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_timeout: float = 10.0
    # The approved message templates (first contact must be a template), per kind, and
    # their language. Their body parameters are listed in messaging/compose.py.
    whatsapp_template_language: str = "id"
    whatsapp_template_ticket: str = "bimtek_tiket"
    whatsapp_template_reminder: str = "bimtek_pengingat"
    whatsapp_template_certificate: str = "bimtek_sertifikat"
    whatsapp_template_custom: str = "bimtek_pesan"
    whatsapp_template_action_reminder: str = "bimtek_tindak_lanjut"
    whatsapp_template_nomination_reminder: str = "bimtek_nominasi"
    whatsapp_template_test: str = "bimtek_tes"
    whatsapp_template_evaluation: str = "bimtek_evaluasi"
    # Messages per second per channel, across every worker process (0: no limit).
    whatsapp_rate: float = 20.0
    email_rate: float = 5.0
    # The message worker: run inside `bimtek serve` (the embedded default, one machine),
    # or only as `bimtek worker` processes (production: as many as you like).
    worker_embedded: bool = True
    # Messages one worker sends at once (and at most what a crash can send twice).
    worker_concurrency: int = 8
    # Seconds a claimed message stays the claimer's before another worker may take it.
    worker_lease_seconds: float = 120.0
    # Tries before a message that keeps failing temporarily is given up, and the wait
    # before the first retry (doubled at each one, up to an hour).
    message_max_attempts: int = 8
    message_backoff_seconds: float = 10.0
    # A meeting presenter's presentation or a session's slides (PDF, PPTX, PPT, ODP).
    presentation_max_bytes: int = 20 * 1024 * 1024
    # Spreadsheet import limits, checked before parsing.
    import_max_bytes: int = 10 * 1024 * 1024
    import_max_rows: int = 20_000
    # The work one upload may cost while it is read: cells parsed, CPU seconds.
    import_max_cells: int = 2_000_000
    import_max_seconds: float = 15.0
    # Where an office's exports are prepared and kept a week (data/exports/<office>/);
    # empty: beside the SQLite database file (./data on PostgreSQL). With app processes on
    # several hosts, a folder they all share: the download may reach any of them.
    data_dir: str = ""
    # Backups (`bimtek backup`, the worker's schedule, /backups). Where archives go; empty:
    # a "backups" folder beside the SQLite database file (./data/backups on PostgreSQL).
    backup_dir: str = ""
    # Hours between the worker's backups; 0: none. Unset: daily on SQLite, none on
    # PostgreSQL (there pg_dump from cron is the operator's job, unless this is set).
    backup_every_hours: float | None = None
    # Days an archive is kept (the newest one is kept whatever its age).
    backup_keep_days: int = 14
    # The folder of pg_dump and pg_restore, e.g. /usr/lib/postgresql/16/bin; empty: PATH.
    backup_pg_bin_dir: str = ""


@lru_cache
def get_settings() -> Settings:
    return Settings()
