"""A synthetic corpus in exactly the curated format, deterministic from a seed.

    python -m bench.generate OUT_FOLDER --articles N [--seed 1]

Each article has about 50 sentences in 12 paragraphs, 20 events, 20 statements, 10 figures and
2 cases, every sentence cited; the registry of actors and places is shared, so articles
reference one another's people and places. Text is made up and says so.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path

import yaml

FIRST = ["Aida", "Bolat", "Dana", "Erlan", "Gulnara", "Marat", "Nurlan", "Saule", "Timur", "Zhanna"]
LAST = ["Abenov", "Bekova", "Dosanov", "Ermekova", "Iskakov", "Kassymova", "Nurlanov", "Seitova"]
VERBS = ["detained", "questioned", "beaten", "released", "charged", "fined", "searched"]
CITIES = ["Almaty", "Astana", "Atbasar", "Semey", "Aktobe", "Oral", "Taraz", "Kostanay"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
EVENTS, STATEMENTS, FIGURES = 20, 20, 10
# Varied wording, so that no word is in every statement, figure, case or charge: in the real
# article the commonest topical word ("prison") is in 11 of 59 sentences. A corpus where
# one word is in every row would measure a search nobody makes.
QUOTES = [
    "We did nothing wrong",
    "The officers acted within the law",
    "He was beaten in the detention center",
    "My son was tortured until he confessed",
    "The investigation is still open",
    "No one has been punished for this",
    "We demand an independent inquiry",
    "The video shows what happens in our prisons",
    "They threatened my family",
    "The prosecutor refused to register the complaint",
    "Our client has been released",
    "The court ignored the evidence",
]
FIGURE_FORMS = [  # (unit, what, sentence after the number)
    ("people", "people held", "people were held in {place}"),
    ("prisoners", "prisoners in the colony", "prisoners were in the colony near {place}"),
    ("complaints", "complaints filed", "complaints were filed in {place}"),
    ("days", "days in pretrial detention", "days were spent in pretrial detention in {place}"),
    ("officers", "officers questioned", "officers were questioned in {place}"),
]
CHARGES = [
    "abuse of office",
    "torture",
    "exceeding official powers",
    "hooliganism",
    "spreading false information",
    "participation in mass riots",
]
CASE_TITLES = ["Prosecution of {name}", "Trial of {name}", "Criminal proceedings against {name}"]
YEARS = ["one year", "two years"]
# How a statement's channel is said, so that a sentence states it (claims).
CHANNELS = {"video": "a video", "interview": "an interview", "facebook_post": "a Facebook post"}


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def registry(random_: random.Random, articles: int) -> tuple[list[dict], list[dict]]:
    actor_count = 200 + articles // 5
    place_count = 40 + articles // 50
    actors = []
    for number in range(actor_count):
        name = f"{random_.choice(FIRST)} {random_.choice(LAST)} {number}"
        actors.append({"id": slug(name), "kind": "person", "name": name, "number": number})
    places = []
    for number in range(place_count):
        name = f"{CITIES[number % len(CITIES)]} district {number}"
        places.append({"id": slug(name), "kind": "city", "name": name, "number": number})
    return actors, places


def article(
    number: int, registered: int, random_: random.Random, actors: list, places: list
) -> dict:
    """Text and records of one article; every quote carries a unique (ref N-I) marker."""
    article_id = f"synthetic-{number:05d}"
    # The actors and places whose registry evidence quotes this article come first; articles
    # past `registered` are quoted by no registry record, so they can come and go freely.
    own_actors = [a for a in actors if a["number"] % registered == number][:6]
    own_places = [p for p in places if p["number"] % registered == number][:3]
    if number >= registered:
        actors = [a for a in actors if a["number"] < registered * 6]
        places = [p for p in places if p["number"] < registered * 3]
    cast = own_actors + random_.sample(actors, 8)
    sites = own_places + random_.sample(places, 3)
    sentences, events, statements, figures, evidence_for = [], [], [], [], {}

    def sentence(text: str) -> str:
        sentences.append(text)
        return text

    for i in range(EVENTS):
        actor, place = cast[i % len(cast)], sites[i % len(sites)]
        month, day = random_.randrange(8), random_.randrange(1, 28)
        ref = f"(ref {number}-{i})"
        verb = random_.choice(VERBS)
        text = sentence(
            f"{actor['name']} was {verb} in {place['name']} on {MONTHS[month]} {day} {ref}."
        )
        evidence_for.setdefault(
            ("actor", actor["id"]),
            f"{actor['name']} was {verb} in {place['name']} on {MONTHS[month]} {day} {ref}",
        )
        evidence_for.setdefault(
            ("place", place["id"]), f"in {place['name']} on {MONTHS[month]} {day} {ref}"
        )
        event = {
            "id": f"{article_id}-event-{i}",
            "title": f"{actor['name']} {verb}",
            "kind": "detention",
            "violation_type": "arbitrary detention" if verb == "detained" else None,
            "place": place["id"],
            "description": f"Synthetic event {i} of synthetic article {number}.",
            "date": f"2023-{month + 1:02d}-{day:02d}",
            "date_text": f"{MONTHS[month]} {day}",
            "date_basis": "year_inferred_from_publication",
            "actors": [{"actor": actor["id"], "role": "victim"}],
            "evidence": [text[:-1]],
        }
        if i:
            event["links"] = [{"event": f"{article_id}-event-{i - 1}", "relation": "follows"}]
        events.append({k: v for k, v in event.items() if v is not None})
    for i in range(STATEMENTS):
        actor = cast[(i * 3) % len(cast)]
        quote = QUOTES[random_.randrange(len(QUOTES))]
        channel = random_.choice(list(CHANNELS))
        text = sentence(
            f"“{quote},” {actor['name']} said in {CHANNELS[channel]} (ref {number}-{EVENTS + i})."
        )
        statements.append(
            {
                "id": f"{article_id}-statement-{i}",
                "speaker": actor["id"],
                "text": quote,
                "is_verbatim": True,
                "channel": channel,
                "event": f"{article_id}-event-{i}",
                "assertion": "denial",
                "evidence": [text],
            }
        )
    for i in range(FIGURES):
        value = random_.randrange(2, 500)
        ref = f"(ref {number}-{EVENTS + STATEMENTS + i})"
        unit, what, form = FIGURE_FORMS[i % len(FIGURE_FORMS)]
        claim = f"At least {value} {form.format(place=sites[0]['name'])} {ref}"
        sentence(f"{claim}.")
        figures.append(
            {
                "id": f"{article_id}-figure-{i}",
                "value": value,
                "unit": unit,
                "qualifier": "at least",
                "what": f"{what}, synthetic figure {i}",
                "event": f"{article_id}-event-{i}",
                "evidence": [claim],
            }
        )
    defendant = cast[0]
    verdicts = [
        sentence(
            f"{defendant['name']} was convicted of {CHARGES[(number * 2 + c) % len(CHARGES)]} "
            f"and sentenced to {YEARS[c]} in prison (ref {number}-case-{c})."
        )[:-1]
        for c in range(2)
    ]
    cases = [
        {
            "id": f"{article_id}-case-{c}",
            "title": CASE_TITLES[(number + c) % len(CASE_TITLES)].format(name=defendant["name"]),
            "kind": "criminal_prosecution",
            "status": "convicted",
            "description": "Synthetic.",
            "parties": [{"actor": defendant["id"], "role": "defendant"}],
            "evidence": [verdicts[c]],
            "charges": [
                {
                    "id": f"{article_id}-case-{c}-charge",
                    "defendant": defendant["id"],
                    "charge": CHARGES[(number * 2 + c) % len(CHARGES)],
                    "outcome": "convicted",
                    "evidence": [verdicts[c]],
                }
            ],
            "penalties": [
                {
                    "id": f"{article_id}-case-{c}-penalty",
                    "actor": defendant["id"],
                    "kind": "imprisonment",
                    "term_months": 12 * (c + 1),
                    "evidence": [verdicts[c]],
                }
            ],
        }
        for c in range(2)
    ]
    title = f"Synthetic article {number}: detentions reported (made up for benchmarks)"
    paragraphs = [title] + [" ".join(sentences[k : k + 4]) for k in range(0, len(sentences), 4)]
    text = "\n[ad_1]\n".join(paragraphs) + "\n"
    meta = {
        "id": article_id,
        "title": title,
        "publisher": "Synthetic benchmark corpus (not real)",
        "source_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "date": "2023-09",
        "date_text": "September 2023",
        "date_basis": "explicit",
        "uncited": [{"quote": title, "reason": "headline; recorded as articles.title"}],
    }
    files = {
        "article.yml": meta,
        "events.yml": events,
        "statements.yml": statements,
        "figures.yml": figures,
        "cases.yml": cases,
    }
    return {
        "id": article_id,
        "text": text,
        "files": files,
        "evidence": evidence_for,
    }


def generate(out: Path, articles: int, seed: int = 1, unregistered: int = 0) -> Path:
    """Write data/ for a corpus of `articles` articles, the last `unregistered` of them quoted
    by no registry record; returns the data folder."""
    random_ = random.Random(seed)
    registered = articles - unregistered
    actors, places = registry(random_, registered)
    registry_evidence: dict[tuple[str, str], dict] = {}
    (out / "registry").mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        made = article(number, registered, random_, actors, places)
        folder = out / "articles" / made["id"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.txt").write_text(made["text"], encoding="utf-8")
        for name, content in made["files"].items():
            dump(folder / name, content)
        for key, quote in made["evidence"].items():
            if number < registered:
                registry_evidence.setdefault(key, {made["id"]: [quote]})
    for kind, records, file in (("actor", actors, "actors.yml"), ("place", places, "places.yml")):
        entries = []
        for record in records:
            evidence = registry_evidence.get((kind, record["id"]))
            if evidence is None:
                continue  # never mentioned: not a record
            entry = {"id": record["id"], "kind": record["kind"], "name": record["name"]}
            entry["description"] = f"Synthetic {kind} (made up for benchmarks)."
            entry["evidence"] = evidence
            entries.append(entry)
        dump(out / "registry" / file, entries)
    return out


def dump(path: Path, content) -> None:
    path.write_text(
        yaml.dump(
            content,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
            allow_unicode=True,
            sort_keys=False,
            width=1000,
        ),
        encoding="utf-8",
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(generate(args.out, args.articles, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
