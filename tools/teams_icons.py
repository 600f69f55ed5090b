"""Draw the Teams app package's two icons as plain PNGs (no image library needed).

    python tools/teams_icons.py      # writes teams/color.png (192x192) and teams/outline.png (32x32)

Teams wants a full-colour icon of 192x192 pixels and an outline icon of 32x32 that is white on
a transparent background. The mark is a white warning triangle with the exclamation mark cut out, on
the Slack app's blue (manifest.yaml's background_color).
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE = (0x1D, 0x4F, 0x91, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def _png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _mark(x: float, y: float) -> str:
    """What the point (x, y) in [0, 1)² is: 'bang' (the exclamation mark), 'sign' (the triangle) or 'out'."""
    top, bottom, half = 0.14, 0.86, 0.42
    if not top <= y <= bottom or abs(x - 0.5) > half * (y - top) / (bottom - top):
        return "out"
    if abs(x - 0.5) < 0.05 and (0.40 <= y <= 0.66 or 0.72 <= y <= 0.80):
        return "bang"
    return "sign"


def draw(size: int, colours: dict[str, tuple[int, int, int, int]], background) -> bytes:
    pixels = []
    for row in range(size):
        line = []
        for col in range(size):
            part = _mark((col + 0.5) / size, (row + 0.5) / size)
            line.append(colours.get(part, background))
        pixels.append(line)
    return _png(pixels)


def main() -> None:
    folder = Path(__file__).resolve().parent.parent / "teams"
    folder.mkdir(exist_ok=True)
    (folder / "color.png").write_bytes(draw(192, {"sign": WHITE, "bang": BLUE}, BLUE))
    # The outline icon: white on transparent, the mark cut out of the sign.
    (folder / "outline.png").write_bytes(draw(32, {"sign": WHITE, "bang": CLEAR}, CLEAR))


if __name__ == "__main__":
    main()
