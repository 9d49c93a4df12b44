"""Incremental builds give exactly what a full build gives, after edits, additions, deletions."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from article_dataset import BuildError, build
from article_dataset.tables import ALL_TABLES
from bench.generate import dump, generate

from .conftest import DATA

SEARCHES = ["detained", "wrong", "people", "district"]


def table_rows(db_path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(db_path)
    try:
        # _build_files also records when each file was last seen: bookkeeping, not data.
        columns = {"_build_files": "path, sha256, size"}
        return {
            table.name: connection.execute(
                f"select {columns.get(table.name, '*')} from [{table.name}] "
                f"order by {', '.join(table.pk)}"
            ).fetchall()
            for table in ALL_TABLES
        }
    finally:
        connection.close()


def search_results(db_path: Path) -> dict:
    connection = sqlite3.connect(db_path)
    try:
        results = {}
        for table in ALL_TABLES:
            if not table.fts:
                continue
            # The FTS index agrees with its table (fails loudly otherwise).
            connection.execute(
                f"insert into [{table.name}_fts]([{table.name}_fts]) values ('integrity-check')"
            )
            for term in SEARCHES:
                rows = connection.execute(
                    f"select t.{table.pk[0]} from [{table.name}_fts] f join [{table.name}] t "
                    f"on t.rowid = f.rowid where f.[{table.name}_fts] match ? order by 1",
                    (term,),
                ).fetchall()
                results[(table.name, term)] = rows
        return results
    finally:
        connection.close()


def assert_same_as_full_build(incremental: Path, data: Path, tmp_path: Path) -> None:
    full = tmp_path / "full.db"
    full.unlink(missing_ok=True)
    build(full, data, full=True)
    expected, actual = table_rows(full), table_rows(incremental)
    for table in expected:
        assert actual[table] == expected[table], table
    assert search_results(incremental) == search_results(full)


@pytest.fixture
def corpus(tmp_path):
    """A synthetic corpus of 12 articles; the last 2 are quoted by no registry record."""
    data = generate(tmp_path / "data", 12, seed=7, unregistered=2)
    spare = tmp_path / "spare"
    spare.mkdir()
    return data, spare


def edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES = ["title", "figure", "registry", "quoted", "headline", "remove", "restore"]


def quote_an_actor_where_an_event_names_him(data: Path, article: Path) -> bool:
    """A registry edit that changes a claim in a file it leaves alone: the actor of the
    article's first event gains that event's sentence as evidence, so the event's claim of
    him is stated by his own quote there instead of by his name. False if he had it."""
    event = yaml.safe_load((article / "events.yml").read_text(encoding="utf-8"))[0]
    actor_id, quote = event["actors"][0]["actor"], event["evidence"][0]
    path = data / "registry" / "actors.yml"
    actors = yaml.safe_load(path.read_text(encoding="utf-8"))
    actor = next(record for record in actors if record["id"] == actor_id)
    quotes = actor["evidence"].setdefault(article.name, [])
    if quote in quotes:
        return False
    quotes.append(quote)
    dump(path, actors)
    return True


def random_edit(data: Path, spare: Path, rng: random.Random, choice: str) -> list[Path]:
    """Makes one change; returns the paths it touched (as an editor or git would list them)."""
    articles = sorted(p for p in (data / "articles").iterdir())
    article = rng.choice(articles)
    if choice == "title":
        edit_text(article / "events.yml", "title: ", f"title: Edited {rng.randrange(999)} ")
        return [article / "events.yml"]
    if choice == "figure":
        edit_text(article / "figures.yml", "unit: people", "unit: persons")
        return [article / "figures.yml"]
    if choice == "registry":
        actors = data / "registry" / "actors.yml"
        edit_text(actors, "(made up", f"(edited {rng.randrange(999)}, made up")
        return [actors]
    if choice == "quoted":
        # Not in an article that may be removed: the registry quotes it from now on.
        registered = [p for p in articles if p.name not in ("synthetic-00010", "synthetic-00011")]
        quote_an_actor_where_an_event_names_him(data, rng.choice(registered))
        return [data / "registry" / "actors.yml"]
    if choice == "headline":
        # Moves every offset in the article: its quotes are located again, registry ones too.
        meta = yaml.safe_load((article / "article.yml").read_text(encoding="utf-8"))
        old = meta["title"]
        meta["title"] = meta["uncited"][0]["quote"] = new = old.replace("Synthetic", "Revised", 1)
        edit_text(article / "source.txt", old, new)
        # A new text is a new scrape: its hash is recorded with it.
        meta["source_sha256"] = hashlib.sha256((article / "source.txt").read_bytes()).hexdigest()
        (article / "article.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
        return [article / "article.yml", article / "source.txt"]
    if choice == "remove":
        movable = [p for p in articles if p.name in ("synthetic-00010", "synthetic-00011")]
        if movable:
            shutil.move(str(movable[0]), spare / movable[0].name)
        return movable[:1]
    restored = []
    for folder in sorted(spare.iterdir()):
        shutil.move(str(folder), data / "articles" / folder.name)
        restored.append(data / "articles" / folder.name / "events.yml")
    return restored


@pytest.mark.parametrize("name_the_changes", [False, True], ids=["walk", "changed"])
def test_incremental_equals_full_after_random_changes(corpus, tmp_path, name_the_changes):
    """Found by listing the corpus, or named with --changed: the same database."""
    data, spare = corpus
    db = tmp_path / "article.db"
    assert build(db, data).mode == "full"
    rng = random.Random(2024)
    changes = CHANGES * 2
    rng.shuffle(changes)
    done = []
    for choice in changes:
        touched = random_edit(data, spare, rng, choice)
        changed = touched if name_the_changes else None
        done.append((choice, build(db, data, changed=changed).mode))
        assert_same_as_full_build(db, data, tmp_path)
    assert {choice for choice, mode in done if mode == "incremental"} == set(CHANGES), done


def test_a_registry_edit_links_again_the_references_it_changes(corpus, tmp_path):
    """An actor's new evidence changes how an event of another file states him: the
    incremental build, which reads only the registry again, must give the new claim."""
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    claim = "select quote from claims where record_id = ? and field = 'actors.victim'"
    for article in sorted((data / "articles").iterdir()):
        if quote_an_actor_where_an_event_names_him(data, article):
            break
    event = yaml.safe_load((article / "events.yml").read_text(encoding="utf-8"))[0]
    before = sqlite3.connect(db).execute(claim, (event["id"],)).fetchone()[0]
    report = build(db, data)
    assert (report.mode, report.files_read) == ("incremental", 1)
    after = sqlite3.connect(db).execute(claim, (event["id"],)).fetchone()[0]
    assert (before, after) == (before, event["evidence"][0]) and before != after
    assert_same_as_full_build(db, data, tmp_path)


def test_changed_looks_only_at_the_named_folders(corpus, tmp_path):
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    named = data / "articles" / "synthetic-00003" / "events.yml"
    edit_text(named, "title: ", "title: Edited ")
    edit_text(data / "articles" / "synthetic-00005" / "events.yml", "title: ", "title: Also ")
    assert build(db, data, changed=[named]).files_read == 1
    # The edit it was not told about is found by the next build that lists the corpus.
    report = build(db, data)
    assert (report.mode, report.files_read) == ("incremental", 1)
    assert_same_as_full_build(db, data, tmp_path)


def test_changed_outside_the_data_folder_is_refused(corpus, tmp_path):
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    before = db.read_bytes()
    with pytest.raises(BuildError) as error:
        build(db, data, changed=[tmp_path / "notes.yml", data / "README.md"])
    where = f"{data}/registry or {data}/articles/<folder>"
    assert str(error.value).splitlines()[1:] == [
        f"{data / 'README.md'}: --changed: this path is not in {where}",
        f"{tmp_path / 'notes.yml'}: --changed: this path is not in {where}",
    ]
    assert db.read_bytes() == before


def test_incremental_reads_only_changed_files(corpus, tmp_path):
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    assert build(db, data).mode == "up to date"
    edit_text(data / "articles" / "synthetic-00003" / "events.yml", "title: ", "title: Edited ")
    report = build(db, data)
    assert (report.mode, report.files_read) == ("incremental", 1)
    # Touched but unchanged: hashed, found equal, nothing rewritten.
    (data / "articles" / "synthetic-00004" / "cases.yml").touch()
    before = db.stat().st_mtime_ns
    assert build(db, data).mode == "up to date"
    assert db.stat().st_mtime_ns == before


def test_removing_a_quoted_article_is_refused_incrementally(corpus, tmp_path):
    data, spare = corpus
    db = tmp_path / "article.db"
    build(db, data)
    before = db.read_bytes()
    shutil.move(str(data / "articles" / "synthetic-00001"), spare / "synthetic-00001")
    with pytest.raises(BuildError) as error:
        build(db, data)
    assert "unknown article 'synthetic-00001'" in str(error.value)
    assert db.read_bytes() == before


def test_incremental_build_catches_a_duplicate_id_in_another_file(corpus, tmp_path):
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    edit_text(
        data / "articles" / "synthetic-00002" / "events.yml",
        "id: synthetic-00002-event-0\n",
        "id: synthetic-00001-event-0\n",
    )
    with pytest.raises(BuildError) as error:
        build(db, data)
    message = str(error.value)
    assert "duplicate id 'synthetic-00001-event-0' in events" in message
    assert "first defined at data/articles/synthetic-00001/events.yml" in message


def test_second_article_shares_the_registry(tmp_path, data_copy):
    """Two articles in one build: the seed and a small made-up fixture that cites the same
    people and places (never shipped: it lives in tests/fixtures)."""
    data = data_copy
    fixture = Path(__file__).resolve().parent / "fixtures" / "second-article"
    shutil.copytree(fixture, data / "articles" / "second-article")
    db = tmp_path / "article.db"
    report = build(db, data)
    assert report.counts["articles"] == 2
    connection = sqlite3.connect(db)
    shared = connection.execute(
        """select distinct e.article_id from event_actors ea join events e on e.id = ea.event_id
           where ea.actor_id = 'timur-danebaev' order by 1"""
    ).fetchall()
    assert shared == [("second-article",), ("torture-video-kazakhstan",)]
    places = connection.execute(
        "select distinct article_id from events where place_id = 'atbasar-jail-no-1' order by 1"
    ).fetchall()
    assert places == [("second-article",), ("torture-video-kazakhstan",)]


def test_changed_paths_as_an_editor_gives_them(corpus, tmp_path, monkeypatch):
    """Relative to the current directory, and through a symlinked file: the file belongs
    to the folder it is in, not to where its link points."""
    data, _ = corpus
    db = tmp_path / "article.db"
    build(db, data)
    linked = data / "articles" / "synthetic-00004" / "events.yml"
    target = tmp_path / "events-kept-elsewhere.yml"
    target.write_text(linked.read_text(encoding="utf-8").replace("title: ", "title: L ", 1))
    linked.unlink()
    linked.symlink_to(target)
    monkeypatch.chdir(data.parent)
    report = build(db, data, changed=["data/articles/synthetic-00004/events.yml"])
    assert (report.mode, report.files_read) == ("incremental", 1)
    assert_same_as_full_build(db, data, tmp_path)


def test_a_build_imports_none_of_the_modules_left_out_of_its_code_hash(tmp_path):
    """Editing the server or the docs code does not force a full build; that is only right
    while a build never runs that code."""
    from article_dataset.state import NOT_BUILD_CODE

    script = (
        "import sys; from article_dataset import build; "
        f"build({str(tmp_path / 'article.db')!r}, {str(DATA)!r}); "
        "print(' '.join(sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    loaded = set(run.stdout.split())
    assert "article_dataset.units" in loaded
    left_out = {name.removesuffix(".py").strip("/") for name in NOT_BUILD_CODE}
    assert "site" in left_out
    assert not {
        module
        for module in loaded
        if module.startswith("article_dataset.")
        and module.removeprefix("article_dataset.").split(".")[0] in left_out
    }
