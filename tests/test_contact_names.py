"""Contacts are named in one file: renaming them in routine.yaml renames them everywhere."""
from __future__ import annotations

from datetime import datetime

from helpers import edit_yaml

from bot.clock import FixedClock
from bot.content import load_content
from bot.engine import Engine
from bot.outages.render import OutageFacts
from bot.outages.service import OutageService
from bot.storage import Store

OLD = ("LKDATA", "Användarstöd", "Självbetjäningsportalen", "Tekniska Verken", "Socialförvaltningen")
NEW = {"lkdata": "IT-jouren Norr", "anvandarstod": "Servicedesken", "portal": "Kundportalen",
       "on_call": "Jourbolaget AB", "administrations": "Omsorgsnämnden"}


def strings(value) -> list[str]:
    """Every string inside a loaded content model."""
    if isinstance(value, str):
        return [value]
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in strings(v)]
    return []


def renamed(content_copy):
    def change(data):
        contacts = data["contacts"]
        contacts["lkdata"]["name"] = NEW["lkdata"]
        contacts["anvandarstod"]["name"] = NEW["anvandarstod"]
        contacts["anvandarstod"]["channel"] = NEW["portal"]
        contacts["on_call"] = {lang: NEW["on_call"] for lang in contacts["on_call"]}
        contacts["administrations"] = {lang: NEW["administrations"] for lang in contacts["administrations"]}
    edit_yaml(content_copy / "routine.yaml", change)
    return load_content(content_copy)


def test_every_answer_dialog_text_and_notice_uses_the_new_names(content_copy, classifier, tmp_path):
    content = renamed(content_copy)
    store = Store.connect(f"sqlite:///{tmp_path}/n.db")
    clock = FixedClock(datetime.fromisoformat("2026-12-02T10:00+01:00"), content.tz)
    outages = OutageService(store, content, clock)
    texts = [s for lang in content.languages
             for s in strings(content.answers[lang]) + strings(content.dialog[lang]) + strings(outages.render.texts[lang])]

    # Rendered answers: every intent's own phrasings, in office hours and at night.
    engine = Engine(content, classifier, clock, store=store, outages=outages)
    for at in ("2026-12-02T10:00+01:00", "2026-12-02T22:00+01:00"):
        clock.set(datetime.fromisoformat(at))
        for lang, by_intent in content.phrasings.items():
            for phrasings in by_intent.values():
                texts.append(engine.answer(phrasings[0], lang=lang).text)
    # Rendered notices: every kind, for every system, in both languages.
    start = datetime.fromisoformat("2026-12-02T06:00+01:00")
    for system in content.routine.systems:
        facts = OutageFacts(id=1, system=system, kind="unplanned", state="confirmed", starts_at=start,
                            ends_at=datetime.fromisoformat("2026-12-02T20:00+01:00"), text="", reports=2,
                            units=("Hemtjänst Ryd",), first_reported_at=start)
        for lang in content.languages:
            for kind in ("planned_advance", "outage_declared", "login_reminder", "ten_hours", "resolved"):
                texts.append(outages.render.notice(kind, facts, lang, clock.now()) or "")

    everything = "\n".join(texts)
    for old in OLD:
        assert old not in everything, f"{old!r} is still written somewhere"
    for new in NEW.values():
        assert new in everything, f"{new!r} is used nowhere"


def test_the_contact_answer_names_the_renamed_contact_that_applies_now(content_copy, classifier):
    content = renamed(content_copy)
    day = Engine(content, classifier, FixedClock(datetime.fromisoformat("2026-12-02T10:00+01:00"), content.tz))
    night = Engine(content, classifier, FixedClock(datetime.fromisoformat("2026-12-02T22:00+01:00"), content.tz))
    assert "Servicedesken via Kundportalen" in day.answer("vem ska jag kontakta?").text
    assert "IT-jouren Norr" in night.answer("vem ska jag kontakta?").text
