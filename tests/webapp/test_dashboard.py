"""The coordinator's dashboard: exact figures on a constructed data set, its tables, charts and CSV, and who sees it."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from sqlmodel import select

from tests.support.coordinators import LAPLAND, NORTH
from tests.support.outcomes import add_interest, add_opening, add_step, add_user, parse_svg, refer, svg_texts, utc
from tests.support.signin import signed_in
from webapp import charts, db
from webapp.services import dashboard, outcomes
from webapp.models import User, YouthProfile
from webapp.states import InterestState, NextStepKind, ReferralState, Role

EDU, WORK, TRIAL, REHAB, NONE = (NextStepKind.EDUCATION, NextStepKind.WORK, NextStepKind.WORK_TRIAL,
                                 NextStepKind.REHABILITATIVE, NextStepKind.NONE_YET)
Q = {"start": "2026-01", "end": "2026-06", "by": "quarter"}


def zero_onward(**counts):
    return {"education": 0, "work": 0, "work_trial": 0, "rehabilitative": 0, **counts}


@pytest.fixture
def data(app):
    """Youths of the northern region (and some that must not count), with their activities and next steps.

    y1 Oulu: volunteer Jan 10 - completed Feb 20; education Mar 5 (tied to it).
    y2 Oulu: work trial from Feb 1, still going; work Apr 15 (not tied).
    y3 Kempele: volunteer Apr 2 - dropped May 1; none yet May 2.
    y4 Oulu: never placed; work Feb 1 (not the programme's outcome).
    y5 Oulu: work trial accepted Mar 31 22:30 UTC (Apr 1 in Helsinki) - completed Jun 10;
       rehabilitative Jun 11 (not tied), then education Jun 20 (tied): the latest counts.
    Not counted: y6 (referral pending), y8 (referral ended), y7 (Lapland's youth);
    a declined interest of y1 (never accepted).
    """
    north = add_user(app, "north@example.fi", Role.COORDINATOR, region=NORTH)
    lapland = add_user(app, "lapland@example.fi", Role.COORDINATOR, region=LAPLAND)
    add_user(app, "nowhere@example.fi", Role.COORDINATOR)  # no region yet
    volunteer = add_opening(app, "Kirjaston apulainen", "volunteer")
    trial = add_opening(app, "Kahvilan työkokeilu", "work_trial")
    y = {}
    for n, municipality in [(1, "Oulu"), (2, "Oulu"), (3, "Kempele"), (4, "Oulu"), (5, "Oulu"), (6, "Oulu"),
                            (7, "Rovaniemi"), (8, "Oulu")]:
        y[n] = add_user(app, f"y{n}@example.fi", Role.YOUTH, municipality=municipality)
    for n in (1, 2, 3, 4, 5):
        refer(app, y[n], north, NORTH)
    refer(app, y[6], north, NORTH, ReferralState.PENDING)
    refer(app, y[8], north, NORTH, ReferralState.ENDED)
    refer(app, y[7], lapland, LAPLAND)

    i1 = add_interest(app, y[1], volunteer, InterestState.COMPLETED, utc(2026, 1, 10), utc(2026, 2, 20))
    add_interest(app, y[1], trial, InterestState.DECLINED)
    add_step(app, y[1], EDU, utc(2026, 3, 5), i1)
    add_interest(app, y[2], trial, accepted=utc(2026, 2, 1))
    add_step(app, y[2], WORK, utc(2026, 4, 15))
    add_interest(app, y[3], volunteer, InterestState.DROPPED, utc(2026, 4, 2), utc(2026, 5, 1, 9))
    add_step(app, y[3], NONE, utc(2026, 5, 2))
    add_step(app, y[4], WORK, utc(2026, 2, 1))
    i5 = add_interest(app, y[5], trial, InterestState.COMPLETED, utc(2026, 3, 31, 22, 30), utc(2026, 6, 10))
    add_step(app, y[5], REHAB, utc(2026, 6, 11))
    add_step(app, y[5], EDU, utc(2026, 6, 20), i5)
    add_interest(app, y[6], volunteer, accepted=utc(2026, 1, 5))
    add_step(app, y[6], WORK, utc(2026, 2, 1))
    add_interest(app, y[8], volunteer, accepted=utc(2026, 1, 5))
    add_interest(app, y[7], volunteer, InterestState.COMPLETED, utc(2026, 1, 5), utc(2026, 1, 25))
    add_step(app, y[7], WORK, utc(2026, 2, 1))
    return {"north": north, "lapland": lapland, **{f"y{n}": i for n, i in y.items()}}


def report(app, email, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 1), by="quarter", dimension="all",
           total=False):
    with app.app_context():
        session = db.get_session()
        found = dashboard.facts(session, session.exec(select(User).where(User.email == email)).one())
        parts = dashboard.periods(start, end, by)
        rows = (dashboard.totals if total else dashboard.figures)(found, parts, dimension)
        return [(r.group, r.period.key, r.participants, r.placements, r.completions, r.onward) for r in rows]


# ---------------------------------------------------------------- the figures, exactly

def test_periods_are_months_or_quarters():
    quarters = dashboard.periods(dt.date(2026, 2, 1), dt.date(2026, 7, 1), "quarter")
    assert [(p.key, p.start, p.end) for p in quarters] == [
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)), ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 7, 1)),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 10, 1))]
    months = dashboard.periods(dt.date(2025, 11, 1), dt.date(2026, 1, 1), "month")
    assert [p.key for p in months] == ["2025-11", "2025-12", "2026-01"] and months[-1].end == dt.date(2026, 2, 1)


def test_figures_by_quarter(app, data):
    assert report(app, "north@example.fi") == [
        (None, "2026-Q1", 2, 2, 1, zero_onward(education=1)),
        (None, "2026-Q2", 3, 2, 1, zero_onward(education=1, work=1)),
    ]


def test_figures_by_month_in_helsinki_time(app, data):
    assert report(app, "north@example.fi", by="month") == [
        (None, "2026-01", 1, 1, 0, zero_onward()),
        (None, "2026-02", 2, 1, 1, zero_onward()),
        (None, "2026-03", 1, 0, 0, zero_onward(education=1)),
        (None, "2026-04", 3, 2, 0, zero_onward(work=1)),  # y5 was accepted on 1 April in Helsinki
        (None, "2026-05", 3, 0, 0, zero_onward()),
        (None, "2026-06", 2, 0, 1, zero_onward(education=1)),
    ]


def test_figures_by_municipality(app, data):
    assert report(app, "north@example.fi", dimension="municipality") == [
        ("Kempele", "2026-Q1", 0, 0, 0, zero_onward()),
        ("Kempele", "2026-Q2", 1, 1, 0, zero_onward()),
        ("Oulu", "2026-Q1", 2, 2, 1, zero_onward(education=1)),
        ("Oulu", "2026-Q2", 2, 1, 1, zero_onward(education=1, work=1)),
    ]
    assert report(app, "north@example.fi", dimension="municipality", total=True) == [
        ("Kempele", "2026-Q1/2026-Q2", 1, 1, 0, zero_onward()),
        ("Oulu", "2026-Q1/2026-Q2", 3, 3, 2, zero_onward(education=2, work=1)),
    ]


def test_figures_by_kind(app, data):
    """A next step counts under the kind of the activity it is tied to; untied ones under no kind."""
    assert report(app, "north@example.fi", dimension="kind", total=True) == [
        ("volunteer", "2026-Q1/2026-Q2", 2, 2, 1, zero_onward(education=1)),
        ("work_trial", "2026-Q1/2026-Q2", 2, 2, 1, zero_onward(education=1)),
        (None, "2026-Q1/2026-Q2", 0, 0, 0, zero_onward(work=1, rehabilitative=1)),
    ]


def test_the_summary_counts_each_participant_once_by_the_latest_step(app, data):
    with app.app_context():
        session = db.get_session()
        found = dashboard.facts(session, session.get(User, data["north"]))
        summary = dashboard.summary(found, dashboard.periods(dt.date(2026, 1, 1), dt.date(2026, 6, 1), "quarter"))
        assert (summary.participants, summary.onward) == (4, zero_onward(education=2, work=1))
        q1 = dashboard.summary(found, dashboard.periods(dt.date(2026, 1, 1), dt.date(2026, 3, 1), "quarter"))
        assert (q1.participants, q1.onward) == (2, zero_onward(education=1))


def test_another_regions_coordinator_counts_none_of_these_youths(app, data):
    assert report(app, "lapland@example.fi", total=True) == [(None, "2026-Q1/2026-Q2", 1, 1, 1,
                                                              zero_onward(work=1))]
    assert report(app, "lapland@example.fi", dimension="municipality", total=True) == [
        ("Rovaniemi", "2026-Q1/2026-Q2", 1, 1, 1, zero_onward(work=1))]
    assert report(app, "nowhere@example.fi", total=True) == [(None, "2026-Q1/2026-Q2", 0, 0, 0, zero_onward())]
    assert report(app, "nowhere@example.fi", dimension="municipality") == []
    html = signed_in(app, "lapland@example.fi").get("/coordinator/dashboard", query_string=Q).text
    assert [label for label, _counts in table_rows(html, "municipality-table")] == ["Rovaniemi"]
    assert "Oulu" not in html and "Kempele" not in html
    body = signed_in(app, "lapland@example.fi").get("/coordinator/dashboard.csv", query_string=Q).text
    assert "Oulu" not in body and "Kempele" not in body and "Rovaniemi" in body


def test_small_counts_are_shown_as_less_than_five():
    assert [dashboard.shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "<5", "<5", "5", "12"]
    assert [dashboard.chart_value(n) for n in (0, 3, 5)] == [0, None, 5]


# ---------------------------------------------------------------- the page: tables match the figures

def table_rows(html, table_id):
    table = re.search(rf'<table class="openings-table figures-table" id="{table_id}">.*?</table>', html, re.S).group(0)
    cell = re.compile(r'<td data-count="(\w+)">(.*?)</td>')
    return [(unescape(m.group(1)), {k: unescape(v) for k, v in cell.findall(m.group(2))})
            for m in re.finditer(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table)]


def test_the_dashboards_tables_match_the_figures(app, data):
    north = signed_in(app, "north@example.fi")
    response = north.get("/coordinator/dashboard", query_string=Q)
    assert response.status_code == 200
    html = response.text
    over_time = table_rows(html, "over-time-table")
    assert [label for label, _counts in over_time] == ["Q1 2026", "Q2 2026"]
    assert over_time[0][1] == {"participants": "<5", "placements": "<5", "completions": "<5",
                               "moved_on_education": "<5", "moved_on_work": "0", "moved_on_work_trial": "0",
                               "moved_on_rehabilitative": "0", "moved_on": "<5"}
    with app.app_context():
        session = db.get_session()
        found = dashboard.facts(session, session.get(User, data["north"]))
        parts = dashboard.periods(dt.date(2026, 1, 1), dt.date(2026, 6, 1), "quarter")
        for table_id, rows in [("over-time-table", dashboard.figures(found, parts)),
                               ("municipality-table", dashboard.totals(found, parts, "municipality")),
                               ("kind-table", dashboard.totals(found, parts, "kind"))]:
            shown = [{k: dashboard.shown(v) for k, v in r.counts().items()} for r in rows]
            assert [counts for _label, counts in table_rows(html, table_id)] == shown
    assert [label for label, _c in table_rows(html, "municipality-table")] == ["Kempele", "Oulu"]
    assert [label for label, _c in table_rows(html, "kind-table")] == ["Volunteering", "A work trial", "No kind given"]
    assert ("Of &lt;5 young people who took part, &lt;5 moved on to education or training, &lt;5 to work, 0 to a "
            "work trial and 0 to rehabilitative") in html
    for name in ("over-time", "municipality", "kind"):
        assert f'src="/coordinator/dashboard/{name}.svg?start=2026-01&amp;end=2026-06&amp;by=quarter"' in html
    assert "Rovaniemi" not in html


def test_the_charts_are_svg_with_a_title_and_no_small_counts(app, data):
    north = signed_in(app, "north@example.fi")
    titles = {"over-time": "Young people and activities by period", "municipality": "By municipality",
              "kind": "By kind of activity"}
    for name, title in titles.items():
        root = parse_svg(north.get(f"/coordinator/dashboard/{name}.svg", query_string=Q))
        texts = svg_texts(root)
        assert root.find("{http://www.w3.org/2000/svg}title").text == title and title in texts
        assert "<5" in texts
        assert not set(texts) & {"1", "2", "3", "4"}  # every small count is drawn as "<5"
    texts = svg_texts(parse_svg(north.get("/coordinator/dashboard/municipality.svg", query_string=Q)))
    assert "Kempele" in texts and "Oulu" in texts and "Rovaniemi" not in texts


def test_large_counts_are_shown_exactly(app, data):
    volunteer = add_opening(app, "Iso talkoot", "talkoot")
    for n in range(6):
        youth = add_user(app, f"big{n}@example.fi", Role.YOUTH, municipality="Liminka")
        refer(app, youth, data["north"], NORTH)
        add_interest(app, youth, volunteer, accepted=utc(2026, 5, 5))
    north = signed_in(app, "north@example.fi")
    html = north.get("/coordinator/dashboard", query_string=Q).text
    [(label, counts)] = [row for row in table_rows(html, "municipality-table") if row[0] == "Liminka"]
    assert (counts["participants"], counts["placements"], counts["completions"]) == ("6", "6", "0")
    texts = svg_texts(parse_svg(north.get("/coordinator/dashboard/municipality.svg", query_string=Q)))
    assert "6" in texts
    body = north.get("/coordinator/dashboard.csv", query_string=Q).data.decode("utf-8-sig")
    assert "Municipality;Liminka;2026-Q2;6;6;0;0;0;0;0;0" in body.splitlines()


# ---------------------------------------------------------------- CSV

def test_the_csv_has_one_row_per_group_and_period(app, data):
    north = signed_in(app, "north@example.fi")
    response = north.get("/coordinator/dashboard.csv", query_string=Q)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "polku-Pohjois-Pohjanmaa-2026-Q1-2026-Q2.csv" in disposition
    assert response.data.startswith("\ufeff".encode())  # a BOM, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Grouped by", "Group", "Period", "Took part", "Placements", "Completed", "To education or training",
         "To work", "To a work trial", "To rehabilitative activity", "Moved on, in all"],
        ["The whole region", "The whole region", "2026-Q1", "<5", "<5", "<5", "<5", "0", "0", "0", "<5"],
        ["The whole region", "The whole region", "2026-Q2", "<5", "<5", "<5", "<5", "<5", "0", "0", "<5"],
        ["Municipality", "Kempele", "2026-Q1", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["Municipality", "Kempele", "2026-Q2", "<5", "<5", "0", "0", "0", "0", "0", "0"],
        ["Municipality", "Oulu", "2026-Q1", "<5", "<5", "<5", "<5", "0", "0", "0", "<5"],
        ["Municipality", "Oulu", "2026-Q2", "<5", "<5", "<5", "<5", "<5", "0", "0", "<5"],
        ["Kind of activity", "Volunteering", "2026-Q1", "<5", "<5", "<5", "<5", "0", "0", "0", "<5"],
        ["Kind of activity", "Volunteering", "2026-Q2", "<5", "<5", "0", "0", "0", "0", "0", "0"],
        ["Kind of activity", "A work trial", "2026-Q1", "<5", "<5", "0", "0", "0", "0", "0", "0"],
        ["Kind of activity", "A work trial", "2026-Q2", "<5", "<5", "<5", "<5", "0", "0", "0", "<5"],
        ["Kind of activity", "No kind given", "2026-Q1", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["Kind of activity", "No kind given", "2026-Q2", "0", "0", "0", "0", "<5", "0", "<5", "<5"],
    ]


def test_finnish_letters_survive_in_the_csv(app, data):
    youth = add_user(app, "hanna@example.fi", Role.YOUTH, municipality="Hämeenlinna")
    coordinator = add_user(app, "paijat@example.fi", Role.COORDINATOR, region="Päijät-Häme")
    refer(app, youth, coordinator, "Päijät-Häme")
    add_interest(app, youth, add_opening(app, "Työkokeilu", "work_trial"), accepted=utc(2026, 2, 2))
    client = signed_in(app, "paijat@example.fi", lang="fi")
    response = client.get("/coordinator/dashboard.csv", query_string=Q)
    body = response.data.decode("utf-8-sig")
    assert "Kunta;Hämeenlinna;2026-Q1;<5;<5;0;0;0;0;0;0" in body.splitlines()
    assert "Tehtävän tyyppi;Työkokeilu;2026-Q1" in body
    assert body.splitlines()[0].startswith("Ryhmitelty;Ryhmä;Ajanjakso;Osallistui")  # the headers in Finnish
    assert "P%C3%A4ij%C3%A4t-H%C3%A4me" in response.headers["Content-Disposition"]


# ---------------------------------------------------------------- the filter and who may see

@pytest.mark.parametrize("query, field, message", [
    ({"start": "2026-13", "end": "2026-06"}, "start", "Write a month as year and month, for example 2026-03."),
    ({"start": "tammikuu", "end": "2026-06"}, "start", "Write a month as year and month"),
    ({"start": "2026-06", "end": "2026-01"}, "end", "The last month cannot be before the first."),
    ({"start": "2020-01", "end": "2026-06"}, "end", "Choose at most 60 months."),
    ({"start": "2026-01", "end": "2026-06", "by": "week"}, "by", "Choose only from the options shown."),
])
def test_a_bad_period_is_a_400_with_the_field(app, data, query, field, message):
    north = signed_in(app, "north@example.fi")
    response = north.get("/coordinator/dashboard", query_string=query)
    assert response.status_code == 400
    assert message in re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', response.text, re.S).group(1)
    assert north.get("/coordinator/dashboard.csv", query_string=query).status_code == 400
    assert north.get("/coordinator/dashboard/kind.svg", query_string=query).status_code == 400


def test_the_default_period_is_this_year_by_quarter(app, data):
    html = signed_in(app, "north@example.fi").get("/coordinator/dashboard").text
    today = outcomes.local_today("Europe/Helsinki")
    assert f'value="{today.year}-01"' in html and f'value="{today:%Y-%m}"' in html
    assert '<option selected value="quarter">' in html


def test_a_coordinator_without_a_region_sees_nothing(app, data):
    html = signed_in(app, "nowhere@example.fi").get("/coordinator/dashboard", query_string=Q).text
    assert "You have no region yet" in html
    assert [counts["participants"] for _label, counts in table_rows(html, "over-time-table")] == ["0", "0"]
    assert "Oulu" not in html


DASHBOARD = ["/coordinator/dashboard", "/coordinator/dashboard.csv", "/coordinator/dashboard/over-time.svg",
             "/coordinator/dashboard/municipality.svg", "/coordinator/dashboard/kind.svg"]


@pytest.mark.parametrize("email", ["y1@example.fi", "ry@example.fi"])
def test_youths_and_associations_have_no_dashboard(app, data, email):
    if email == "ry@example.fi":
        add_user(app, email, Role.ASSOCIATION)
    client = signed_in(app, email)
    for url in DASHBOARD:
        assert client.get(url, query_string=Q).status_code == 403


def test_visitors_are_sent_to_sign_in(app, data, client):
    for url in DASHBOARD:
        response = client.get(url, query_string=Q)
        assert response.status_code == 302 and response.location.startswith("/auth/signin")


def test_an_unknown_chart_is_not_found(app, data):
    assert signed_in(app, "north@example.fi").get("/coordinator/dashboard/secrets.svg").status_code == 404


def test_a_group_typed_like_a_formula_is_not_a_formula_in_the_csv(app, data):
    youth = add_user(app, "eve@example.fi", Role.YOUTH, municipality="Oulu")
    refer(app, youth, data["north"], NORTH)
    add_interest(app, youth, add_opening(app, "Outo", "event"), accepted=utc(2026, 2, 2))
    with app.app_context():  # the tables refuse it now; a row from before, or written past them, may hold it
        session = db.get_session()
        table = YouthProfile.__table__
        session.connection().execute(table.update().where(table.c.id == youth).values(municipality="=HYPERLINK(1)"))
        session.commit()
    body = signed_in(app, "north@example.fi").get("/coordinator/dashboard.csv", query_string=Q).data.decode("utf-8-sig")
    assert "Municipality;'=HYPERLINK(1);2026-Q1;<5;<5;0;0;0;0;0;0" in body.splitlines()


def test_charts_drawn_in_threads_are_the_same_as_one_by_one():
    """No pyplot state is shared: charts drawn at once in threads come out as when drawn alone."""
    from concurrent.futures import ThreadPoolExecutor

    def draw(n):
        return charts.bar_chart(f"Chart {n}", ["Oulu", "Kemi"], [("Took part", [n, None]), ("Completed", [0, n + 5])],
                                axis_label="Number", horizontal=n % 2 == 0)

    alone = [draw(n) for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(draw, range(6)))
    assert together == alone
    assert len(set(alone)) == 6 and all(f"<title id=\"chart-title\">Chart {n}</title>" in alone[n] for n in range(6))


def test_a_chart_of_small_counts_only_is_not_blank():
    """Every count under 5: each bar is drawn as a dashed outline up to 5 and labelled "<5" (issue 17, point 8)."""
    series = [("Osallistui", [None, None]), ("Valmis", [None, 3])]
    svg = charts.bar_chart("Kunnittain", ["Liminka", "Kempele"], series, axis_label="Määrä", horizontal=True)
    root = ET.fromstring(svg)
    assert svg_texts(root).count("<5") == 3 and "3" in svg_texts(root)
    dashed = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("id", "").startswith("patch_") and "stroke-dasharray" in ET.tostring(g, encoding="unicode")]
    assert len(dashed) >= 3  # an outlined bar for each suppressed count (none at all before)
