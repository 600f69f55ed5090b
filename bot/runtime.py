"""Assemble the parts from settings: content, classifier, clock, store, engine.

Every entry point (CLI commands, the Slack app) builds its objects here, so
there is one path from configuration to a working engine.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import Clock, FixedClock, SystemClock, parse_at
from bot.config import Settings
from bot.content import Content, load_content

if TYPE_CHECKING:  # the engine and classifier (numpy) load only when something is built
    from bot.engine import Engine
    from intents.classifier import Classifier


@dataclass
class Runtime:
    settings: Settings
    content: Content
    clock: Clock
    engine: Engine
    store: object | None = None
    outages: object | None = None

    @property
    def tz(self) -> ZoneInfo:
        return self.clock.tz


def zone(settings: Settings, content: Content) -> ZoneInfo:
    return ZoneInfo(settings.timezone or content.routine.timezone)


def classifier_data(content: Content) -> dict:
    """What the classifier is built from, as plain data (which is also its cache key)."""
    return {
        "phrasings": content.phrasings,
        "spelling": content.spelling,
        "social": {kind: {"strip": entry.strip, "words": list(entry.words)}
                   for kind, entry in content.social.kinds.items()},
        "common_words": sorted(content.common_words),
    }


def build_classifier(content: Content, cache: bool = True, **options) -> Classifier:
    """The classifier for `content`; `options` (the benchmark's ablations) bypass the cache."""
    from intents.cache import default_cache_dir, load_or_train

    if options:
        from intents.classifier import Classifier

        return Classifier(**classifier_data(content), **options)
    return load_or_train(classifier_data(content), default_cache_dir() if cache else None)


def build(settings: Settings, at: str | datetime | None = None, with_store: bool = False,
          pool_size: int | None = None) -> Runtime:
    """`at` (an ISO 8601 string or a datetime) freezes the clock, as --at does; `pool_size`: the
    threads that use the database at once (bot.storage.make_engine)."""
    content = load_content(settings.content_dir)
    tz = zone(settings, content)
    if isinstance(at, str):
        at = parse_at(at, tz)
    clock: Clock = FixedClock(at, tz) if at is not None else SystemClock(tz)
    from bot.engine import Engine

    store = outages = None
    if with_store:
        from bot.outages.service import OutageService
        from bot.storage import Store

        store = Store.connect(settings.database_url, pool_size=pool_size)
        outages = OutageService(store, content, clock)
    engine = Engine(content, build_classifier(content), clock, store=store, outages=outages,
                    support_summaries=bool(settings.support_channel))
    return Runtime(settings=settings, content=content, clock=clock, engine=engine, store=store, outages=outages)


def keep_for_good() -> None:
    """Before serving: what start-up built (content, the classifier, SQLAlchemy's and Bolt's
    modules) lives as long as the process, so the garbage collector is told to stop walking it.

    A full collection walked all of it, some 110 000 objects: 60-80 ms with every thread stopped,
    and under a burst of messages that pause landed on acknowledgements (the p99). After
    gc.freeze() a full collection walks only what was made since. Garbage from start-up is
    collected first, so nothing freed is kept.
    """
    import gc

    gc.collect()
    gc.freeze()
