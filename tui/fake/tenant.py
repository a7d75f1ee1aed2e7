"""The demo tenant "Fabrikam": its fixed ids and names, the subjects tests look for, and
the pools of colleagues, rooms and subjects the seed draws its meetings from."""

from __future__ import annotations

from zoneinfo import ZoneInfo

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
# Invitations in every response state, for triage; in the third week (past the first screen,
# whose pictures and counts tests pin).
TRIAGE_INVITES = {
    "notResponded": "Vendor shortlist: pick two",
    "none": "Warehouse migration kickoff",
    "accepted": "Platform roadmap review",
    "tentativelyAccepted": "Hackathon judging",
    "declined": "Offsite venue walkthrough",
}
FIXED_TIME_INVITE = "Board prep (time fixed)"  # allowNewTimeProposals false
NO_RESPONSE_INVITE = "All-hands: year in review"  # responseRequested false
APPOINTMENT = "Focus block: write the Q1 plan"  # no attendees

BERLIN = ZoneInfo("Europe/Berlin")
WIN_BERLIN = "W. Europe Standard Time"

COLLEAGUES = (
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

ROOMS = (
    "Conference Room Fjord (B2.14)",
    "Spree 3.01 – Berlin HQ",
    "Huddle Room Kiefer",
    "Auditorium",
    "Café Lounge, 1st floor",
    "Meeting Room Mühle (B1.07)",
)
ORGANIZED = (
    "Roadmap check-in", "Hiring loop debrief", "Design review: calendar sync",
    "Sprint planning", "Pricing workshop", "Vendor evaluation", "Release go/no-go",
    "Обзор квартального плана", "Συνάντηση ομάδας σχεδιασμού", "週次レビュー",
    "مراجعة المشروع الأسبوعية", "🚀 Launch readiness", "Coffee chat ☕", "Q1 OKR draft 📈",
    "Customer escalation: Contoso", "Budget follow-up <draft>", "Interview: Staff Engineer",
    "Backlog grooming", "Stakeholder update", "Metrics deep-dive",
)
ATTENDED = (
    "Product demo", "Architecture council", "Quarterly business review",
    "Brown bag: Rust at Fabrikam", "Incident postmortem", "Finance sync", "Marketing plan review",
    "Security review", "Customer call: Northwind Traders", "Team lunch 🍜",
    "Планирование спринта", "Αναθεώρηση προϋπολογισμού", "プロジェクト定例", "اجتماع الفريق",
    "Data platform office hours", "Legal review: DPA", "Career conversation",
    "UX research readout", "[Ext] Partner sync (Tailspin)", "Ops review",
)
PERSONAL = ("Dentist", "Gym 🏋️", "Pick up kids", "Parent-teacher meeting", "Car service",
             "Lunch with Sam", "Yoga", "Haircut")
HOLIDAYS = ((1, 1, "New Year's Day"), (5, 1, "Labour Day"), (10, 3, "German Unity Day"),
             (12, 24, "Christmas Eve"), (12, 25, "Christmas Day"),
             (12, 26, "St. Stephen's Day"), (12, 31, "New Year's Eve"))
RESPONSES = ("accepted",) * 5 + ("tentativelyAccepted", "declined", "none", "none")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def address_of(given: str, surname: str) -> str:
    return f"{given}.{surname}".lower().translate(_ASCII) + f"@{DOMAIN}"

