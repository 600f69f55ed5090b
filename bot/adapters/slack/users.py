"""Who is writing: name and language from Slack's users.info, cached.

The name prefills reports; the locale picks the language of surfaces that
have no text to detect it from (Home tab, form, slash-command replies).
Slack sends `locale` only when asked with include_locale=true.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.adapters.slack.client import SLACK_FAILURES, api_error

log = logging.getLogger(__name__)

# Names and locales change rarely; an hour keeps users.info (tier 4, but
# shared with everything else) off the path of every message.
CACHE_SECONDS = 3600
CACHE_SIZE = 2000


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str | None = None
    lang: str | None = None          # "sv", "en" or None when the locale says nothing we speak
    is_bot: bool = False


def locale_lang(locale: str | None, languages: tuple[str, ...] | list[str]) -> str | None:
    """"en-US" -> "en" when English is a content language; else None."""
    if not locale:
        return None
    code = locale.replace("_", "-").split("-")[0].lower()
    return code if code in languages else None


class UserDirectory:
    def __init__(self, client: WebClient, languages: tuple[str, ...] | list[str]):
        self.client = client
        self.languages = tuple(languages)
        self._cache: OrderedDict[str, tuple[float, Profile]] = OrderedDict()
        self._lock = threading.Lock()

    def profile(self, user_id: str) -> Profile:
        with self._lock:
            cached = self._cache.get(user_id)
            if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
                self._cache.move_to_end(user_id)
                return cached[1]
        profile = self._fetch(user_id)
        if profile is None:  # a failed lookup is retried next time, not remembered for an hour
            return Profile(user_id=user_id)
        with self._lock:
            self._cache[user_id] = (time.monotonic(), profile)
            self._cache.move_to_end(user_id)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return profile

    def _fetch(self, user_id: str) -> Profile | None:
        try:
            user = self.client.users_info(user=user_id, include_locale=True)["user"]
        except SLACK_FAILURES as exc:
            # Not fatal: the answer still goes out, only without a prefilled name.
            log.warning("users.info failed for %s: %s", user_id, api_error(exc))
            return None
        profile = user.get("profile") or {}
        name = (user.get("real_name") or profile.get("real_name") or profile.get("display_name") or "").strip()
        return Profile(user_id=user_id, name=name or None, lang=locale_lang(user.get("locale"), self.languages),
                       is_bot=bool(user.get("is_bot")))
