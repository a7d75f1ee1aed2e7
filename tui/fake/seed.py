"""Demo tenant "Fabrikam": a few weeks of realistic calendars around `today`.

Deterministic for a given `today` (one seeded RNG, ids hashed from stable keys). Anchors on
`today` guarantee the first screen always shows both meetings the user organizes and meetings
they attend. The tenant's names are in tui/fake/tenant.py, the machinery that stores them in
tui/fake/builder.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import ids
from .builder import Builder
from .heavy import ATTENDEE_HEAVY, DATA_SETS, DEMO
from .model import Attendee, Event, Recurrence
from .store import Store
from .tenant import (
    APPOINTMENT,
    ATTENDED,
    ATTENDED_TODAY,
    BERLIN,
    BIWEEKLY_SERIES,
    CANCELLED_COPY,
    DAY_NAMES,
    DOMAIN,
    FIXED_TIME_INVITE,
    GROUP_ID,
    GROUP_MAIL,
    GUEST_ID,
    GUEST_UPN,
    HOLIDAYS,
    JONAS_ID,
    JONAS_UPN,
    ME_ID,
    ME_UPN,
    NO_RESPONSE_INVITE,
    ORGANIZED,
    ORGANIZED_TODAY,
    ORGANIZED_TODAY_RAW_ID,
    OTHERS_SERIES,
    PERSONAL,
    ROLE_ID,
    ROOMS,
    SECURITY_GROUP_ID,
    TENANT_ID,
    TRIAGE_INVITES,
    WEEKLY_SERIES,
    WIN_BERLIN,
)

# Tests and tools name the tenant through this module, as they did before the names moved.
__all__ = [
    "APPOINTMENT", "ATTENDED_TODAY", "ATTENDEE_HEAVY", "BERLIN", "BIWEEKLY_SERIES",
    "CANCELLED_COPY", "DATA_SETS", "DEMO", "DOMAIN", "FIXED_TIME_INVITE", "GROUP_ID", "GROUP_MAIL",
    "GUEST_ID", "GUEST_UPN", "JONAS_ID", "JONAS_UPN", "ME_ID", "ME_UPN", "NO_RESPONSE_INVITE",
    "ORGANIZED_TODAY", "ORGANIZED_TODAY_RAW_ID", "OTHERS_SERIES", "ROLE_ID", "SECURITY_GROUP_ID",
    "TENANT_ID", "TRIAGE_INVITES", "WEEKLY_SERIES", "WIN_BERLIN", "build"
]


class _Demo(Builder):
    # ---- events ---------------------------------------------------------------------------

    def anchors(self) -> None:
        today, me, jonas = self.today, self.me.person, self.jonas.person
        team = self.people(5, me)
        self.organized(today, 10, 0, 60, ORGANIZED_TODAY, team, online=True)
        self.organized(today, 11, 30, 30, ORGANIZED_TODAY_RAW_ID, [jonas, *self.people(2, jonas)],
                       raw=True, location=ROOMS[0])
        self.attended(today, 14, 0, 60, ATTENDED_TODAY, jonas, "accepted",
                      [jonas, *self.people(4, jonas)], online=True)
        self.attended(today, 16, 0, 30, "Обзор квартального плана", self.by_name["Olga Ivanova"],
                      "tentativelyAccepted", self.people(3, me))
        tomorrow = today + dt.timedelta(days=1)
        noah = self.by_name["Noah Williams"]
        self.attended(tomorrow, 11, 0, 60, CANCELLED_COPY, noah, "accepted",
                      self.people(3, noah), is_cancelled=True, show_as="free")
        self.organized(tomorrow, 9, 30, 30, "Coffee chat ☕", [self.by_name["Yuki Tanaka"]])
        self.attended(tomorrow, 15, 0, 45, "Security review", self.by_name["Lukas Novak"],
                      "notResponded", self.people(6, me), online=True)
        day2 = today + dt.timedelta(days=2)
        self.organized(day2, 10, 0, 45, "Design review: calendar sync", self.people(7, me),
                       online=True)
        self.attended(day2, 13, 30, 60, "Product demo", self.by_name["Emma Dubois"],
                      "declined", self.people(8, me))


    def business_weeks(self) -> None:
        rng = self.rng
        slots = [(h, m) for h in range(8, 18) for m in (0, 30) if (h, m) not in ((12, 0),
                                                                                 (12, 30))]
        for offset in range(-4, 43):
            day = self.today + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for hour, minute in sorted(rng.sample(slots, rng.randint(4, 7))):
                minutes = rng.choice((15, 30, 30, 45, 60, 60, 90))
                online = rng.random() < 0.45
                raw = self.serial % 5 == 0
                location = None if online else rng.choice((*ROOMS, "", ""))
                if rng.random() < 0.4:
                    self.organized(day, hour, minute, minutes, rng.choice(ORGANIZED),
                                   self.people(rng.randint(1, 12), self.me.person),
                                   online=online, raw=raw, location=location,
                                   importance=rng.choice(("normal",) * 5 + ("high", "low")))
                else:
                    organizer = rng.choice(self.colleagues[:-1])
                    response = rng.choice(("accepted",) * 5 + ("tentativelyAccepted",) * 2
                                          + ("notResponded",) * 2 + ("declined",))
                    extra: dict[str, Any] = {"raw": raw}
                    if location is not None:
                        extra["location"] = location
                    self.attended(day, hour, minute, minutes, rng.choice(ATTENDED), organizer,
                                  response, self.people(rng.randint(1, 11), organizer),
                                  online=online, **extra)

    def series(self) -> None:
        me, today = self.me.person, self.today
        weekday = today.weekday() if today.weekday() < 5 else 0
        first = today - dt.timedelta(days=(today.weekday() - weekday) % 7 + 21)
        team = [self.jonas.person, *self.people(7, self.jonas.person)]
        start = self.at(first, 13, 0)
        weekly = self.event(
            self.default, WEEKLY_SERIES, start, start + dt.timedelta(minutes=30), me,
            attendees=self.attendees_for(team), online=True, type="seriesMaster",
            recurrence=Recurrence("weekly", 1, (DAY_NAMES[weekday],), "numbered", first, None,
                                  16, WIN_BERLIN),
        )
        self.mirror(weekly)
        # One occurrence two weeks out was moved an hour later: an exception.
        slot = self.at(first + dt.timedelta(days=35), 13, 0)
        moved = slot + dt.timedelta(hours=2)
        exception_id = ids.derived(weekly.id, "exception", slot.isoformat())
        self.store.add_event(Event(
            id=exception_id, subject=WEEKLY_SERIES, start=moved,
            end=moved + dt.timedelta(minutes=30), organizer=me, calendar=self.default,
            attendees=weekly.attendees, join_url=weekly.join_url, type="exception",
            series_master_id=weekly.id, original_start=slot, location=ROOMS[1],
            body_text=weekly.body_text, change_key=ids.change_key(exception_id),
            ical_uid=ids.ical_uid(weekly.uid, slot.isoformat()), uid=weekly.uid,
            created=weekly.created, modified=self.store.now,
        ))

        mira = self.by_name["Mira Okafor"]
        first = today - dt.timedelta(days=60)
        start = self.at(first, 9, 15)
        standup_people = self.attendees_for(self.people(6, mira))
        standup_people.append(Attendee(me, "required", "accepted", self.store.now))
        self.event(
            self.default, OTHERS_SERIES, start, start + dt.timedelta(minutes=15), mira,
            attendees=standup_people, online=True, type="seriesMaster", response="accepted",
            response_time=self.store.now - dt.timedelta(days=50),
            recurrence=Recurrence("weekly", 1, DAY_NAMES[:5], "endDate", first,
                                  today + dt.timedelta(days=120), 0, WIN_BERLIN),
        )

        first = today - dt.timedelta(days=(today.weekday() - 3) % 7 + 14)
        start = self.at(first, 16, 0)
        biweekly = self.event(
            self.default, BIWEEKLY_SERIES, start, start + dt.timedelta(minutes=30), me,
            attendees=self.attendees_for([self.jonas.person]), raw=True, type="seriesMaster",
            location="Huddle Room Kiefer", sensitivity="private",
            recurrence=Recurrence("weekly", 2, ("thursday",), "noEnd", first, None, 0,
                                  WIN_BERLIN),
        )
        self.mirror(biweekly)


    def other_calendars(self) -> None:
        today, me, rng = self.today, self.me.person, self.rng
        self.all_day(self.default, "Fabrikam Partner Summit 2026", today + dt.timedelta(days=8),
                     2, me, location="Hamburg Messe, Hall B6", categories=["Travel"])
        founders = today + dt.timedelta(days=12)
        self.all_day(self.default, "Company holiday: Fabrikam Founders' Day 🎉", founders, 1,
                     self.hr, show_as="oof", response="accepted", response_requested=False,
                     attendees=[Attendee(me, "required", "accepted", self.store.now)])
        for year in (today.year - 1, today.year, today.year + 1):
            for month, mday, name in HOLIDAYS:
                day = dt.date(year, month, mday)
                if -30 <= (day - today).days <= 90:
                    self.all_day(self.holidays, name, day, 1, me, show_as="free",
                                 categories=["Holiday"], is_reminder_on=False,
                                 original_tz="UTC")
        if not self.holidays.events:
            self.all_day(self.holidays, "Company-wide day off", today + dt.timedelta(days=20), 1,
                         me, show_as="free", categories=["Holiday"])

        offsite = today + dt.timedelta(days=20)
        self.all_day(self.offsite, "Team Offsite – Lisbon 🇵🇹", offsite, 2, me, show_as="oof",
                     raw=True)
        for i, subject in enumerate(("Offsite agenda planning", "Offsite logistics",
                                     "Offsite: dry-run of keynote")):
            start = self.at(today + dt.timedelta(days=3 + 4 * i), 15, 0)
            self.event(self.offsite, subject, start, start + dt.timedelta(minutes=45), me,
                       attendees=self.attendees_for(self.people(4, me)), online=True)
        for i, subject in enumerate(PERSONAL):
            start = self.at(today + dt.timedelta(days=2 * i - 1), rng.choice((7, 18, 19)), 30)
            self.event(self.personal, subject, start, start + dt.timedelta(hours=1), me,
                       sensitivity="private", show_as="oof" if i % 3 == 0 else "busy",
                       response_requested=False)
        for i, subject in enumerate(("Security awareness training",
                                     "Leadership essentials (module 3)",
                                     "GDPR refresher", "Negotiation skills workshop",
                                     "Accessibility in product design")):
            start = self.at(today + dt.timedelta(days=3 * i + 1), 9 if i % 2 else 14, 0)
            self.event(self.training, subject, start, start + dt.timedelta(hours=2),
                       self.learning, attendees=[Attendee(me, "required", "accepted",
                                                          self.store.now)],
                       online=True, response="accepted", raw=i == 0)

    def jonas_own(self) -> None:
        jonas = self.jonas.person
        for offset in range(-4, 43, 2):
            day = self.today + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            start = self.at(day, 8, 30)
            self.event(self.jonas_cal, "Focus time", start, start + dt.timedelta(hours=2),
                       jonas, show_as="busy", response_requested=False)
        start = self.at(self.today, 17, 0)
        self.event(self.jonas_cal, "Platform backlog grooming", start,
                   start + dt.timedelta(minutes=45), jonas,
                   attendees=self.attendees_for(self.people(4, jonas)), online=True)

    def falcon(self) -> None:
        group = self.store.groups[GROUP_ID].person
        titles = ("Falcon sprint review", "Falcon design crit", "Falcon release train 🚆",
                  "Falcon: risk register review", "Falcon demo for leadership")
        for i, offset in enumerate(range(-3, 40, 3)):
            day = self.today + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                day -= dt.timedelta(days=day.weekday() - 4)
            start = self.at(day, 11 if i % 2 else 15, 0)
            people = [self.me.person, *self.people(3, self.me.person)]
            self.event(self.falcon_cal, titles[i % len(titles)], start,
                       start + dt.timedelta(hours=1), group,
                       attendees=self.attendees_for(people), online=i % 2 == 0,
                       raw=i == 2)
        start = self.at(self.today, 12, 0)
        self.event(self.falcon_cal, "Falcon lunch & learn 🥪", start,
                   start + dt.timedelta(minutes=45), group,
                   attendees=self.attendees_for(self.people(6, group)))

    def triage(self) -> None:
        """Invitations in every response state, one that allows no new time, one that asks
        for no response, and an appointment, on Wednesday to Friday of the third week
        (added last, so every earlier event keeps its id and its draws)."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        wednesday = monday + dt.timedelta(days=16)
        thursday, friday = wednesday + dt.timedelta(days=1), wednesday + dt.timedelta(days=2)
        me, jonas = self.me.person, self.jonas.person
        for i, (response, subject) in enumerate(TRIAGE_INVITES.items()):
            # Jonas organizes most of them: his copy shows the answers as they arrive.
            organizer = jonas if i != 1 else self.by_name["Lukas Novak"]
            # Graph shows an unanswered invitation as "none" or as "notResponded": both occur.
            self.attended(wednesday if i < 3 else thursday, 9 + 2 * (i % 3), 0, 45, subject,
                          organizer, response, [jonas, *self.people(3, jonas)],
                          online=i % 2 == 0)
        self.attended(thursday, 15, 0, 60, FIXED_TIME_INVITE, self.by_name["Emma Dubois"],
                      "notResponded", self.people(4, me), allow_new_time_proposals=False)
        self.attended(friday, 10, 0, 60, NO_RESPONSE_INVITE, self.hr, "notResponded",
                      self.people(6, me), online=True, response_requested=False)
        start = self.at(friday, 13, 30)
        self.event(self.default, APPOINTMENT, start, start + dt.timedelta(hours=2), me,
                   show_as="busy")


def build(today: dt.date, data: str = DEMO) -> Store:
    """The demo tenant for `today`; `data` ATTENDEE_HEAVY gives its meetings 10 to 40
    attendees and 1 to 2 KB bodies (tui/fake/heavy.py)."""
    builder = _Demo(today, data)
    builder.directory()
    builder.mailboxes()
    builder.anchors()
    builder.series()
    builder.business_weeks()
    builder.other_calendars()
    builder.jonas_own()
    builder.falcon()
    builder.triage()
    return builder.store
