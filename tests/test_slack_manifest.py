"""manifest.yaml: valid within Slack's manifest limits, and agreeing with what the app listens to."""
from pathlib import Path

import yaml

from bot.adapters.slack.listeners import SHORTCUT_CALLBACK, SLASH_COMMAND

MANIFEST = yaml.safe_load((Path(__file__).resolve().parent.parent / "manifest.yaml").read_text(encoding="utf-8"))


def test_within_slacks_manifest_limits():
    info = MANIFEST["display_information"]
    assert 1 <= len(info["name"]) <= 35
    assert 1 <= len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    for shortcut in MANIFEST["features"]["shortcuts"]:
        assert 1 <= len(shortcut["name"]) <= 24 and 1 <= len(shortcut["description"]) <= 150
        assert shortcut["type"] in ("global", "message")
    for command in MANIFEST["features"]["slash_commands"]:
        assert command["command"].startswith("/") and len(command["command"]) <= 32
        assert len(command["description"]) <= 2000 and len(command["usage_hint"]) <= 1000
    assert set(MANIFEST) <= {"_metadata", "display_information", "features", "oauth_config", "settings"}


def test_socket_mode_with_what_the_app_handles():
    settings = MANIFEST["settings"]
    assert settings["socket_mode_enabled"] is True
    assert settings["interactivity"]["is_enabled"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_home_opened", "app_mention", "message.im"}
    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == [SLASH_COMMAND]
    assert [s["callback_id"] for s in features["shortcuts"]] == [SHORTCUT_CALLBACK]
    assert features["shortcuts"][0]["name"] == "Rapportera driftstopp"
    assert features["app_home"] == {"home_tab_enabled": True, "messages_tab_enabled": True,
                                    "messages_tab_read_only_enabled": False}


def test_the_scopes_the_app_uses_and_no_more():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert scopes == {"app_mentions:read", "channels:read", "chat:write", "commands", "im:history", "im:read",
                      "im:write", "users:read"}
