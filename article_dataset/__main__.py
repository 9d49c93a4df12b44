"""Write the generated files.

python -m article_dataset metadata            metadata.yml, to standard output
python -m article_dataset docs README.md DB   README's examples and schema, in place
"""

from __future__ import annotations

import sys
from pathlib import Path

from .docs import render_readme
from .export import export
from .metadata import metadata_yaml


def main(argv: list[str]) -> int:
    if argv[:1] == ["metadata"]:
        sys.stdout.write(metadata_yaml())
        return 0
    if argv[:1] == ["docs"] and len(argv) == 3:
        readme, db = Path(argv[1]), Path(argv[2])
        readme.write_text(render_readme(readme.read_text(encoding="utf-8"), db), encoding="utf-8")
        return 0
    if argv[:1] == ["export"] and len(argv) == 3:
        print(export(Path(argv[1]), Path(argv[2])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
