"""Commands around the build: generated files, exports, serving.

python -m article_dataset metadata                 metadata.yml, to standard output
python -m article_dataset docs README.md DB        README's examples and schema, in place
python -m article_dataset export DB FOLDER [--base-url URL]
                                                   CSV files, FtM entities, Web Annotations and
                                                   datapackage.json; links start with URL
python -m article_dataset serve DB [--host --port] Datasette, read-only and immutable
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .docs import render_readme
from .exports import export, site_base
from .metadata import metadata_yaml
from .site.pages import site_url
from .site.serving import serve


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m article_dataset", usage=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("metadata")
    docs = commands.add_parser("docs")
    docs.add_argument("readme", type=Path)
    docs.add_argument("db", type=Path)
    exporting = commands.add_parser("export")
    exporting.add_argument("db", type=Path)
    exporting.add_argument("folder", type=Path)
    exporting.add_argument(
        "--base-url", default=site_url(), help="where the site is served (as its citations say)"
    )
    serving = commands.add_parser("serve")
    serving.add_argument("db", type=Path)
    serving.add_argument("--host", default="127.0.0.1")
    serving.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)

    if args.command == "metadata":
        sys.stdout.write(metadata_yaml())
    elif args.command == "docs":
        text = render_readme(args.readme.read_text(encoding="utf-8"), args.db)
        args.readme.write_text(text, encoding="utf-8")
    elif args.command == "export":
        try:
            base_url = site_base(args.base_url)
        except ValueError as error:
            parser.error(str(error))
        print(export(args.db, args.folder, base_url=base_url))
    elif args.command == "serve":
        serve(args.db, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
