"""Load generators: wrk when it is installed, else a small Python client with the same figures."""

import http.client
import json
import math
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# wrk calls done() once at the end; it prints the figures as one JSON line after this marker.
_REPORT_MARKER = "BENCH-RESULT "
_DONE_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "bad_status": %d, '
    .. '"socket_errors": %d}\\n',
    "BENCH-RESULT ", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad_status: int
    socket_errors: int

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Target:
    """What to request: `paths` are used in turn (each once, for calls that change state)."""

    method: str
    paths: list
    headers: dict
    body: bytes = b""


def wrk_path():
    return shutil.which("wrk")


def run(base_url, target, *, seconds, connections, client):
    if client == "wrk":
        return _run_wrk(base_url, target, seconds=seconds, connections=connections)
    return _run_python(base_url, target, seconds=seconds, connections=connections)


def _lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _run_wrk(base_url, target, *, seconds, connections):
    lines = [f"wrk.method = {_lua_string(target.method)}"]
    for name, value in target.headers.items():
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    if target.body:
        lines.append(f"wrk.body = {_lua_string(target.body.decode())}")
    if len(target.paths) > 1:
        items = ",\n".join(_lua_string(path) for path in target.paths)
        lines += [
            f"local paths = {{\n{items}\n}}",
            "local next_path = 0",
            "request = function()",
            "  next_path = next_path % #paths + 1",
            "  return wrk.format(nil, paths[next_path])",
            "end",
        ]
    else:
        lines.append(f"wrk.path = {_lua_string(target.paths[0])}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines) + "\n" + _DONE_LUA)
    try:
        # One thread: its event loop drives thousands of requests a second, and leaves the
        # second core to the server.
        command = [
            wrk_path(),
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{int(seconds)}s",
            "--timeout",
            "10s",
            "--script",
            script.name,
            base_url + target.paths[0],
        ]
        finished = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=seconds + 60
        )
        if finished.returncode:
            raise RuntimeError(f"wrk failed: {finished.stdout}{finished.stderr}")
        output = finished.stdout
    finally:
        Path(script.name).unlink()
    for line in output.splitlines():
        if line.startswith(_REPORT_MARKER):
            figures = json.loads(line[len(_REPORT_MARKER) :])
            return Result(
                requests=figures["requests"],
                seconds=figures["duration_us"] / 1e6,
                p50_ms=figures["p50_us"] / 1000,
                p99_ms=figures["p99_us"] / 1000,
                bad_status=figures["bad_status"],
                socket_errors=figures["socket_errors"],
            )
    raise RuntimeError(f"wrk printed no result:\n{output}")


def _run_python(base_url, target, *, seconds, connections):
    """Keep-alive connections in threads, each sending its next request as the last one ends."""
    host, port = base_url.removeprefix("http://").split(":")
    latencies, counters, lock = [], {"bad": 0, "socket": 0, "next": 0}, threading.Lock()
    deadline = time.monotonic() + seconds

    def next_path():
        with lock:
            index = counters["next"]
            counters["next"] += 1
        return target.paths[index % len(target.paths)]

    def worker():
        mine = []
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                connection.request(
                    target.method, next_path(), body=target.body or None, headers=target.headers
                )
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    counters["socket"] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                continue
            mine.append(time.perf_counter() - start)
            if response.status >= 400:
                with lock:
                    counters["bad"] += 1
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(share):
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, math.ceil(share * len(latencies)) - 1)] * 1000

    return Result(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        bad_status=counters["bad"],
        socket_errors=counters["socket"],
    )


def fetch(base_url, method, path, *, headers=None, body=b""):
    """One request: (status, headers, body)."""
    return fetch_in_turn(base_url, method, [path], headers=headers, body=body)[0]


def fetch_in_turn(base_url, method, paths, *, headers=None, body=b""):
    """A request for each path, one after another over one connection, hence to one worker:
    [(status, headers, body), ...]."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        answers = []
        for path in paths:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            answers.append((response.status, response.headers, response.read()))
        return answers
    finally:
        connection.close()
