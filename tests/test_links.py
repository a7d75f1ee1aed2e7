"""The one check of a server-supplied webLink before `o` opens or `y` copies it."""

from __future__ import annotations

import pytest

from tui.config import CLOUDS
from tui.desktop import open_in_browser
from tui.links import OUTLOOK_HOSTS, web_link_problem

GLOBAL = "https://graph.microsoft.com/v1.0"
USGOV = "https://graph.microsoft.us/v1.0"
DOD = "https://dod-graph.microsoft.us/v1.0"
CHINA = "https://microsoftgraph.chinacloudapi.cn/v1.0"
DEMO = "http://127.0.0.1:43117/v1.0"
ITEM = "/owa/?itemid=AAMkAGI2TG93AAA%3D&exvsurl=1&path=/calendar/item"


@pytest.mark.parametrize(("link", "root"), [
    (f"https://outlook.office365.com{ITEM}", GLOBAL),
    (f"https://outlook.office.com{ITEM}", GLOBAL),
    (f"https://outlook.live.com{ITEM}", GLOBAL),
    ("https://outlook.office365.com/calendar/item/AAMkAGI2TG93AAA%3D", GLOBAL),
    (f"https://OUTLOOK.Office365.com:443{ITEM}", GLOBAL),
    (f"https://outlook.office365.us{ITEM}", USGOV),
    (f"https://outlook-dod.office365.us{ITEM}", DOD),
    (f"https://partner.outlook.cn{ITEM}", CHINA),
    (f"https://outlook.office365.com{ITEM}", DEMO),  # the demo's fake sends Outlook's form
    (f"http://127.0.0.1:43117{ITEM}", DEMO),
    (f"https://localhost:8443{ITEM}", DEMO),
    (f"https://outlook.office365.com{ITEM}", "https://graph-proxy.contoso.example/v1.0"),
])
def test_outlook_links_of_the_cloud_pass(link: str, root: str) -> None:
    assert web_link_problem(link, root) is None


HOSTILE = [
    ("file:///etc/passwd", "file link"),
    ("FILE:///etc/passwd", "file link"),
    ("javascript:alert(document.cookie)", "javascript link"),
    ("JaVaScRiPt:alert(1)", "javascript link"),
    ("data:text/html;base64,PHNjcmlwdD4=", "data link"),
    ("vbscript:msgbox", "vbscript link"),
    ("ms-settings:privacy", "ms-settings link"),
    ("--new-window=file:///etc/passwd", "starts with '-'"),
    ("-https://outlook.office.com/", "starts with '-'"),
    ("//evil.example/owa", "relative link"),
    ("outlook.office.com/owa", "relative link"),
    ("https://outlook.office.com@evil.example/owa", "user name"),
    ("https://user:pw@outlook.office.com/owa", "user name"),
    ("https://outlook.office.com\\@evil.example/", "backslash"),
    ("https://outlook.office.com:8443/owa", "port 8443"),
    ("https://outlook.office.com:0/owa", "port 0"),
    ("https://outlook.office.com:99999/owa", "not a well-formed link"),
    ("https://outlook.office.com:x/owa", "not a well-formed link"),
    ("http://outlook.office.com/owa", "not an https link"),
    ("https://evil.example/?u=https://outlook.office.com", "host evil.example"),
    ("https://outlook.office.com.evil.example/owa", "host outlook.office.com.evil.example"),
    ("https://evil-outlook.office.com.example/", "is not Outlook"),
    ("https://outlook.office.com./owa", "host outlook.office.com."),
    ("https://xn--outlok-7ve.office.com/owa", "is not Outlook"),  # punycode lookalike
    ("https://outl\u043eok.office.com/owa", "non-ASCII"),  # Cyrillic o
    ("https://outlook.office.com\uff0fowa", "non-ASCII"),  # fullwidth solidus
    ("https://outlook%2eoffice.com/owa", "no plain host"),
    ("https://127.0.0.1:8080/admin", "host 127.0.0.1"),  # a real Graph pointing home
    ("http://localhost/", "not an https link"),
    ("https://[::1]/", "host ::1"),
    (" https://outlook.office.com/owa", "spaces"),
    ("https://outlook.office.com/owa\n", "spaces, control"),
    ("https://outlook.office.com/o\x1b]52;c;eA==\x07", "control"),
    ("https://outlook.office.com/\u202egnp.exe", "non-ASCII"),
    ("https://outlook.office.com/\x00", "control"),
    ("https://outlook.office.com/" + "a" * 3000, "characters long"),
    ("https:///outlook.office.com/owa", "no plain host"),
    ("https:outlook.office.com/owa", "no plain host"),
    ("", "no link"),
]


@pytest.mark.parametrize(("link", "why"), HOSTILE, ids=[repr(link[:60]) for link, _ in HOSTILE])
def test_hostile_links_are_refused_with_a_reason(link: str, why: str) -> None:
    problem = web_link_problem(link, GLOBAL)
    assert problem is not None and why in problem


@pytest.mark.parametrize("link", [f"https://outlook.office365.com{ITEM}",
                                  f"https://outlook.live.com{ITEM}"])
def test_a_link_of_another_cloud_is_refused(link: str) -> None:
    for root in (USGOV, DOD, CHINA):
        problem = web_link_problem(link, root)
        assert problem is not None and "not Outlook on the web for this cloud" in problem


def test_loopback_links_only_with_a_loopback_graph() -> None:
    assert web_link_problem("http://127.0.0.1:9/x", DEMO) is None
    assert web_link_problem("http://127.0.0.1:9/x", GLOBAL) is not None
    assert web_link_problem("http://localhost.evil.example/x", DEMO) is not None


def test_every_cloud_has_its_outlook_hosts() -> None:
    assert set(OUTLOOK_HOSTS) == set(CLOUDS)


@pytest.mark.parametrize("link", ["--kiosk", "file:///etc/passwd", "javascript:x", "-"])
def test_the_browser_is_never_handed_anything_but_an_http_link(link: str) -> None:
    with pytest.raises(ValueError):
        open_in_browser(link)
