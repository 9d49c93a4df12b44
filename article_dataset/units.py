"""Units of the build: one input file each (an article's article.yml with its source.txt).

A unit's rows depend on its own files and, for quotes, on the text of the articles it cites:
so a unit can be compiled alone, in any process, and replaced alone in an incremental build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .context import Context
from .inputs import fast_validator, validate
from .load import MAX_VALUE_BYTES, SourceFile, read_text, read_yaml
from .problems import Problem, Problems
from .tables import ALL_TABLES, BUILD_TABLES
from .tables.article import ARTICLE_FILE_SCHEMA, add_articles
from .tables.cases import CASES_FILE_SCHEMA, add_cases
from .tables.disputes import DISPUTES_FILE_SCHEMA, add_disputes
from .tables.events import (
    EVENTS_FILE_SCHEMA,
    FIGURES_FILE_SCHEMA,
    STATEMENTS_FILE_SCHEMA,
    add_events,
    add_figures,
    add_statements,
)
from .tables.registry import ACTORS_FILE_SCHEMA, PLACES_FILE_SCHEMA, add_actors, add_places
from .text import ArticleText

REGISTRY_FILES = {
    "actors.yml": (ACTORS_FILE_SCHEMA, add_actors),
    "places.yml": (PLACES_FILE_SCHEMA, add_places),
}
ARTICLE_RECORD_FILES = {
    "events.yml": (EVENTS_FILE_SCHEMA, add_events),
    "statements.yml": (STATEMENTS_FILE_SCHEMA, add_statements),
    "cases.yml": (CASES_FILE_SCHEMA, add_cases),
    "figures.yml": (FIGURES_FILE_SCHEMA, add_figures),
    "disputes.yml": (DISPUTES_FILE_SCHEMA, add_disputes),
}
ARTICLE_FILES = {"article.yml", "source.txt", *ARTICLE_RECORD_FILES}
COLUMNS = {
    table.name: [column.name for column in table.columns] for table in ALL_TABLES + BUILD_TABLES
}


class Unit(NamedTuple):
    # A tuple, not a dataclass: a corpus has tens of thousands of units, listed every build.
    files: tuple[str, ...]  # paths under data/; the first is the YAML file
    article_id: str | None = None

    @property
    def name(self) -> str:
        return self.files[0].rpartition("/")[2]


@dataclass
class UnitResult:
    rows: dict[str, list[tuple]] = field(default_factory=dict)  # in each table's column order
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 of each file read
    problems: list[Problem] = field(default_factory=list)
    complete: bool = False  # read and valid: every record it holds has its rows
    values: dict[str, int] = field(default_factory=dict)  # linked how: automatic, curated, ...


def discover(
    data_dir: Path, problems: Problems, folders: set[str] | None = None
) -> tuple[list[Unit], dict[str, tuple]]:
    """Every unit in a fixed order (registry, then articles by folder), and (size, mtime_ns)
    of each of their files; missing and unexpected files are problems. Builds list the whole
    corpus, so this is kept to one directory read and one stat per file. With `folders`,
    only the registry and those article folders (the ones that exist) are listed."""
    units, stats = [], {}
    root = os.fspath(data_dir)
    registry = _listing(f"{root}/registry", problems, f"{data_dir.name}/registry")
    for name in REGISTRY_FILES:
        if registry is None:
            break  # the folder cannot be read: reported once
        if name in registry:
            units.append(Unit((f"registry/{name}",)))
            stats[f"registry/{name}"] = registry[name]
        else:
            problems.add(f"{data_dir.name}/registry/{name}", 0, "required registry file is missing")
    if folders is None:
        listed = _listing(f"{root}/articles", problems, f"{data_dir.name}/articles") or {}
        if not any(stat == (-1, -1) for stat in listed.values()):
            problems.add(f"{data_dir.name}/articles", 0, "no article folders found")
    else:
        listed = {name: (-1, -1) for name in folders if os.path.isdir(f"{root}/articles/{name}")}
        if not listed and not _has_folder(f"{root}/articles"):
            problems.add(f"{data_dir.name}/articles", 0, "no article folders found")
    for folder in sorted(name for name, stat in listed.items() if stat == (-1, -1)):
        prefix = f"articles/{folder}"
        present = _listing(f"{root}/{prefix}", problems, f"{data_dir.name}/{prefix}")
        if present is None:
            continue  # reported once, not as every file of it missing
        if not present.keys() <= ARTICLE_FILES:
            for name in sorted(set(present) - ARTICLE_FILES):
                expected = ", ".join(sorted(ARTICLE_FILES))
                problems.add(
                    f"{data_dir.name}/{prefix}/{name}", 0, f"unexpected file; expected: {expected}"
                )
        if "article.yml" in present and "source.txt" in present:
            units.append(Unit((f"{prefix}/article.yml", f"{prefix}/source.txt"), folder))
            stats[f"{prefix}/article.yml"] = present["article.yml"]
            stats[f"{prefix}/source.txt"] = present["source.txt"]
        else:
            for name in ("article.yml", "source.txt"):
                if name not in present:
                    problems.add(f"{data_dir.name}/{prefix}/{name}", 0, "required file is missing")
        for name in ARTICLE_RECORD_FILES:
            if name in present:
                units.append(Unit((f"{prefix}/{name}",), folder))
                stats[f"{prefix}/{name}"] = present[name]
    return units, stats


def _has_folder(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(entry.is_dir() for entry in entries)
    except OSError:
        return False


# An entry listed but not stat-able (a dangling symbolic link): a file that is there and must
# be read, whose reading then says what is wrong. Never an absence.
UNREADABLE = (-2, -2)


def _listing(folder: str, problems: Problems | None = None, shown: str = "") -> dict:
    """{name: (size, mtime_ns)} of a folder's entries; a folder gives (-1, -1), an entry that
    cannot be stat-ed UNREADABLE. A folder that cannot be read gives nothing, and a problem
    when `problems` is given."""
    listing = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        listing[entry.name] = (-1, -1)
                    else:
                        stat = entry.stat()
                        listing[entry.name] = (stat.st_size, stat.st_mtime_ns)
                except OSError:
                    listing[entry.name] = UNREADABLE
    except OSError as error:
        if problems is not None and not isinstance(error, FileNotFoundError):
            problems.add(shown, 0, f"folder cannot be read: {error.strerror or error}")
            return None
    return listing


def _article_text(data_dir: Path, article_id: str) -> ArticleText | None:
    key = _text_key(data_dir, article_id)
    if key is None:
        if not os.path.isdir(os.path.join(data_dir, "articles", article_id)):
            raise KeyError(article_id)
        return None
    if key not in _TEXTS:
        text = read_text(Path(key[0]), "", Problems(), limit=MAX_VALUE_BYTES)  # its unit says why
        _remember_text(key, None if text is None else ArticleText.from_raw(article_id, text))
    return _TEXTS[key]


def _text_key(data_dir: Path, article_id: str) -> tuple | None:
    """(path, mtime, size, article id) of an article's text as it is now; None if it cannot
    be stat-ed."""
    path = os.path.join(data_dir, "articles", article_id, "source.txt")
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    return (path, stat.st_mtime_ns, stat.st_size, article_id)


# Parsed texts by (path, mtime, size, article id), so that an edited text is read again; the
# unit of an article leaves its text here for the units after it, which cite it.
_TEXTS: dict[tuple, ArticleText | None] = {}
TEXTS_KEPT = 64  # an article's units are consecutive; the registry's cite the whole corpus


def _remember_text(key: tuple, text: ArticleText | None) -> None:
    if len(_TEXTS) >= TEXTS_KEPT:
        del _TEXTS[next(iter(_TEXTS))]
    _TEXTS[key] = text


def warm_up() -> None:
    """Compile the validators before worker processes fork from this one."""
    for schema in [ARTICLE_FILE_SCHEMA] + [
        s for s, _ in (*REGISTRY_FILES.values(), *ARTICLE_RECORD_FILES.values())
    ]:
        fast_validator(schema)


def _source(data_dir: Path, relative: str) -> SourceFile:
    return SourceFile(data_dir / relative, f"{data_dir.name}/{relative}", relative=relative)


def compile_unit(data_dir: Path, unit: Unit, exact: bool = False) -> UnitResult:
    """Read, validate and turn one unit into rows; problems are those of this unit alone.
    A unit with problems is compiled again from the line-keeping loader (`exact`), which
    locates every problem; the fast path serves valid files."""
    problems = Problems()
    texts: dict[str, ArticleText | None] = {}

    def article_text(article_id: str) -> ArticleText | None:
        if article_id not in texts:
            texts[article_id] = _article_text(data_dir, article_id)
        return texts[article_id]

    ctx = Context(article_text=article_text, problems=problems)
    digests: dict[Path, str] = {}
    source = _source(data_dir, unit.files[0])
    read = read_yaml(source.path, source.display, problems, digests, exact=exact)
    source.data = read.data
    schema, add = (
        (ARTICLE_FILE_SCHEMA, None)
        if unit.name == "article.yml"
        else (REGISTRY_FILES.get(unit.name) or ARTICLE_RECORD_FILES[unit.name])
    )
    complete = source.data is not None and validate(source, schema, problems)
    if unit.name == "article.yml":
        text_file = _source(data_dir, unit.files[1])
        before = _text_key(data_dir, unit.article_id)
        raw = read_text(text_file.path, text_file.display, problems, digests, MAX_VALUE_BYTES)
        complete = complete and raw is not None
        if complete:
            text = ArticleText.from_raw(unit.article_id, raw)
            if before is not None:  # stat-ed before the read: if edited since, never found
                _remember_text(before, text)
            add_articles(ctx, source, text_file, text, digests[text_file.path])
    elif complete:
        if unit.article_id is None:
            add(ctx, source)
        else:
            add(ctx, source, unit.article_id)
    values = ctx.finish() if complete else {}
    if problems.items and read.fast:
        return compile_unit(data_dir, unit, exact=True)
    return UnitResult(
        rows={
            table: [tuple(map(row.get, COLUMNS[table])) for row in rows]
            for table, rows in ctx.rows.items()
        },
        digests={
            path: digests[data_dir / path] for path in unit.files if data_dir / path in digests
        },
        problems=problems.items,
        complete=complete,
        values=dict(values),
    )
