"""`make benchmark`: the public pages under a real load generator, with production settings.

For each catalogue size (the demo, and 100 times it) a database of the benchmark's
own is built once and kept (.benchmark/<size>x, an embedded PostgreSQL). gunicorn
serves it with production settings and its settings file, once with the page
cache off (cold) and once on (warm). wrk loads each page for a few seconds with 1
and with 8 clients, beside a static file in the same run. The full CSV download is
timed separately (first byte, last byte). The table says which targets are met; a
missed target never fails the run.

    python -m publishing.load_benchmark [--seconds 5] [--times 100]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATE = ROOT / ".benchmark"
HOST = "127.0.0.1"

# wrk reports what we need: requests, duration, and latency percentiles in microseconds.
WRK_SCRIPT = """
wrk.headers["Accept-Encoding"] = "gzip"
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), bad))
end
"""

# (label, path, is an HTML page)
PAGES = [
    ("static CSS file", None, False),
    ("home", "/", True),
    ("list", "/interventions/", True),
    (
        "list with 3 filters",
        "/interventions/?age=3-4-years&domain=mental-health-wellbeing&uk_tested=yes",
        True,
    ),
    (
        "search with 3 filters",
        "/interventions/?q=parenting&age=3-4-years&domain=mental-health-wellbeing&uk_tested=yes",
        True,
    ),
    ("intervention page", None, True),
]
CSV_PATH = "/interventions/download.csv"

# Targets (issue "Fast at any size").
COLD_P95_MS = {
    "list": 50,
    "list with 3 filters": 50,
    "search with 3 filters": 50,
    "intervention page": 30,
}
MAX_GROWTH = 1.5
WARM_SHARE = 0.40
CSV_FIRST_BYTE_MS = 200
CSV_TOTAL_MS = 1000


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk(output: str) -> Run:
    """wrk's RESULT line (from WRK_SCRIPT) as a Run."""
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration, p50, p95, p99, errors = (int(word) for word in line.split()[1:])
    return Run(requests, duration / 1e6, p50 / 1e3, p95 / 1e3, p99 / 1e3, errors)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(size: int, cache: bool) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    keep.pop("REDIS_URL", None)
    return {
        **keep,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-k3v9-q0w8-e7r6-t5y4-u3i2-o1p0-a9s8-d7f6-g5h4",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "EMBEDDED_POSTGRES_DIR": str(STATE / f"{size}x"),
        "CACHE_DIR": str(STATE / f"cache-{size}x"),
        "PUBLIC_CACHE": "true" if cache else "false",
    }


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def build(size: int) -> None:
    env = environment(size, cache=False)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    print(manage(env, "build_benchmark_catalogue", "--times", str(size)).strip().splitlines()[-1])


class Server:
    """gunicorn with the production settings file, for one size and cache mode."""

    def __init__(self, size: int, cache: bool) -> None:
        self.env = environment(size, cache)
        shutil.rmtree(STATE / f"cache-{size}x", ignore_errors=True)  # each run starts cold
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "evidence_store/gunicorn.conf.py",
                "--bind",
                f"{HOST}:{self.port}",
                "--access-logfile",
                "/dev/null",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit("gunicorn ended early:\n" + self.log.read().decode()[-3000:])
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback http)
        return response.status, response.read()


def static_css_path() -> str:
    manifest = json.loads((ROOT / "build" / "collected" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["build/main.css"]


def intervention_path(base: str) -> str:
    """The first intervention the list links to."""
    _, body = fetch(base + "/interventions/")
    marker = b'href="/interventions/'
    start = body.index(marker, body.index(b"app-intervention-card")) + len('href="')
    return body[start : body.index(b'"', start)].decode()


def load(url: str, clients: int, seconds: int) -> Run:
    """wrk against one address; a failed run (tried twice) counts as no requests, all errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s"]
        command += ["--timeout", "10s", "-s", script.name, url]
        for _ in range(2):
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode == 0 and "RESULT " in done.stdout:
                return parse_wrk(done.stdout)
            print(f"wrk failed on {url}: {done.stderr.strip() or done.stdout.strip()}")
    return Run(0, float(seconds), 0.0, 0.0, 0.0, 1)


def time_download(url: str, repeat: int = 3) -> tuple[float, float]:
    """The median time to the first byte and to the last, in ms."""
    firsts, totals = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback http)
            response.read(1)
            firsts.append((time.perf_counter() - started) * 1000)
            while response.read(65536):
                pass
            totals.append((time.perf_counter() - started) * 1000)
    return sorted(firsts)[len(firsts) // 2], sorted(totals)[len(totals) // 2]


def measure(size: int, cache: bool, seconds: int) -> dict:
    server = Server(size, cache)
    try:
        paths = {
            "static CSS file": static_css_path(),
            "intervention page": intervention_path(server.base),
        }
        results = {}
        for label, path, _ in PAGES:
            url = server.base + (path or paths[label])
            fetch(url)  # warm: templates, query plans, and (when on) the page cache
            results[label] = {clients: load(url, clients, seconds) for clients in (1, 8)}
        download = time_download(server.base + CSV_PATH)
        return {"pages": results, "csv": download}
    finally:
        server.stop()


def report(measured: dict, big: int) -> list[str]:
    """The table, and each target met or missed."""
    lines = []
    for mode in ("cold", "warm"):
        at = measured[(big, mode)]["pages"]
        small = measured[(1, mode)]["pages"]
        static_rate = at["static CSS file"][8].rate
        state = "on" if mode == "warm" else "off"
        lines.append(f"\n**{mode.title()}** (page cache {state}), {big}x catalogue:\n")
        lines.append(
            "| page | req/s, 8 clients | share of static | p50 / p95 / p99 ms, 1 client "
            f"| p95 {big}x ÷ 1x | errors |"
        )
        lines.append("|---|---|---|---|---|---|")
        for label, _, _ in PAGES:
            one, eight = at[label][1], at[label][8]
            growth = one.p95_ms / small[label][1].p95_ms if small[label][1].p95_ms else 0
            share = eight.rate / static_rate if static_rate else 0
            lines.append(
                f"| {label} | {eight.rate:,.0f} | {share:.0%} | "
                f"{one.p50_ms:.1f} / {one.p95_ms:.1f} / {one.p99_ms:.1f} | {growth:.2f} | "
                f"{one.errors + eight.errors} |"
            )
        first, total = measured[(big, mode)]["csv"]
        lines.append(
            f"| CSV download, all results | first byte {first:.0f} ms, "
            f"whole file {total:.0f} ms | | | | |"
        )
    lines.append("\nTargets:\n")
    lines += [f"- {'met   ' if ok else 'MISSED'} {text}" for ok, text in targets(measured, big)]
    return lines


def targets(measured: dict, big: int) -> list[tuple[bool, str]]:
    found = []
    cold, cold_small = measured[(big, "cold")]["pages"], measured[(1, "cold")]["pages"]
    for label, limit in COLD_P95_MS.items():
        p95 = cold[label][1].p95_ms
        found.append((p95 <= limit, f"cold, {label}: p95 {p95:.1f} ms ≤ {limit} ms (1 client)"))
    for label, _, _ in PAGES:
        growth = cold[label][1].p95_ms / max(cold_small[label][1].p95_ms, 0.001)
        found.append(
            (growth <= MAX_GROWTH, f"cold, {label}: p95 growth {growth:.2f} ≤ {MAX_GROWTH}")
        )
    warm = measured[(big, "warm")]["pages"]
    static_rate = warm["static CSS file"][8].rate
    for label, _, html in PAGES:
        if html:
            share = warm[label][8].rate / static_rate if static_rate else 0
            found.append(
                (
                    share >= WARM_SHARE,
                    f"warm, {label}: {share:.0%} ≥ {WARM_SHARE:.0%} "
                    "of the static file's rate (8 clients)",
                )
            )
    first, total = measured[(big, "cold")]["csv"]
    found.append(
        (
            first <= CSV_FIRST_BYTE_MS,
            f"CSV download: first byte {first:.0f} ms ≤ {CSV_FIRST_BYTE_MS} ms",
        )
    )
    found.append(
        (total < CSV_TOTAL_MS, f"CSV download: whole file {total:.0f} ms < {CSV_TOTAL_MS} ms")
    )
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per page and client count")
    parser.add_argument("--times", type=int, default=100, help="the larger catalogue's size")
    options = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("make benchmark needs wrk (Debian: apt-get install wrk).")
    STATE.mkdir(exist_ok=True)
    sizes = (1, options.times)
    for size in sizes:
        build(size)
    manage(
        environment(1, cache=False), "collectstatic", "--no-input", "--clear", "--verbosity", "0"
    )
    measured = {}
    for size in sizes:
        for mode in ("cold", "warm"):
            print(f"Measuring {size}x, {mode}...", flush=True)
            measured[(size, mode)] = measure(size, mode == "warm", options.seconds)
    print("\n".join(report(measured, options.times)))


if __name__ == "__main__":
    main()
