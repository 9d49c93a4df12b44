"""The fixture article the bad-input tests break: made up, never part of data/."""

from __future__ import annotations

import hashlib

FIXTURE_ID = "test-fixture-article"
FOLDER = f"articles/{FIXTURE_ID}"
ACTORS = "registry/actors.yml"
PLACES = "registry/places.yml"
ARTICLE = f"{FOLDER}/article.yml"
EVENTS = f"{FOLDER}/events.yml"
STATEMENTS = f"{FOLDER}/statements.yml"
FIGURES = f"{FOLDER}/figures.yml"
SOURCE = f"{FOLDER}/source.txt"
SECOND_ID = "zz-second-fixture-article"

# Sentences: 1 the headline, 2-4 one per line, 5 and 6 share a line, 7 after a marker.
FIXTURE_SOURCE = """\
A Fixture Headline For Testing
[ad_1]
Anna Testova, 41, was detained in Testville, Testland, on March 3, 2023.
The police said she was held for 48 hours.
“She did nothing wrong,” her lawyer said.
Critics called the detention a warning. Others called it a mistake.
[ad_2]
Nobody knows what comes next.
"""

FIXTURE_SHA256 = hashlib.sha256(FIXTURE_SOURCE.encode("utf-8")).hexdigest()
FIXTURE_ARTICLE = f"""\
id: {FIXTURE_ID}
title: A Fixture Headline For Testing
publisher: Fixture Press
publisher_note: invented for the tests
source_sha256: {FIXTURE_SHA256}
date: "2023-03"
date_text: "March 3, 2023"
date_basis: approximate
uncited:
  - quote: "A Fixture Headline For Testing"
    reason: headline
  - quote: "Others called it a mistake."
    reason: opinion; states no fact
  - quote: "Nobody knows what comes next."
    reason: rhetorical aside; states no fact
"""

FIXTURE_EVENTS = """\
- id: fixture-testova-detained
  title: Anna Testova detained in Testville
  kind: detention
  violation_type: arbitrary detention
  place: fixture-testville
  description: Anna Testova was detained in Testville.
  date: "2023-03-03"
  date_text: "March 3, 2023"
  date_basis: explicit
  actors:
    - {actor: fixture-anna-testova, role: victim}
  evidence:
    - "was detained in Testville, Testland, on March 3, 2023"

- id: fixture-testova-held
  title: Anna Testova held for 48 hours
  kind: detention
  description: The police said she was held for 48 hours.
  date: "2023-03-03/2023-03-05"
  date_text: "March 3, 2023"
  date_basis: explicit
  claims: {date: "on March 3, 2023"}
  asserted_by: fixture-police
  assertion: official_claim
  actors:
    - {actor: fixture-police, role: perpetrator}
  links:
    - {event: fixture-testova-detained, relation: follows}
  evidence:
    - "she was held for 48 hours"
"""

FIXTURE_STATEMENTS = """\
- id: fixture-lawyer-nothing-wrong
  speaker: fixture-lawyer
  text: "She did nothing wrong,"
  is_verbatim: true
  event: fixture-testova-detained
  evidence:
    - "“She did nothing wrong,” her lawyer said."

- id: fixture-critics-warning
  text: "Critics called the detention a warning."
  is_verbatim: false
  channel: article
  evidence:
    - "Critics called the detention a warning."
"""

FIXTURE_FIGURES = """\
- id: fixture-hours-held
  value: 48
  unit: hours
  qualifier: as stated
  what: how long Anna Testova was held
  event: fixture-testova-held
  asserted_by: fixture-police
  assertion: official_claim
  evidence:
    - "held for 48 hours"
"""

FIXTURE_ACTORS = f"""
- id: fixture-anna-testova
  kind: person
  name: Anna Testova
  description: Fixture person detained in Testville.
  age: 41
  names:
    - name: Testova
      name_type: as_in_source
      lang: en
    - name: Anna Testowa
      name_type: transliteration
      note: an invented spelling for the tests
  evidence:
    {FIXTURE_ID}:
      - "Anna Testova, 41"

- id: fixture-police
  kind: organization
  name: the police
  description: Fixture police force of Testville.
  evidence:
    {FIXTURE_ID}:
      - "The police said"

- id: fixture-lawyer
  kind: person
  name: her lawyer
  description: Fixture lawyer of Anna Testova.
  evidence:
    {FIXTURE_ID}:
      - "her lawyer said"
"""

FIXTURE_PLACES = f"""
- id: fixture-testland
  kind: country
  name: Testland
  description: Fixture country.
  evidence:
    {FIXTURE_ID}: ["Testville, Testland"]

- id: fixture-testville
  kind: city
  name: Testville
  parent: fixture-testland
  latitude: 50.5
  longitude: 60.25
  coordinates_source: invented for the tests
  description: Fixture town where Anna Testova was detained.
  evidence:
    {FIXTURE_ID}: ["detained in Testville"]
"""
