"""The public status page, its JSON and Atom feed: a declared outage is listed with its times,
units and what to do now, and never a reporter's name nor a description; the contract's JSON;
served by `driftbot serve` (Slack's HTTP server) and `serve --teams`'s aiohttp app."""
import asyncio
import json
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.outages.service import OutageService
from bot.status.site import StatusSite
from bot.storage import Store
from slackapp import slack, slack_session  # noqa: F401 (fixtures)

TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
NAME, SECRET = "Maja Reporterdotter", "brukaren på Storgatan 5 släpps inte in"
CONTRACT_KEYS = {"id", "system", "kind", "state", "starts_at", "ends_at", "reports", "units", "text"}


def _report(store, service, at, unit, system="tes"):
    row = store.add_report(created_at=at, source="slack", user_id="U1", reporter_name=NAME, unit=unit, system=system,
                           scope="unit", description=SECRET, contact="anvandarstod", lang="sv")
    service.report_filed(row.id, system, "sv")


@pytest.fixture
def site(database_url, content):
    store = Store.connect(database_url)
    clock = FixedClock(NOW - timedelta(days=3), TZ)
    service = OutageService(store, content, clock)
    # Long resolved: not on the page. Resolved an hour ago: on it.
    service.start("treserva", "Gammalt", actor="cli:test")
    service.resolve("treserva", at=NOW - timedelta(days=2), actor="cli:test")
    clock.set(NOW - timedelta(hours=3))
    service.start("locks", "Låsservern startas om", actor="cli:test")
    service.resolve("locks", at=NOW - timedelta(hours=1), actor="cli:test")
    # Open, with reports from two units, one split out into its own (not news for everyone).
    clock.set(NOW - timedelta(minutes=20))
    _report(store, service, clock.now(), "Hemtjänst Ryd")
    _report(store, service, clock.now(), "Hemtjänst Berga")
    service.start("tes", "Leverantören felsöker 19121212-1212", actor="slack:UADMIN")
    _report(store, service, clock.now(), "Nattpatrullen")
    service.split(3, actor="slack:UADMIN")
    # Planned: in three days; cancelled: never shown.
    service.plan("infrastructure", NOW + timedelta(days=3), NOW + timedelta(days=3, hours=2), "Nätbyte", actor="cli:test")
    cancelled = service.plan("other", NOW + timedelta(days=1), NOW + timedelta(days=1, hours=1), actor="cli:test")
    service.cancel(cancelled.id, actor="cli:test")
    clock.set(NOW)
    yield StatusSite(store, content, clock)
    store.engine.dispose()


def test_the_json_lists_open_planned_and_recently_resolved_outages_in_the_contracts_shape(site):
    response = site.respond("/status.json")
    assert response.status == 200 and response.content_type.startswith("application/json")
    data = json.loads(response.body)
    assert set(data) == {"generated_at", "outages"} and data["generated_at"] == NOW.isoformat()
    assert all(set(o) == CONTRACT_KEYS for o in data["outages"])
    assert [(o["system"], o["kind"], o["state"]) for o in data["outages"]] == [
        ("tes", "unplanned", "confirmed"), ("infrastructure", "planned", "scheduled"), ("locks", "unplanned", "resolved")]
    tes = data["outages"][0]
    assert tes["units"] == ["Hemtjänst Ryd", "Hemtjänst Berga"] and tes["reports"] == 2
    assert tes["text"] == "Leverantören felsöker [personnummer borttaget]" and tes["ends_at"] is None
    assert data["outages"][2]["ends_at"] == (NOW - timedelta(hours=1)).isoformat()


def test_the_page_shows_each_outage_with_what_to_do_now_and_nothing_personal(site):
    page = site.respond("/status").body.decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
    assert '<meta name="viewport"' in page and "<script" not in page and 'http-equiv="refresh"' in page
    assert page.count("<h1>") == 1 and page.count("<h2 ") == 3
    assert "Pågår nu" in page and "Planerade driftstopp" in page and "Åtgärdat det senaste dygnet" in page
    assert "Sedan 09:40." in page and "konventionella nycklar" in page
    assert "Hemtjänst Ryd, Hemtjänst Berga" in page and "Nätbyte" in page
    assert '/status/outage/' in page and "Gammalt" not in page and "Nattpatrullen" not in page
    english = site.respond("/status", "lang=en").body.decode()
    assert '<html lang="en">' in english and "Going on now" in english and "conventional keys" in english
    for body in (page, english, site.respond("/status.json").body.decode(), site.respond("/status.atom").body.decode()):
        assert NAME not in body and SECRET not in body and "UADMIN" not in body and "19121212" not in body


def test_the_feed_is_atom_with_one_entry_per_outage(site):
    response = site.respond("/status.atom", "", "status.example.se")
    assert response.content_type.startswith("application/atom+xml")
    root = ET.fromstring(response.body)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["Driftstopp: TES", "Planerat: Nätverk/IT-miljö",
                                                              "Åtgärdat: Digitala lås"]
    assert entries[0].find(f"{atom}link").get("href") == "http://status.example.se/status?lang=sv"
    assert root.find(f"{atom}updated").text == "2026-11-26T08:40:00Z"   # the newest change: the admin's start


def test_a_resolved_outages_summary_is_linked_and_has_no_personal_data(site):
    page = site.respond("/status").body.decode()
    link = page.split('<a href="/status/outage/')[1].split('"')[0]
    outage_id = int(link.split("?")[0])
    summary = site.respond(f"/status/outage/{outage_id}").body.decode()
    assert "Digitala lås" in summary and "Åtgärdat" in summary and "cli:test" not in summary
    assert site.respond("/status/outage/999").status == 404
    assert site.respond("/status/outage/3").status == 200   # the open one too, by its number
    png = site.respond(f"/status/outage/{outage_id}.png")
    assert png.status == 200 and png.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert site.respond("/elsewhere") is None


def test_driftbot_serve_serves_the_status_page(slack):
    with urllib.request.urlopen(f"http://127.0.0.1:{slack.port}/status.json", timeout=5) as response:
        data = json.loads(response.read())
    assert set(data) == {"generated_at", "outages"}
    with urllib.request.urlopen(f"http://127.0.0.1:{slack.port}/status?lang=en", timeout=5) as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<html lang="en">' in response.read().decode()


def test_serve_teams_app_serves_the_status_page(tmp_path):
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.adapters.teams.serve import add_status_routes
    from bot.config import load_settings
    from bot.runtime import build

    runtime = build(load_settings(database_url=f"sqlite:///{tmp_path}/t.db"), at=NOW, with_store=True)
    OutageService(runtime.store, runtime.content, runtime.clock).start("tes", actor="teams:x")

    async def fetch():
        app = web.Application()
        add_status_routes(app, runtime)
        async with TestClient(TestServer(app)) as client:
            page = await client.get("/status")
            data = await client.get("/status.json")
            return page.status, page.headers["Content-Type"], await data.json()

    status, content_type, data = asyncio.run(fetch())
    assert status == 200 and content_type.startswith("text/html")
    assert [o["system"] for o in data["outages"]] == ["tes"]
