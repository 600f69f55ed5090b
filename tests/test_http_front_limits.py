"""The HTTP front's limits, on a real server in this process and real sockets: a request's line
and headers have a deadline as its body does (a byte now and then must not hold a thread for
ever), and connections beyond the cap get a quick 503 and are closed, not a thread each."""
import socket
import time

import pytest

from bot.adapters.slack.http_server import SlackHTTPServer

READ_TIMEOUT = 1.0


@pytest.fixture
def server():
    # No app is reached: /healthz and refusals are the server's own.
    server = SlackHTTPServer(("127.0.0.1", 0), app=object(), read_timeout=READ_TIMEOUT, max_connections=2)
    server.start_in_thread()
    try:
        yield server
    finally:
        server.shutdown_if_serving()
        server.server_close()


def _connect(server, timeout: float = 5) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def _answer(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return data


def _health(server) -> bytes:
    with _connect(server) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return _answer(conn)


@pytest.mark.parametrize("head", [b"GET /healthz HTTP/1.1", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaa"],
                         ids=["request-line", "headers"])
def test_a_request_sent_a_byte_at_a_time_is_let_go(server, head):
    """A byte every 0.2 s, well within the socket's timeout per read: the deadline still ends it."""
    started = time.monotonic()
    closed = False
    with _connect(server) as conn:
        conn.settimeout(0.2)
        for byte in head * 100:
            if time.monotonic() - started > READ_TIMEOUT + 2:
                break
            try:
                conn.send(bytes([byte]))
                conn.recv(65536)  # an answer (408) or the end of the connection
            except socket.timeout:
                continue  # nothing from the server yet: the next byte
            except OSError:  # reset: let go too
                pass
            closed = True
            break
    assert closed, "the server still waits for the rest of the request"
    assert time.monotonic() - started < READ_TIMEOUT + 1


def test_connections_beyond_the_cap_get_a_quick_503(server):
    held = [_connect(server), _connect(server)]  # two idle connections: the cap
    try:
        time.sleep(0.1)  # both accepted
        started = time.monotonic()
        busy = _health(server)
        assert busy.startswith(b"HTTP/1.1 503"), busy
        assert time.monotonic() - started < 0.5
    finally:
        for conn in held:
            conn.close()
    # The slots come back when those connections end.
    deadline = time.monotonic() + 3
    while not (answer := _health(server)).startswith(b"HTTP/1.1 200") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert answer.startswith(b"HTTP/1.1 200"), answer
