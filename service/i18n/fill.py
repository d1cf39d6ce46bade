"""Extract the catalog, then fill translations from JSON files ({msgid: Indonesian}).

`python -m service.i18n.fill my.json [more.json ...]`: one step, so that people (or
helpers) working side by side can each add their own strings without overwriting one
another's; run it under `flock /tmp/i18n.lock` when several may run at once.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from service.i18n.extract import ROOT, update_catalog


def fill(files: list[Path], locale: str = "id") -> tuple[int, list[str]]:
    update_catalog(locale)
    path = ROOT / "service" / "i18n" / f"{locale}.po"
    catalog = read_po(path.open("rb"), locale=locale)
    wanted: dict[str, str] = {}
    for f in files:
        if not f.exists():  # an unmatched shell glob: nobody has strings yet
            continue
        wanted.update(json.loads(f.read_text(encoding="utf-8")))
    filled = 0
    for msg in catalog:
        if msg.id and str(msg.id) in wanted and not msg.string:
            msg.string = wanted[str(msg.id)]
            filled += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    missing = [str(m.id) for m in catalog if m.id and not m.string]
    return filled, missing


if __name__ == "__main__":
    n, missing = fill([Path(a) for a in sys.argv[1:]])
    print(f"filled {n}; still without a translation: {len(missing)}")
    for m in missing:
        print("  " + m)
