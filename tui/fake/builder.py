"""The seeding machinery: one seeded random source and the primitives that put a tenant's
people, mailboxes, calendars and events into a fake store, deterministically for a `today`.

Wall times are Berlin business hours stored as UTC. What the demo tenant's calendars hold is
tui/fake/seed.py's job."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from . import heavy, ids
from .model import (
    Attendee,
    Calendar,
    CalendarGroup,
    DirectoryRole,
    Event,
    Group,
    Mailbox,
    Person,
    User,
)
from .store import Store
from .tenant import (
    BERLIN,
    COLLEAGUES,
    DEFAULT_GROUP_CLASS,
    DOMAIN,
    GLOBAL_READER_TEMPLATE,
    GROUP_ID,
    GROUP_MAIL,
    GUEST_ID,
    GUEST_UPN,
    JONAS_ID,
    JONAS_UPN,
    ME_ID,
    ME_UPN,
    RESPONSES,
    ROLE_ID,
    SECURITY_GROUP_ID,
    TENANT_ID,
    address_of,
)


class Builder:
    def __init__(self, today: dt.date, data: str = heavy.DEMO) -> None:
        if data not in heavy.DATA_SETS:
            raise ValueError(f"no data set {data!r}; there are {', '.join(heavy.DATA_SETS)}")
        self.today = today
        self.heavy = data == heavy.ATTENDEE_HEAVY
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
        teams = ""
        if online:
            teams = (
                "\n________________________________________________________________________________"
                "\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room device\n"
                f"Meeting ID: 3{self.serial:02d} 4{self.serial % 97:02d} 517 20{self.serial % 10}\n"
                "Passcode: fK7s9Q"
            )
        # The attendee-heavy set's bodies are long, as real ones are; the demo's stay short.
        text = heavy.body(self.rng, agenda, teams) if self.heavy else agenda + teams
        fields: dict[str, Any] = {
            "location": "Microsoft Teams Meeting" if online else "",
            "body_text": text,
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
        if self.heavy:  # a big company's meetings: 10 to 40 people, whatever `count` says
            return heavy.crowd(self.rng, self.crowd_pool, exclude)
        pool = [p for p in self.colleagues if p.address != exclude.address]
        return self.rng.sample(pool, min(count, len(pool)))

    def attendees_for(self, people: list[Person]) -> list[Attendee]:
        out = []
        for person in people:
            response = self.rng.choice(RESPONSES)
            when = None if response == "none" else self.store.now - dt.timedelta(
                hours=self.rng.randint(1, 200))
            out.append(Attendee(person, self.rng.choice(("required",) * 4 + ("optional",)),
                                response, when))
        return out

    # ---- the tenant's people and mailboxes ------------------------------------------------

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
        for given, surname, title in COLLEAGUES:
            mail = address_of(given, surname)
            user = store.add_user(User(ids.guid("user", mail), f"{given} {surname}", mail, mail,
                                       given, surname, title, "Berlin HQ"))
            self.colleagues.append(user.person)
        self.colleagues.append(Person("Kim O'Brien-Søndergaard (Partner)", "kim@partner.example"))
        self.crowd_pool = list(self.colleagues)
        if self.heavy:
            for person in heavy.staff(DOMAIN):
                if person.address.endswith(f"@{DOMAIN}"):  # partners are not in the directory
                    given, _, surname = person.name.partition(" ")
                    store.add_user(User(ids.guid("user", person.address), person.name,
                                        person.address, person.address, given, surname,
                                        None, "Berlin HQ"))
                self.crowd_pool.append(person)
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


    def all_day(self, cal: Calendar, subject: str, day: dt.date, days: int,
                organizer: Person, **kwargs: Any) -> Event:
        start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        return self.event(cal, subject, start, start + dt.timedelta(days=days), organizer,
                          is_all_day=True, reminder_minutes=1080, **kwargs)

