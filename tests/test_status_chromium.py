"""The status page in a real browser: headless Chromium from Debian's packages (.ci/run installs
it) renders `driftbot web`'s page with an outage declared a moment before, and a screenshot at a
phone's width. Skipped locally without Chromium; with CI=true a missing Chromium is a failure."""
import os
import shutil
import struct
import subprocess
import sys
import threading

import pytest

from helpers import ROOT, run_cli_in_process

PHONE = (390, 844)
# Without the background-networking flags Chromium stalls on a closed network.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("Chromium test skipped: apt-get install chromium (.ci/run does)")
    return path


@pytest.fixture
def web(tmp_path):
    """`driftbot web` as a real process on a free port, with a database of its own."""
    db = f"sqlite:///{tmp_path}/web.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}
    process = subprocess.Popen([sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port", "0", "--db", db],
                               cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    ready, lines = threading.Event(), []

    def drain():
        for line in process.stderr:
            lines.append(line)
            if "serving the status page" in line:
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not ready.wait(30) or process.poll() is not None:
        process.kill()
        raise AssertionError("driftbot web did not start:\n" + "".join(lines))
    port = int(lines[-1].split("127.0.0.1:")[1].split()[0])
    try:
        yield db, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def _browse(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"chromium-profile-{len(list(tmp_path.iterdir()))}"
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90)


def test_chromium_renders_an_outage_declared_a_moment_before_and_a_phone_screenshot(web, tmp_path):
    chromium()
    db, base = web
    declared = run_cli_in_process("outage", "start", "tes", "--text", "Leverantören felsöker", "--db", db)
    assert declared.returncode == 0, declared.stderr

    dom = _browse(tmp_path, "--dump-dom", f"{base}/status")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert '<html lang="sv">' in dom.stdout and "Pågår nu" in dom.stdout
    assert "TES" in dom.stdout and "Leverantören felsöker" in dom.stdout and "konventionella nycklar" in dom.stdout

    shot = tmp_path / "status-phone.png"
    taken = _browse(tmp_path, f"--screenshot={shot}", f"--window-size={PHONE[0]},{PHONE[1]}", f"{base}/status")
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == PHONE[0] and height > 0
