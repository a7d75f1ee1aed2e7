"""The attendee-heavy data set: the demo tenant as a big company's mailbox looks.

Real meetings there have 10 to 40 attendees and bodies of one to two kilobytes (notes, a
pre-read, the Teams block, a footer), where the demo's have a handful of colleagues and a
three-line agenda. The bench measures the details pane on this set (scenario 6), because it
is what makes the pane's lines change most from one event to the next.

`build(today, data=ATTENDEE_HEAVY)` (tui/fake/seed.py) gives it; the default demo data does
not change. Everything is drawn from the builder's one seeded random source.
"""

from __future__ import annotations

import random

from .model import Person

DEMO = "demo"
ATTENDEE_HEAVY = "attendee-heavy"
DATA_SETS = (DEMO, ATTENDEE_HEAVY)

ATTENDEES = (10, 40)  # attendees of one meeting, inclusive
BODY_BYTES = (1024, 2048)  # UTF-8 bytes of one body, inclusive

# Names of several languages and lengths, so attendee lines differ as in a real company.
_GIVEN = ("Aarav", "Beatriz", "Chiara", "Dmitri", "Elif", "Fatima", "Grzegorz", "Hiroshi",
          "Ingrid", "Jun", "Kwame", "Leilani", "Mateus", "Nadia", "Oluwaseun", "Pernille",
          "Quentin", "Rosalind", "Siobhan", "Thandiwe", "Ulrich", "Valentina", "Wojciech",
          "Ximena", "Yusuf", "Zsófia")
_SURNAMES = ("Abernathy-Clarke", "Bianchi", "Chowdhury", "Demir", "Eriksson", "Fontaine",
             "García Márquez", "Hoffmann", "Iwasaki", "Jovanović", "Kowalczyk", "Lefebvre",
             "Mbeki", "Nakamura", "O'Sullivan", "Petrov")
_PARTNERS = ("contoso.com", "northwindtraders.com", "tailspintoys.com", "adventure-works.com")

_NOTES = (
    "Pre-read: the one-pager in the channel's Files tab (Planning/2026/Q4). Please add your "
    "comments there before the meeting, not in this invitation; we will not walk through it "
    "again and will use the time for the open questions.",
    "Decisions needed: scope of the first release, the owner of the migration runbook, and "
    "whether we keep the Friday freeze through the holidays. If you cannot make it, send a "
    "delegate who can decide for your team.",
    "Notes from last time: the capacity model was accepted with two changes (peak factor 1.4, "
    "not 1.2; the EU region counted separately). Action items are tracked in Planner under "
    "\u201cFollow-ups\u201d; three are still open.",
    "Dial-in for those travelling: +49 30 901820 00, conference ID 418 552 907#. The room has "
    "the new Teams Rooms console; if the camera does not wake, press the button on the left "
    "of the display once.",
    "Agenda, in order: 1) where we are against plan (10 min); 2) risks and mitigations (15 min); "
    "3) customer feedback from the pilot (15 min); 4) next steps and owners (5 min). Slides "
    "will be shared in the chat.",
    "This meeting is recorded and transcribed for those in other time zones. The recording "
    "is kept for 60 days in the team's SharePoint site and then deleted automatically, per "
    "the records policy.",
    "Reminder: budget requests for next year close on Friday. Bring your team's headcount "
    "plan and the three largest non-personnel costs; anything not in the sheet by then waits "
    "for the mid-year review.",
    "Please keep the invitation as it is: forwarding it to people outside Fabrikam shares the "
    "join link. Ask the organizer to add guests instead, so that they get their own invitation "
    "and the lobby lets them in.",
)
_FOOTER = (
    "\n\n--\nFabrikam, Inc. \u00b7 Confidential: this invitation and its attachments are meant "
    "for the people invited only. If you received it by mistake, tell the organizer and delete "
    "it. Fabrikam processes personal data as described at https://fabrikam.example/privacy."
)


def staff(domain: str) -> list[Person]:
    """A few hundred more colleagues and partners to invite: a big company's directory."""
    people = [Person(f"{given} {surname}",
                     f"{given}.{surname}".lower().replace(" ", "").replace("'", "") + f"@{domain}")
              for given in _GIVEN for surname in _SURNAMES]
    for n, partner in enumerate(_PARTNERS):
        people.extend(Person(f"{given} ({partner.split('.')[0].title()})",
                             f"{given.lower()}@{partner}") for given in _GIVEN[n::4])
    return people


def crowd(rng: random.Random, pool: list[Person], exclude: Person) -> list[Person]:
    """10 to 40 people of `pool`, never `exclude`."""
    others = [p for p in pool if not p.same(exclude)]
    return rng.sample(others, min(rng.randint(*ATTENDEES), len(others)))


def body(rng: random.Random, agenda: str, tail: str) -> str:
    """`agenda`, notes drawn at random and `tail`, filled or cut to 1 to 2 KB of UTF-8."""
    size = rng.randint(*BODY_BYTES)
    notes = list(_NOTES)
    rng.shuffle(notes)
    text = agenda
    for note in notes:
        if len((text + tail + _FOOTER).encode()) >= size:
            break
        text += "\n" + note + "\n"
    text += tail + _FOOTER
    while len(text.encode()) < size:  # short still: the notes once more
        text += "\n" + notes[len(text) % len(notes)]
    # Cut at a character boundary: the bytes cut off may end inside a character.
    return text.encode()[:size].decode(errors="ignore")
