"""Demo tenant "Fabrikam": a few weeks of realistic calendars around `today`.

Deterministic for a given `today` (one seeded RNG, ids hashed from stable keys). Wall times
are Berlin business hours stored as UTC. Anchors on `today` guarantee the first screen
always shows both meetings the user organizes and meetings they attend.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from . import ids
from .model import (
    Attendee,
    Calendar,
    CalendarGroup,
    DirectoryRole,
    Event,
    Group,
    Mailbox,
    Person,
    Recurrence,
    User,
)
from .store import Store

DOMAIN = "fabrikam.onmicrosoft.com"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ME_ID = "6e2f1c9a-3b7d-4a51-9c2e-8f4b0d7a1e35"
ME_UPN = f"avery.quinn@{DOMAIN}"
JONAS_ID = "b8a3d4e2-61f0-4c7a-9d15-3e7f2a9c4b80"
JONAS_UPN = f"jonas.berg@{DOMAIN}"
GUEST_ID = "d41f7a2c-9e3b-4d68-a5c1-7b2e9f0d3a56"
GUEST_UPN = f"kim_partner.example#EXT#@{DOMAIN}"
GROUP_ID = "3f1c2a9e-7b4d-4e8a-9c61-2d5f8a0b7c14"
GROUP_MAIL = f"projectfalcon@{DOMAIN}"
# Memberships that /me/memberOf lists but that have no calendar: a security group and a role.
SECURITY_GROUP_ID = "9a7e3c51-2f4b-4d86-b0e2-6c1d8f5a3e97"
ROLE_ID = "c2d5e8f1-4a7b-4c3d-9e6f-1b2a3c4d5e6f"
GLOBAL_READER_TEMPLATE = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
DEFAULT_GROUP_CLASS = "0006f0b7-0000-0000-c000-000000000046"

# Subjects the anchors use, so tests and screenshots can find them.
ORGANIZED_TODAY = "Budget [bold]Q3[/] review"
ORGANIZED_TODAY_RAW_ID = "Quarterly roadmap / pricing + packaging"
ATTENDED_TODAY = "Architecture sync"
CANCELLED_COPY = "Canceled: Vendor demo"
WEEKLY_SERIES = "Weekly team sync"
OTHERS_SERIES = "Daily stand-up"
BIWEEKLY_SERIES = "1:1 Avery / Jonas"

BERLIN = ZoneInfo("Europe/Berlin")
WIN_BERLIN = "W. Europe Standard Time"

_COLLEAGUES = (
    ("Mira", "Okafor", "Engineering Manager"),
    ("Tomás", "Ferreira", "Senior Software Engineer"),
    ("Yuki", "Tanaka", "Product Designer"),
    ("Olga", "Ivanova", "Finance Business Partner"),
    ("Dimitris", "Papadopoulos", "Data Scientist"),
    ("Layla", "Haddad", "Customer Success Lead"),
    ("Priya", "Raman", "Program Manager"),
    ("Chen", "Wei", "Site Reliability Engineer"),
    ("Sofia", "Lindqvist", "UX Researcher"),
    ("Ahmed", "Nasser", "Solutions Architect"),
    ("Hannah", "Schmidt", "HR Business Partner"),
    ("Lukas", "Novak", "Security Engineer"),
    ("Emma", "Dubois", "Marketing Manager"),
    ("Noah", "Williams", "Account Executive"),
    ("Aiko", "Sato", "QA Engineer"),
    ("Björn", "Åkesson", "Principal Engineer"),
    ("Zoë", "Martin", "Legal Counsel"),
    ("Rafael", "Costa", "Sales Engineer"),
)
_ASCII = str.maketrans({"á": "a", "ö": "o", "Å": "A", "å": "a", "ë": "e", "é": "e"})

_ROOMS = (
    "Conference Room Fjord (B2.14)",
    "Spree 3.01 – Berlin HQ",
    "Huddle Room Kiefer",
    "Auditorium",
    "Café Lounge, 1st floor",
    "Meeting Room Mühle (B1.07)",
)
_ORGANIZED = (
    "Roadmap check-in", "Hiring loop debrief", "Design review: calendar sync",
    "Sprint planning", "Pricing workshop", "Vendor evaluation", "Release go/no-go",
    "Обзор квартального плана", "Συνάντηση ομάδας σχεδιασμού", "週次レビュー",
    "مراجعة المشروع الأسبوعية", "🚀 Launch readiness", "Coffee chat ☕", "Q1 OKR draft 📈",
    "Customer escalation: Contoso", "Budget follow-up <draft>", "Interview: Staff Engineer",
    "Backlog grooming", "Stakeholder update", "Metrics deep-dive",
)
_ATTENDED = (
    "Product demo", "Architecture council", "Quarterly business review",
    "Brown bag: Rust at Fabrikam", "Incident postmortem", "Finance sync", "Marketing plan review",
    "Security review", "Customer call: Northwind Traders", "Team lunch 🍜",
    "Планирование спринта", "Αναθεώρηση προϋπολογισμού", "プロジェクト定例", "اجتماع الفريق",
    "Data platform office hours", "Legal review: DPA", "Career conversation",
    "UX research readout", "[Ext] Partner sync (Tailspin)", "Ops review",
)
_PERSONAL = ("Dentist", "Gym 🏋️", "Pick up kids", "Parent-teacher meeting", "Car service",
             "Lunch with Sam", "Yoga", "Haircut")
_HOLIDAYS = ((1, 1, "New Year's Day"), (5, 1, "Labour Day"), (10, 3, "German Unity Day"),
             (12, 24, "Christmas Eve"), (12, 25, "Christmas Day"),
             (12, 26, "St. Stephen's Day"), (12, 31, "New Year's Eve"))
_RESPONSES = ("accepted",) * 5 + ("tentativelyAccepted", "declined", "none", "none")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _addr(given: str, surname: str) -> str:
    return f"{given}.{surname}".lower().translate(_ASCII) + f"@{DOMAIN}"


class _Builder:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(f"cal365-fake:{today.isoformat()}")
        self.store = Store(today)
        self.serial = 0

    # ---- primitives -----------------------------------------------------------------------

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(
            dt.UTC
        )

    def calendar(
        self, box: Mailbox, group: CalendarGroup | None, name: str, *, raw: bool = False,
        **kwargs: Any,
    ) -> Calendar:
        cal_id = ids.store_id(box.key, "calendar", name, raw_chars=raw)
        source = kwargs.get("source")
        # A shared calendar's owner is the person who shared it.
        owner = source.owner if isinstance(source, Calendar) else box.owner
        cal = Calendar(id=cal_id, name=name, owner=owner, mailbox=box,
                       change_key=ids.change_key(cal_id), **kwargs)
        box.calendars[cal_id] = cal
        if group is not None:
            group.calendar_ids.append(cal_id)
        return cal

    def calendar_group(self, box: Mailbox, name: str, class_id: str | None = None) -> CalendarGroup:
        gid = ids.store_id(box.key, "calendarGroup", name)
        group = CalendarGroup(gid, name, ids.change_key(gid),
                              class_id or ids.guid(box.key, name))
        box.calendar_groups.append(group)
        return group

    def join_url(self, key: str) -> str:
        token = ids.guid("teams", key).replace("-", "")[:24]
        return (
            f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{token}%40thread.v2/0"
            f"?context=%7b%22Tid%22%3a%22{TENANT_ID}%22%2c%22Oid%22%3a%22{ME_ID}%22%7d"
        )

    def event(
        self, cal: Calendar, subject: str, start: dt.datetime, end: dt.datetime,
        organizer: Person, *, attendees: list[Attendee] | None = None, online: bool = False,
        raw: bool = False, uid: str | None = None, **kwargs: Any,
    ) -> Event:
        self.serial += 1
        key = f"{cal.id}:{self.serial}"
        event_id = ids.store_id(cal.mailbox.key, "event", key, raw_chars=raw)
        created = self.store.now - dt.timedelta(days=self.rng.randint(2, 40),
                                                minutes=self.rng.randint(0, 600))
        modified = created + dt.timedelta(hours=self.rng.randint(0, 30))
        agenda = f"Agenda for “{subject}”:\n- Status and open questions\n- Decisions needed\n"
        if online:
            agenda += (
                "\n________________________________________________________________________________"
                "\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room device\n"
                f"Meeting ID: 3{self.serial:02d} 4{self.serial % 97:02d} 517 20{self.serial % 10}\n"
                "Passcode: fK7s9Q"
            )
        fields: dict[str, Any] = {
            "location": "Microsoft Teams Meeting" if online else "",
            "body_text": agenda,
            "created": created,
            "modified": modified,
        }
        fields.update(kwargs)
        the_uid = uid or ids.ical_uid(key)
        ev = Event(
            id=event_id, subject=subject, start=start, end=end, organizer=organizer,
            calendar=cal, attendees=attendees or [],
            join_url=self.join_url(key) if online else None,
            change_key=ids.change_key(event_id), ical_uid=the_uid, uid=the_uid,
            **fields,
        )
        return self.store.add_event(ev)

    def people(self, count: int, exclude: Person) -> list[Person]:
        pool = [p for p in self.colleagues if p.address != exclude.address]
        return self.rng.sample(pool, min(count, len(pool)))

    def attendees_for(self, people: list[Person]) -> list[Attendee]:
        out = []
        for person in people:
            response = self.rng.choice(_RESPONSES)
            when = None if response == "none" else self.store.now - dt.timedelta(
                hours=self.rng.randint(1, 200))
            out.append(Attendee(person, self.rng.choice(("required",) * 4 + ("optional",)),
                                response, when))
        return out

    # ---- tenant ---------------------------------------------------------------------------

    def directory(self) -> None:
        store = self.store
        self.me = store.add_user(User(ME_ID, "Avery Quinn", ME_UPN, ME_UPN, "Avery", "Quinn",
                                      "Director of Product Engineering", "Berlin HQ / B2",
                                      "+49 151 2345 6789", ["+49 30 901820 14"]))
        store.me_id = ME_ID
        self.jonas = store.add_user(User(JONAS_ID, "Jonas Berg", JONAS_UPN, JONAS_UPN, "Jonas",
                                         "Berg", "Staff Software Engineer", "Berlin HQ / B2",
                                         None, ["+49 30 901820 27"]))
        store.add_user(User(GUEST_ID, "Kim O'Brien-Søndergaard (Partner)", GUEST_UPN,
                            "kim@partner.example", "Kim", "O'Brien-Søndergaard", None, None,
                            None, [], None))
        self.colleagues: list[Person] = [self.jonas.person]
        for given, surname, title in _COLLEAGUES:
            mail = _addr(given, surname)
            user = store.add_user(User(ids.guid("user", mail), f"{given} {surname}", mail, mail,
                                       given, surname, title, "Berlin HQ"))
            self.colleagues.append(user.person)
        self.colleagues.append(Person("Kim O'Brien-Søndergaard (Partner)", "kim@partner.example"))
        self.by_name = {p.name: p for p in self.colleagues}
        self.hr = Person("Fabrikam HR", f"hr@{DOMAIN}")
        self.learning = Person("Fabrikam Learning", f"learning@{DOMAIN}")
        store.groups[GROUP_ID] = Group(GROUP_ID, "Project Falcon", GROUP_MAIL,
                                       "Falcon: the next-generation booking platform.",
                                       dt.datetime(2025, 3, 4, 9, 12, 40, tzinfo=dt.UTC))
        store.groups[SECURITY_GROUP_ID] = Group(
            SECURITY_GROUP_ID, "Berlin HQ badge access", "", "Door access for Berlin HQ.",
            dt.datetime(2024, 11, 18, 14, 2, 7, tzinfo=dt.UTC), group_types=[],
            security_enabled=True)
        store.directory_roles[ROLE_ID] = DirectoryRole(
            ROLE_ID, "Global Reader",
            "Can read everything that a Global Administrator can, but not update anything.",
            GLOBAL_READER_TEMPLATE)
        # Graph lists memberships in no promised order; the calendar-less ones come first
        # here so that a client must skip them to find the group.
        store.member_of[ME_ID] = [ROLE_ID, SECURITY_GROUP_ID, GROUP_ID]

    def mailboxes(self) -> None:
        store = self.store
        me = Mailbox(ME_ID, "user", self.me.person)
        jonas = Mailbox(JONAS_ID, "user", self.jonas.person, access="read")
        falcon = Mailbox(GROUP_ID, "group", store.groups[GROUP_ID].person)
        store.mailboxes.update({ME_ID: me, JONAS_ID: jonas, GROUP_ID: falcon})
        store.mailboxes[GUEST_ID] = Mailbox(GUEST_ID, "user", Person("", ""), access="nomailbox")

        mine = self.calendar_group(me, "My Calendars", DEFAULT_GROUP_CLASS)
        other = self.calendar_group(me, "Other calendars")
        shared = self.calendar_group(me, "People's calendars")
        self.default = self.calendar(me, mine, "Calendar", is_default=True, is_removable=False,
                                     is_tallying=True)
        self.offsite = self.calendar(me, mine, "Team Offsite", raw=True, color="lightGreen",
                                     hex_color="#87d28e")
        self.personal = self.calendar(me, mine, "Personal", color="lightPink",
                                      hex_color="#f89ba5")
        self.holidays = self.calendar(me, other, "Holidays in Germany", color="lightRed",
                                      hex_color="#ee6d6d", providers=(),
                                      default_provider="unknown")
        self.training = self.calendar(me, other, "Training", raw=True, color="lightOrange",
                                      hex_color="#f4b183")

        jonas_group = self.calendar_group(jonas, "My Calendars", DEFAULT_GROUP_CLASS)
        # Jonas shares his calendar read-only: from Avery's side nothing of his is writable.
        self.jonas_cal = self.calendar(jonas, jonas_group, "Calendar", is_default=True,
                                       is_removable=False, is_tallying=True, can_edit=False,
                                       can_share=False, can_view_private=False)
        self.calendar(me, shared, "Jonas Berg", color="lightTeal", hex_color="#6fc7c1",
                      can_edit=False, can_share=False, can_view_private=False,
                      source=self.jonas_cal)
        self.falcon_cal = self.calendar(falcon, None, "Calendar", is_default=True,
                                        is_removable=False, can_share=False)

    # ---- events ---------------------------------------------------------------------------

    def anchors(self) -> None:
        today, me, jonas = self.today, self.me.person, self.jonas.person
        team = self.people(5, me)
        self.organized(today, 10, 0, 60, ORGANIZED_TODAY, team, online=True)
        self.organized(today, 11, 30, 30, ORGANIZED_TODAY_RAW_ID, [jonas, *self.people(2, jonas)],
                       raw=True, location=_ROOMS[0])
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

    def organized(
        self, day: dt.date, hour: int, minute: int, minutes: int, subject: str,
        people: list[Person], *, online: bool = False, raw: bool = False,
        location: str | None = None, **kwargs: Any,
    ) -> Event:
        start = self.at(day, hour, minute)
        extra: dict[str, Any] = dict(kwargs)
        if location is not None:
            extra["location"] = location
        ev = self.event(self.default, subject, start, start + dt.timedelta(minutes=minutes),
                        self.me.person, attendees=self.attendees_for(people), online=online,
                        raw=raw, **extra)
        self.mirror(ev)
        return ev

    def attended(
        self, day: dt.date, hour: int, minute: int, minutes: int, subject: str,
        organizer: Person, response: str, people: list[Person], *, online: bool = False,
        **kwargs: Any,
    ) -> Event:
        start = self.at(day, hour, minute)
        attendees = self.attendees_for([p for p in people if not p.same(self.me.person)])
        status = "none" if response == "notResponded" else response
        attendees.insert(self.rng.randint(0, len(attendees)),
                         Attendee(self.me.person, "required", status,
                                  None if status == "none" else self.store.now))
        show_as = {"accepted": "busy", "declined": "free"}.get(response, "tentative")
        extra: dict[str, Any] = {"show_as": show_as, "response": response,
                                    "response_time": None if status == "none"
                                    else self.store.now - dt.timedelta(hours=3)}
        extra.update(kwargs)
        ev = self.event(self.default, subject, start, start + dt.timedelta(minutes=minutes),
                        organizer, attendees=attendees, online=online, **extra)
        self.mirror(ev)
        return ev

    def mirror(self, ev: Event) -> None:
        """Give Jonas his copy of meetings he organizes or attends (same uid as Avery's)."""
        jonas = self.jonas.person
        if ev.organizer.same(jonas):
            response, show_as = "organizer", "busy"
        else:
            mine = next((a for a in ev.attendees if a.person.same(jonas)), None)
            if mine is None:
                return
            response = "notResponded" if mine.response == "none" else mine.response
            show_as = {"accepted": "busy", "declined": "free"}.get(response, "tentative")
        copy = self.event(
            self.jonas_cal, ev.subject, ev.start, ev.end, ev.organizer,
            attendees=[Attendee(a.person, a.type, a.response, a.time) for a in ev.attendees],
            uid=ev.uid, location=ev.location, body_text=ev.body_text, response=response,
            show_as=show_as, is_cancelled=ev.is_cancelled, type=ev.type,
            recurrence=ev.recurrence, is_all_day=ev.is_all_day,
        )
        copy.join_url = ev.join_url

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
                location = None if online else rng.choice((*_ROOMS, "", ""))
                if rng.random() < 0.4:
                    self.organized(day, hour, minute, minutes, rng.choice(_ORGANIZED),
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
                    self.attended(day, hour, minute, minutes, rng.choice(_ATTENDED), organizer,
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
            recurrence=Recurrence("weekly", 1, (_DAY_NAMES[weekday],), "numbered", first, None,
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
            series_master_id=weekly.id, original_start=slot, location=_ROOMS[1],
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
            recurrence=Recurrence("weekly", 1, _DAY_NAMES[:5], "endDate", first,
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

    def all_day(self, cal: Calendar, subject: str, day: dt.date, days: int,
                organizer: Person, **kwargs: Any) -> Event:
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        return self.event(cal, subject, start, start + dt.timedelta(days=days), organizer,
                          is_all_day=True, reminder_minutes=1080, **kwargs)

    def other_calendars(self) -> None:
        today, me, rng = self.today, self.me.person, self.rng
        self.all_day(self.default, "Fabrikam Partner Summit 2026", today + dt.timedelta(days=8),
                     2, me, location="Hamburg Messe, Hall B6", categories=["Travel"])
        founders = today + dt.timedelta(days=12)
        self.all_day(self.default, "Company holiday: Fabrikam Founders' Day 🎉", founders, 1,
                     self.hr, show_as="oof", response="accepted", response_requested=False,
                     attendees=[Attendee(me, "required", "accepted", self.store.now)])
        for year in (today.year - 1, today.year, today.year + 1):
            for month, mday, name in _HOLIDAYS:
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
        for i, subject in enumerate(_PERSONAL):
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


def build(today: dt.date) -> Store:
    """The demo tenant for `today`."""
    builder = _Builder(today)
    builder.directory()
    builder.mailboxes()
    builder.anchors()
    builder.series()
    builder.business_weeks()
    builder.other_calendars()
    builder.jonas_own()
    builder.falcon()
    return builder.store
