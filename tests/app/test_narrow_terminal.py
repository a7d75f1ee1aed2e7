"""At 80 columns (a common SSH terminal): cut cells end in "…", wide characters keep the
columns aligned, and the events pane's title keeps the window's dates."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len

from tests.app.helpers import loaded, make_app, wait_for
from tui.fake import FakeGraph
from tui.graph import Event
from tui.widgets.event_table import EventTable
from tui.widgets.format import fit_cell, fit_title, printable, shorten
from tui.window import Window

# -- the helpers, alone ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Daily stand-up", 14, "Daily stand-up"),  # exactly fits: no mark
        ("Daily stand-up", 16, "Daily stand-up  "),
        ("Daily stand-up", 10, "Daily sta…"),
        ("Backlog grooming", 9, "Backlog… "),  # the space before the cut goes, the width stays
        ("週次レビュー", 12, "週次レビュー"),
        ("週次レビュー", 8, "週次レ… "),  # a wide character never straddles the cut
        ("週次レビュー", 7, "週次レ…"),
        ("🚀 Launch readiness", 6, "🚀 La…"),
        ("anything", 1, "…"),
        ("anything", 0, ""),
    ],
)
def test_fit_cell_pads_or_cuts_with_an_ellipsis(text: str, width: int, expected: str) -> None:
    fitted = fit_cell(text, width)
    assert fitted == expected
    assert cell_len(fitted) == max(width, 0)


def test_shorten_marks_a_cut_and_leaves_short_text_alone() -> None:
    assert shorten("Calendar", 20) == "Calendar"
    assert shorten("Holidays in Germany", 8) == "Holiday…"
    assert shorten("週次レビュー", 5) == "週次…"


FORMS = ("Agenda · Wed 25 Nov – Tue 08 Dec 2026", "Wed 25 Nov – Tue 08 Dec 2026",
         "25 Nov – 08 Dec 2026")


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (60, "Holidays in Germany · Agenda · Wed 25 Nov – Tue 08 Dec 2026"),
        (48, "Holiday… · Agenda · Wed 25 Nov – Tue 08 Dec 2026"),  # the name gives way first
        (52, "Holidays in… · Agenda · Wed 25 Nov – Tue 08 Dec 2026"),
        (45, "Holidays in G… · Wed 25 Nov – Tue 08 Dec 2026"),  # then the view's name
        (32, "Holidays… · 25 Nov – 08 Dec 2026"),  # then the weekdays
        (30, "Wed 25 Nov – Tue 08 Dec 2026"),  # then the name
        (21, "25 Nov – 08 Dec 2026"),
        (10, "25 Nov –…"),  # nothing fits: at least the start shows
    ],
)
def test_a_title_keeps_the_dates_and_shortens_the_name_first(width: int, expected: str) -> None:
    title = fit_title("Holidays in Germany", FORMS, width)
    assert title == expected
    assert cell_len(title) <= width


def test_window_label_forms_shorten_without_losing_dates() -> None:
    agenda = Window("agenda", dt.date(2026, 11, 25), agenda_days=14)
    assert agenda.label_forms() == FORMS
    assert agenda.label() == FORMS[0]
    month = Window("month", dt.date(2026, 12, 9))
    assert month.label_forms() == ("Month · December 2026", "December 2026", "Dec 2026")
    day = Window("day", dt.date(2026, 12, 9))
    assert day.label_forms() == ("Day · Wed 09 Dec 2026", "Wed 09 Dec 2026", "09 Dec 2026")


# -- in the app, at 80×24 -------------------------------------------------------------------


def _visible_row(table: EventTable, row: int) -> str:
    """What the terminal shows of a row: the line without the scrollbar's column."""
    y = row - round(table.scroll_offset.y) + 1
    inner = table.scrollable_content_region.width
    return "".join(segment.text for segment in table.render_line(y).crop(0, inner))


def _cells(line: str, start: int, width: int) -> str:
    """The text of `width` cells from cell `start` of `line`."""
    from rich.segment import Segment

    _, rest = Segment(line).split_cells(start)
    piece, _ = rest.split_cells(width)
    return piece.text


async def test_cut_cells_end_in_an_ellipsis_and_columns_stay_aligned_at_80_columns(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(80, 24)) as pilot:
        app = await loaded(pilot)
        table = app.main.table
        await pilot.pause()
        inner = table.scrollable_content_region.width
        assert table.show_vertical_scrollbar  # the column under it must not hide text
        # The columns where the header shows them; the organizer's runs to the scrollbar.
        header = "".join(segment.text for segment in table.render_line(0).crop(0, inner))
        subject_at, organizer_at = header.index("Subject"), header.index("Organ")  # it may be cut
        assert subject_at == 1 + 11 + 12 + 4
        subject_w, organizer_w = organizer_at - subject_at - 1, inner - organizer_at

        def wide(event: Event) -> bool:
            return cell_len(event.subject) != len(event.subject)

        # Every event with wide characters, and the first ones, whose names are cut.
        chosen = [e for e in table.all_events if wide(e)] + table.all_events[:5]
        cut_subjects = cut_organizers = wide_rows = 0
        for event in chosen:
            table.select_id(event.id)
            await pilot.pause()
            line = _visible_row(table, table.cursor)
            assert cell_len(line) == inner
            subject = printable(event.subject)
            organizer = printable(event.organizer.label)
            assert _cells(line, subject_at, subject_w) == fit_cell(subject, subject_w)
            # The organizer's column ends where the scrollbar starts: a cut shows there.
            assert _cells(line, organizer_at, organizer_w) == fit_cell(organizer, organizer_w)
            cut_subjects += cell_len(subject) > subject_w
            cut_organizers += cell_len(organizer) > organizer_w
            wide_rows += wide(event)
        assert cut_subjects and cut_organizers and wide_rows  # the cases above were met


async def test_the_events_title_keeps_the_window_dates_in_a_narrow_pane(
    fake_graph: FakeGraph,
) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        main = app.main
        main.open_calendar(main.calendar, "Holidays in Germany (public, all states)")
        await loaded(pilot)
        pane = main.query_one("#events-pane")
        wide_title = str(pane.border_title)
        assert wide_title == f"Holidays in Germany (public, all states) · {main.window.label()}"

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        title = str(pane.border_title)
        end = main.window.last.strftime("%d %b %Y")
        assert title.endswith(end)
        assert main.window.first.strftime("%d %b") in title
        assert title.startswith("Holiday") and "…" in title
        assert cell_len(title) <= pane.outer_size.width - 6  # what Textual's frame leaves

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert str(pane.border_title) == wide_title


@pytest.mark.parametrize("inner", [40, 45, 52, 71, 96, 200])
def test_the_columns_fill_the_row_and_a_narrow_one_drops_the_organizer(inner: int) -> None:
    widths = EventTable()._widths(inner)
    # The lead cell, each column and the gap after it; the last gap may fall off the edge.
    assert 1 + sum(w + 1 for w in widths) == inner + 1
    day, time, marks, subject, organizer = widths
    assert (day, time, marks) == (10, 11, 3)
    assert subject >= 8
    assert organizer == 0 if inner < 45 else 8 <= organizer <= 24


WHO = "Avery Quinn <avery.quinn@fabrikam.onmicrosoft.com>"


@pytest.mark.parametrize(
    ("width", "fresh", "expected"),
    [
        (0, "as of 08:12", f"cal365 · {WHO} · as of 08:12"),  # not laid out yet
        (80, "as of 08:12", f"cal365 · {WHO} · as of 08:12"),
        (46, "offline — as of 17:40", "cal365 · Avery Quinn… · offline — as of 17:40"),
        (40, "offline — as of 17:40", "cal365 · offline — as of 17:40"),  # the name goes
        (20, "offline — as of 17:40", "offline — as of 17:…"),
        (30, "", "cal365 · Avery Quinn <avery.q…"),
    ],
)
def test_the_title_bar_keeps_the_freshness_and_shortens_the_name(
    width: int, fresh: str, expected: str
) -> None:
    from tui.widgets.format import fit_bar

    assert fit_bar(WHO, fresh, width) == expected


async def test_the_title_bar_is_refitted_when_the_terminal_narrows(fake_graph: FakeGraph) -> None:
    async with make_app(fake_graph).run_test(size=(120, 40)) as pilot:
        app = await loaded(pilot)
        bar = app.main.query_one("#title-bar")
        await wait_for(pilot, lambda: "Avery Quinn" in str(bar.render()))
        await pilot.resize_terminal(40, 20)
        await pilot.pause()
        await pilot.pause()
        text = str(bar.render())
        assert text.startswith("cal365 · Avery Quinn") and text.endswith("…")
        assert cell_len(text) == bar.size.width
