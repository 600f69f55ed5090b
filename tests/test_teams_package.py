"""The Teams app package (teams/): a manifest Teams accepts the shape of, and its two icons."""
import json
import struct
from pathlib import Path

TEAMS = Path(__file__).resolve().parent.parent / "teams"


def _png_size(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, colour_type


def test_the_manifest_names_the_bot_its_scopes_and_icons():
    manifest = json.loads((TEAMS / "manifest.json").read_text(encoding="utf-8"))
    [bot] = manifest["bots"]
    assert bot["botId"] == "{{BOT_APP_ID}}"                    # a placeholder, filled in by the admin
    assert set(bot["scopes"]) == {"personal", "team"}
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert (TEAMS / manifest["icons"]["color"]).exists() and (TEAMS / manifest["icons"]["outline"]).exists()


def test_the_icons_have_the_sizes_teams_requires():
    assert _png_size(TEAMS / "color.png")[:2] == (192, 192)
    width, height, colour_type = _png_size(TEAMS / "outline.png")
    assert (width, height) == (32, 32) and colour_type == 6    # RGBA: white on transparent
