"""The `bimtek` command: serve, worker, migrate, create-admin, demo."""

import argparse
import secrets
import sys
from typing import Any

from sqlmodel import func, select

from service import migrate as migrations
from service.db import open_session
from service.errors import DomainError
from service.settings import Settings, get_settings


def cmd_migrate(_args: argparse.Namespace) -> int:
    migrations.upgrade()
    print("database is at the newest schema")
    return 0


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `serve` runs uvicorn, beyond host, port, workers and log level (the bench
    serves its reference app with the same)."""
    from service import access_log

    trusted = settings.trusted_proxies.strip()
    # X-Forwarded-For and -Proto only from the proxies named: believed from anyone (or
    # any local process), a rotating header would reset every rate limit per address.
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or None,
            "log_config": access_log.log_config(),
            # A process that does not answer uvicorn's ping within this is killed and
            # replaced; 5 s (the default) killed processes still importing the app on a
            # busy 2-core machine, over and over.
            "timeout_worker_healthcheck": 30}


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    migrations.upgrade()
    settings = get_settings()
    print(f"Bimtek on http://{args.host}:{args.port} (database: "
          f"{settings.database_url.split('@')[-1]}, {args.workers} worker(s))", flush=True)
    uvicorn.run("service.main:create_app", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level=args.log_level, **uvicorn_options(settings))
    return 0


def cmd_worker(_args: argparse.Namespace) -> int:
    """Send the outbox's messages until stopped (SIGTERM or Ctrl-C)."""
    import logging
    import signal

    from service.db import get_engine
    from service.services.messaging.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    migrations.upgrade()
    worker = Worker(get_engine(), get_settings())
    # SIGTERM (systemd, docker stop) and Ctrl-C end the round in progress, then stop.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stop())
    worker.run()
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from service.services.auth import create_admin

    with open_session() as db:
        try:
            user = create_admin(db, args.email, args.password, args.org,
                                superuser=args.superuser)
            db.commit()
        except DomainError as exc:
            print(f"error: {exc.text()}", file=sys.stderr)
            return 1
    print(f"admin {user.email} created in {args.org}"
          + (" (superuser: sets up new offices on /offices)" if args.superuser else ""))
    return 0


def cmd_office_kind(args: argparse.Namespace) -> int:
    """Mark an office as a province office (BKKBN Perwakilan), or as an ordinary one."""
    from service.models import Organization
    from service.services.province import sharing

    with open_session() as db:
        org = db.exec(select(Organization).where(Organization.name == args.org)).first()
        if org is None:
            print(f"error: no office named {args.org!r}", file=sys.stderr)
            return 1
        sharing.set_kind(db, org, args.kind)
        db.commit()
    print(f"{args.org} is now " + ("a province office: it reads the aggregates offices "
                                   "share with it on /province" if args.kind == "province"
                                   else "an ordinary office"))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent snapshot of the database, taken while the service runs."""
    from pathlib import Path

    from service.db import get_engine
    from service.services.backups import runs

    try:
        done = runs.backup(get_engine(), get_settings(),
                           Path(args.path) if args.path else None)
    except DomainError as exc:
        print(f"error: {exc.text()}", file=sys.stderr)
        return 1
    m = done.manifest
    print(f"backup written: {done.path} ({done.size:,} bytes; {m['database']}, revision "
          f"{m['alembic_revision']}, {m['organizations']} organizations, "
          f"{sum(m['row_counts'].values()):,} rows)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore an archive into an empty database; exit 2 when it is refused."""
    from pathlib import Path

    from service.services.backups import runs

    url = args.database_url or get_settings().database_url
    try:
        done = runs.restore(Path(args.path), url, get_settings())
    except DomainError as exc:
        print(f"error: {exc.text()}", file=sys.stderr)
        return 2 if exc.status < 500 else 1
    m = done.manifest
    print(f"restored {args.path} ({m['created_at']}, {m['organizations']} organizations, "
          f"{sum(done.counts.values()):,} rows)"
          + ("; migrated to this version's schema" if done.migrated else ""))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from service.models import Training
    from service.services.demo import (
        OPERATOR_EMAIL,
        pontianak,
        province,
        seed_demo,
        sumbar,
        tangsel,
    )
    from service.services.demo import spj as spj_demo

    migrations.upgrade()
    with open_session() as db:
        if db.exec(select(func.count()).select_from(Training)).one():
            if args.if_empty:
                print("database already has data: demo not seeded")
                return 0
            print("error: the database is not empty; the demo seeds an empty one", file=sys.stderr)
            return 1
        password = args.password or secrets.token_urlsafe(12)
        demo = seed_demo(db, admin_email=args.email, admin_password=password)
        db.commit()
    print("Demo seeded: " + demo.summary)
    print(f"  log in at {args.url.rstrip('/')}/login as {args.email}")
    print(f"  password: {password}")
    print(f"  its treasurer (rates, SPJ): {spj_demo.PADANG_TREASURER}, the same password")
    if demo.province is not None:
        print("Demo seeded: " + demo.province.summary)
        print(f"  its own office: log in as {province.EMAIL} with the same password "
              f"(units and nominations, letters; treasurer {spj_demo.SUMSEL_TREASURER})")
    if demo.pontianak is not None:
        print("Demo seeded: " + demo.pontianak)
        print(f"  its own office: log in as {pontianak.EMAIL} with the same password")
    print("Demo seeded: Rapat Pokja Kampung KB Kota Tangerang Selatan (units, presenters, "
          "minutes, follow-up actions)")
    print(f"  its own office: log in as {tangsel.EMAIL} with the same password")
    print(f"  the server's operator (offices, backups): {OPERATOR_EMAIL}, the same password")
    if demo.sumbar is not None:
        print("Demo seeded: " + demo.sumbar.summary)
        print(f"  the province's table: log in as {sumbar.EMAIL} with the same password")
    return 0


def cmd_import_org(args: argparse.Namespace) -> int:
    """Import an office's export archive from another installation as a new office."""
    from service.services.org_export import importer, upload

    migrations.upgrade()
    try:
        source = open(args.archive, "rb")  # noqa: SIM115  (closed below)
    except OSError as exc:
        print(f"error: cannot open {args.archive}: {exc.strerror}", file=sys.stderr)
        return 1
    with source, open_session() as db:
        try:
            done = importer.import_archive(db, source, args.name)
            link = upload.setup_link(db, done.organization_id)
            db.commit()
        except DomainError as exc:
            db.rollback()
            print(f"error: {exc.text()}", file=sys.stderr)
            return 1
    rows = sum(done.counts.values())
    print(f"imported {done.name} (office #{done.organization_id}): {rows} rows in "
          f"{len(done.counts)} tables")
    if link is not None:
        print(f"  its admin {link.user.email} sets a password at "
              f"{args.url.rstrip('/')}{link.path} (once; a superuser renews it on /offices)")
    print("  the other accounts have no password yet: the admin sends each a reset link; "
          "old ticket QR codes do not scan here: re-send the tickets")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bimtek", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database to the newest schema") \
        .set_defaults(func=cmd_migrate)
    serve = sub.add_parser("serve", help="serve the app (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="send queued messages (WhatsApp, email) and reminders; "
                   "run as many as you like on PostgreSQL").set_defaults(func=cmd_worker)
    admin = sub.add_parser("create-admin", help="create an admin (and its organization)")
    admin.add_argument("email")
    admin.add_argument("--password", required=True)
    admin.add_argument("--org", default="Penyelenggara")
    admin.add_argument("--superuser", action="store_true",
                       help="may also set up new offices (organizations) on /offices")
    admin.set_defaults(func=cmd_create_admin)
    kind = sub.add_parser("office-kind", help="mark an office as a province office "
                          "(BKKBN Perwakilan), which reads the aggregates offices share with it")
    kind.add_argument("org", help="the office's name, as on /offices")
    kind.add_argument("kind", choices=("province", "office"))
    kind.set_defaults(func=cmd_office_kind)
    backup = sub.add_parser("backup", help="a consistent snapshot of the database (and its "
                            "uploads) while the service runs, as one archive")
    backup.add_argument("path", nargs="?", default=None,
                        help="the archive's file or folder (default: BIMTEK_BACKUP_DIR)")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a backup archive into an empty database "
                             "(exit 2 when the archive or the database is refused)")
    restore.add_argument("path")
    restore.add_argument("--database-url", default=None,
                         help="the target (default: BIMTEK_DATABASE_URL)")
    restore.set_defaults(func=cmd_restore)
    imp = sub.add_parser("import-org", help="import an office's export archive (from "
                         "another installation) as a new office")
    imp.add_argument("archive", help="the ZIP downloaded from the office's Export page")
    imp.add_argument("--name", default=None, help="the new office's name (default: as exported)")
    imp.add_argument("--url", default="http://127.0.0.1:8000",
                     help="this installation's address, for the admin's setup link")
    imp.set_defaults(func=cmd_import_org)
    demo = sub.add_parser("demo", help="seed the Padang demo training into an empty database")
    demo.add_argument("--if-empty", action="store_true", help="do nothing if data exists")
    demo.add_argument("--email", default="admin@padang.demo")
    demo.add_argument("--password", default=None, help="default: random, printed")
    demo.add_argument("--url", default="http://127.0.0.1:8000",
                      help="where the app will answer, for the login hint")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
