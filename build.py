"""Build article.db from the curated YAML in data/.

    python build.py [--db article.db] [--data data] [--full | --changed PATH ...]

Prints coverage and row counts; on bad input prints every problem (file:line: record,
field: what is wrong) and exits 1, leaving any existing database untouched.
"""

from __future__ import annotations

import argparse
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
    print(f"built {args.db}")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
