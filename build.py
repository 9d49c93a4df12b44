"""Build article.db from the curated YAML in data/.

    python build.py [--db article.db] [--data data] [--full | --changed PATH ...]

Prints coverage and row counts; on bad input prints every problem (file:line: record,
field: what is wrong) and exits 1, leaving any existing database untouched.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from article_dataset import BuildError, build

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=HERE / "article.db")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument(
        "--full", action="store_true", help="rebuild everything, even if little changed"
    )
    scope.add_argument(
        "--changed",
        nargs="+",
        metavar="PATH",
        help="the files edited, added or removed since the last successful build (from an "
        "editor or git hook): only their article folders and the registry are looked at",
    )
    args = parser.parse_args(argv)
    try:
        report = build(args.db, args.data, full=args.full, changed=args.changed)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"interrupted; {args.db} is as it was", file=sys.stderr)
        return 130
    except (OSError, sqlite3.Error) as error:
        # The machine, not the input: a read-only file or folder, a full disk.
        print(f"cannot build {args.db}: {failure(error)}; it is as it was", file=sys.stderr)
        return 1
    print(f"built {args.db}")
    print(report)
    return 0


def failure(error: Exception) -> str:
    """What went wrong, in the words a user acts on."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{error.strerror or error}{where}"
    text = str(error)
    if "readonly" in text:
        return f"{text} (the file or its folder is read-only)"
    if "unable to open" in text:
        return f"{text} (a new database is written beside it: is the folder writable?)"
    if "disk" in text or "full" in text:
        return f"{text} (is the disk full?)"
    return text


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # the report piped to a reader that stopped reading (| head)
        sys.stderr.close()  # nothing can be said there either; no traceback
        sys.exit(1)
