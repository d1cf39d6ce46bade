"""Fuzz the pages' forms: the demo served on a fresh database, crawled as each demo
account (every page linked from its start page, one of each shape), and every POST form
found submitted again and again with one field at a time made bad (a control
character, a NUL, 40 digits, 5,000 characters, -1, markup). A form must answer with a
page or a redirect, never a 5xx; the server's log must hold no traceback. Exits 1 on
any.

Not part of the test suite (it takes minutes): `make fuzz`, or
    .venv/bin/python tests/fuzz_pages.py --db sqlite|postgresql [--pages N]

Forms that end something for good (delete, erase, revoke, restore a backup, log out,
stop a run) are left out: the crawl must go on over the same demo. It found the
evaluation-forms page refusing every save (the select's "4" against Literal[4, 5]) and
a 500 for a question pasted with a control character, which the JSON API fuzzing of
tests/fuzz_api.py could not reach.
"""

import argparse
import os
import re
import secrets
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.dbutil import fresh_database, pg_available  # noqa: E402
from tests.live import REPO, run_cli, serve  # noqa: E402

ACCOUNTS = ("admin@padang.demo", "bendahara@padang.demo", "admin@sumsel.demo",
            "bendahara@sumsel.demo", "admin@tangsel.demo", "admin@pontianak.demo",
            "admin@sumbar.demo", "operator@padang.demo")
BAD = ("a\x05b", "é\x00", "9" * 40, "x" * 5000, "-1", "<b>x</b>")
# Actions that end something for good, or the session the crawl runs in.
SKIP = re.compile(r"logout|delete|remove|erase|revoke|password|hapus|cancel|reset|restore|"
                  r"backup|rotate|merge|/stop|token|retention|approve", re.I)
FILES = re.compile(r"\.(pdf|xlsx|docx|zip|png|jpe?g|csv)(\?|$)|/static/|logout")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Page(HTMLParser):
    """The same-site links of a page and its POST forms: (action, enctype, fields), each
    field (name, type, the value the page gives it)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str, list[tuple[str, str, str]]]] = []
        self._form: tuple[str, str, list[tuple[str, str, str]]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form":
            post = a.get("method", "get").lower() == "post"
            self._form = (a.get("action", ""), a.get("enctype", ""), []) if post else None
        elif self._form is not None and tag in ("input", "textarea") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else "textarea"
            self._form[2].append((a["name"], kind, a.get("value", "")))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form[2].append((a["name"], "select", ""))
        elif self._form is not None and tag == "option" and self._select:
            name, kind, value = self._form[2][-1]
            if name == self._select and not value:
                self._form[2][-1] = (name, kind, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def _login(client: httpx.Client, email: str, password: str) -> None:
    token = CSRF.search(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": password,
                                    "csrf_token": token.group(1) if token else ""},
                    follow_redirects=False)
    if r.status_code != 303:
        raise RuntimeError(f"{email} cannot log in: {r.status_code}")


def crawl(client: httpx.Client, pages: int) -> tuple[dict[str, Any], list[str]]:
    """(one form of each action's shape: (page, action, enctype, fields)), and the GETs
    that answered 5xx."""
    seen: set[str] = set()
    shapes: set[str] = set()
    queue, forms, broken = ["/"], {}, []
    while queue and len(seen) < pages:
        url = queue.pop(0)
        if url in seen or FILES.search(url):
            continue
        seen.add(url)
        shapes.add(_shape(url))
        r = _request(client, "GET", url)
        if r.status_code >= 500:
            broken.append(f"GET {url}: {r.status_code}")
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        page = Page()
        page.feed(r.text)
        for action, enctype, fields in page.forms:
            action = action or url
            if _shape(action) not in forms and not SKIP.search(action):
                forms[_shape(action)] = (url, action, enctype, fields)
        queue += [link for link in page.links
                  if link not in seen and _shape(link) not in shapes]
    return forms, broken


def _request(client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """The request, once more on a new connection if the last one was dropped (uvicorn
    closes a connection after an unhandled error: its 500 is counted where it happened)."""
    try:
        return client.request(method, url, **kwargs)
    except httpx.TransportError:
        return client.request(method, url, **kwargs)


def submit_bad(client: httpx.Client, forms: dict[str, Any]) -> tuple[int, Counter[str]]:
    sent, failed = 0, Counter[str]()
    for page, action, enctype, fields in forms.values():
        base: dict[str, str] = {}
        for name, kind, value in fields:
            if kind != "file":
                base.setdefault(name, value or ("on" if kind in ("checkbox", "radio") else ""))
        for name, kind, _value in fields:
            if kind in ("hidden", "file", "submit") or name == "csrf_token":
                continue
            for bad in BAD:
                token = CSRF.search(_request(client, "GET", page).text)
                data = {**base, name: bad, "csrf_token": token.group(1) if token else ""}
                files = {"_": ("", b"")} if "multipart" in enctype else None
                sent += 1
                try:
                    status = str(_request(client, "POST", action, data=data,
                                          files=files).status_code)
                except httpx.TransportError as exc:  # dropped twice
                    status = type(exc).__name__
                if not status.isdigit() or int(status) >= 500:
                    failed[f"POST {action} {name}={bad[:12]!r}: {status}"] += 1
    return sent, failed


def fuzz(kind: str, pages: int) -> int:
    if kind == "postgresql" and not pg_available():
        print("PostgreSQL does not answer at 127.0.0.1:5432", file=sys.stderr)
        return 2
    password = "fuzz-" + secrets.token_hex(8)
    problems: list[str] = []
    with fresh_database(kind, "fuzzpages") as url:
        env = {**os.environ, "BIMTEK_DATABASE_URL": url,
               "BIMTEK_LOGIN_ADDRESS_LIMIT": "100000"}
        run_cli(["migrate"], env)
        run_cli(["demo", "--password", password], env)
        log = REPO / "test-artifacts" / f"fuzz-pages-{kind}.log"
        log.parent.mkdir(exist_ok=True)
        with serve(env, log, workers=1) as base:
            for email in ACCOUNTS:
                with httpx.Client(base_url=base, timeout=60,
                                  follow_redirects=True) as client:
                    _login(client, email, password)
                    forms, broken = crawl(client, pages)
                    sent, failed = submit_bad(client, forms)
                print(f"{email}: {len(forms)} forms, {sent} bad submissions, "
                      f"{len(broken) + sum(failed.values())} server errors", flush=True)
                problems += broken + [f"{line} (x{n})" for line, n in failed.items()]
        tracebacks = log.read_text().count("Traceback (most recent call last)")
    for line in problems:
        print("  " + line)
    print(f"fuzz pages on {kind}: {len(problems)} server errors; {tracebacks} tracebacks in "
          f"the server's log ({log})")
    return 0 if not problems and not tracebacks else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pages", type=int, default=250, help="pages crawled per account")
    args = parser.parse_args()
    return fuzz(args.db, args.pages)


if __name__ == "__main__":
    sys.exit(main())
