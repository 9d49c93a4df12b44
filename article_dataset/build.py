"""The build as a function of (database path, data folder): YAML → validate → rows → SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .context import Context
from .database import write_database
from .inputs import validate
from .load import SourceFile, read_yaml
from .metadata import embedded_metadata_rows
from .tables_article import ARTICLE_FILE_SCHEMA, add_articles, add_sentences
from .tables_cases import CASES_FILE_SCHEMA, add_cases
from .tables_events import (
    EVENTS_FILE_SCHEMA,
    FIGURES_FILE_SCHEMA,
    STATEMENTS_FILE_SCHEMA,
    add_events,
    add_figures,
    add_statements,
)
from .tables_registry import ACTORS_FILE_SCHEMA, PLACES_FILE_SCHEMA, add_actors, add_places

REGISTRY_FILES = {
    "actors.yml": (ACTORS_FILE_SCHEMA, add_actors),
    "places.yml": (PLACES_FILE_SCHEMA, add_places),
}
ARTICLE_RECORD_FILES = {
    "events.yml": (EVENTS_FILE_SCHEMA, add_events),
    "statements.yml": (STATEMENTS_FILE_SCHEMA, add_statements),
    "cases.yml": (CASES_FILE_SCHEMA, add_cases),
    "figures.yml": (FIGURES_FILE_SCHEMA, add_figures),
}
ARTICLE_FILES = {"article.yml", "source.txt", *ARTICLE_RECORD_FILES}


@dataclass
class BuildReport:
    counts: dict[str, int]
    sentences: int
    cited: int
    waived: int

    @property
    def coverage(self) -> float:
        return 100.0 * (self.cited + self.waived) / self.sentences if self.sentences else 0.0

    def __str__(self) -> str:
        tables = ", ".join(f"{name} {count}" for name, count in self.counts.items())
        return (
            f"coverage: {self.cited + self.waived}/{self.sentences} sentences "
            f"({self.cited} cited, {self.waived} waived) = {self.coverage:.1f}%\n"
            f"rows: {tables}"
        )


def build(db_path: Path | str, data_dir: Path | str) -> BuildReport:
    """Build article.db from the data folder, or raise BuildError and leave db_path alone."""
    data_dir = Path(data_dir)
    ctx = Context()
    registry, articles = _read_inputs(data_dir, ctx)
    ctx.problems.raise_if_any()

    article_ids = {}
    for folder, files in articles.items():
        article_ids[folder] = add_articles(ctx, files["article.yml"], files["source.txt"])
    for name, source in registry.items():
        REGISTRY_FILES[name][1](ctx, source)
    for folder, files in articles.items():
        for name, (_, add) in ARTICLE_RECORD_FILES.items():
            if name in files:
                add(ctx, files[name], article_ids[folder])
    for folder, files in articles.items():
        add_sentences(ctx, files["article.yml"], article_ids[folder])
    ctx.check_references()
    ctx.problems.raise_if_any()

    ctx.rows["_datasette_metadata"] = embedded_metadata_rows()
    write_database(Path(db_path), ctx.rows)
    sentences = ctx.rows["sentences"]
    waived = sum(1 for row in sentences if row["uncited_reason"] is not None)
    return BuildReport(
        counts={name: len(rows) for name, rows in ctx.rows.items()},
        sentences=len(sentences),
        cited=len(sentences) - waived,
        waived=waived,
    )


def _read_inputs(data_dir: Path, ctx: Context):
    """Every input file read and schema-checked, so that one run reports every problem."""
    problems = ctx.problems

    def read(path: Path, schema: dict) -> SourceFile | None:
        source = read_yaml(path, _display(path, data_dir), problems)
        if source.data is not None and validate(source, schema, problems):
            return source
        return None

    registry = {}
    for name, (schema, _) in REGISTRY_FILES.items():
        path = data_dir / "registry" / name
        if not path.exists():
            problems.add(_display(path, data_dir), 0, "required registry file is missing")
            continue
        registry[name] = read(path, schema)

    articles = {}
    folders = sorted(p for p in (data_dir / "articles").glob("*") if p.is_dir())
    if not folders:
        problems.add(_display(data_dir / "articles", data_dir), 0, "no article folders found")
    for folder in folders:
        files = {}
        for path in sorted(folder.iterdir()):
            if path.name not in ARTICLE_FILES:
                expected = ", ".join(sorted(ARTICLE_FILES))
                problems.add(_display(path, data_dir), 0, f"unexpected file; expected: {expected}")
        for name in ("article.yml", "source.txt"):
            if not (folder / name).exists():
                problems.add(_display(folder / name, data_dir), 0, "required file is missing")
        if (folder / "source.txt").exists():
            files["source.txt"] = SourceFile(
                folder / "source.txt", _display(folder / "source.txt", data_dir)
            )
        if (folder / "article.yml").exists():
            files["article.yml"] = read(folder / "article.yml", ARTICLE_FILE_SCHEMA)
        for name, (schema, _) in ARTICLE_RECORD_FILES.items():
            if (folder / name).exists():
                files[name] = read(folder / name, schema)
        articles[folder.name] = files
    return registry, articles


def _display(path: Path, data_dir: Path) -> str:
    """Paths in messages as the curator sees them: data/… relative to the project."""
    try:
        return str(Path(data_dir.name) / path.relative_to(data_dir))
    except ValueError:
        return str(path)
