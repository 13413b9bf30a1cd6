"""Load test: Kehu served by gunicorn on loopback, 8 concurrent clients for 60 s.

    nice .venv/bin/python bench/bench_load.py [--customers 20000] [--duration 60] [--clients 8]

The database comes from KEHU_BENCH_LOAD_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/kehu_bench_load), created when missing and migrated; the
demo is built into it unless a build of the same size and seed is there already (as in
bench_web.py, whose helpers this reuses). Then gunicorn serves ``kehu.wsgi`` on 127.0.0.1 at a
free port (nothing listens beyond loopback), and the clients, one thread each, sign in through
the login form with the demo passwords (CSRF token from the form, as a browser does) as a
manager, three sales reps, a service agent and an analyst, or use an API token (a manager and
a rep). Until the time is up, each repeats a mixed workload: web clients the customer list
(sorts, a second page), quick search (names, pinyin, phones, e-mails; names only for the
analyst, whose role may not search masked data) and the 360 page; API clients the customer
list, search, one customer and a customer's orders. Every response outside 2xx/3xx, every
redirect to the sign-in page and every connection error is an error.

Prints requests/s and p50/p95/max per kind, writes bench/results/load.json, and exits 1 when
there was any error. Bounded: each client stops at the deadline (and after --max-requests),
each request times out after 30 s, and gunicorn is stopped at the end whatever happened.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import bench_web  # noqa: E402  (the database, demo and query helpers)

RESULTS = ROOT / "results"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kehu_bench_load"
PASSWORD = bench_web.PASSWORD
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 30.0
# (username, how it calls): eight clients, every role the brief names.
CLIENTS = (
    ("manager", "web"),
    ("sales", "web"),
    ("sales2", "web"),
    ("sales3", "web"),
    ("service", "web"),
    ("analyst", "web"),
    ("manager", "api"),
    ("sales", "api"),
)
# What each kind of client does, with its share of that client's requests.
WEB_MIX = {"list": 0.3, "search": 0.4, "360": 0.3}
API_MIX = {"api_list": 0.25, "api_search": 0.25, "api_customer": 0.3, "api_orders": 0.2}
SORTS = ("-id", "name", "-profit", "-clv", "grade")
NAME_KINDS = ("name", "name_prefix", "pinyin")
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Http:
    """One keep-alive connection with its cookies: what a browser tab or API client is."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        self.cookies: dict[str, str] = {}
        self.headers = headers or {}

    def request(
        self, method: str, path: str, params: dict | None = None, form: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if params:
            path = f"{path}?{urlencode(params)}"
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # the next request opens a new connection
            raise
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def sign_in(client: Http, username: str) -> None:
    """The login form, as a browser fills it: CSRF cookie and token first, then the POST."""
    status, _headers, page = client.request("GET", "/login/")
    token = CSRF_FIELD.search(page)
    if status != 200 or not token:
        raise RuntimeError(f"{username}: the login page answered {status} without a form")
    status, headers, _page = client.request(
        "POST",
        "/login/",
        form={
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": PASSWORD,
        },
    )
    target = headers.get("location", "")
    if status != 302 or "/login" in target:
        raise RuntimeError(f"{username}: sign-in answered {status} (to {target!r})")


@dataclass
class Tally:
    """One client's measurements: latencies per kind, and the failures."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)

    def add(self, kind: str, ms: float) -> None:
        self.ms.setdefault(kind, []).append(ms)


def cursor(offset: int) -> str:
    """The list's page link for an offset (customers.views._encode_cursor)."""
    return base64.urlsafe_b64encode(json.dumps(offset).encode()).decode()


def web_request(rng, kind: str, queries, ids) -> tuple[str, dict]:
    if kind == "list":
        params = {"sort": SORTS[int(rng.integers(len(SORTS)))]}
        if rng.random() < 0.3:
            params["page"] = cursor(50)
        return "/customers/", params
    if kind == "search":
        return "/customers/", {"q": queries[int(rng.integers(len(queries)))][1]}
    return f"/customers/{ids[int(rng.integers(len(ids)))]}/", {}


def api_request(rng, kind: str, queries, ids) -> tuple[str, dict]:
    pk = ids[int(rng.integers(len(ids)))]
    if kind == "api_list":
        return "/api/v1/customers", {"ordering": SORTS[int(rng.integers(len(SORTS)))]}
    if kind == "api_search":
        return "/api/v1/customers", {"q": queries[int(rng.integers(len(queries)))][1]}
    if kind == "api_customer":
        return f"/api/v1/customers/{pk}", {}
    return f"/api/v1/customers/{pk}/orders", {}


def run_client(
    client: Http, how: str, work: dict, deadline: float, max_requests: int, seed: int
) -> Tally:
    tally = Tally()
    rng = np.random.default_rng(seed)
    mix = WEB_MIX if how == "web" else API_MIX
    kinds, shares = list(mix), np.array(list(mix.values()))
    build = web_request if how == "web" else api_request
    for _ in range(max_requests):
        if time.monotonic() >= deadline:
            break
        kind = str(kinds[int(rng.choice(len(kinds), p=shares))])
        path, params = build(rng, kind, work["queries"], work["ids"])
        started = time.perf_counter()
        try:
            status, headers, _body = client.request("GET", path, params)
        except (OSError, http.client.HTTPException) as exc:
            tally.errors.append({"kind": kind, "path": path, "error": repr(exc)})
            continue
        tally.add(kind, (time.perf_counter() - started) * 1000)
        signed_out = 300 <= status < 400 and "/login" in headers.get("location", "")
        if not 200 <= status < 400 or signed_out:
            tally.errors.append({"kind": kind, "path": path, "params": params, "status": status})
    return tally


def prepare(customers: int, seed: int, requests: int) -> dict:
    """Database, demo, and per client the queries and ids it draws from (customers that
    user may see); API clients also get a token, revoked again at the end."""
    url = os.environ.get("KEHU_BENCH_LOAD_POSTGRES", DEFAULT_URL)
    bench_web.ensure_database(url)
    bench_web.setup_django(url)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from kehu.api.auth import issue_token

    call_command("migrate", verbosity=0)
    build = bench_web.ensure_demo(customers, seed)
    bench_web.analyze(after_build=not build["reused"])
    rng = np.random.default_rng(seed)
    work = []
    for k, (username, how) in enumerate(CLIENTS):
        user = get_user_model().objects.get(username=username)
        queries = bench_web.make_queries(rng, user, 2 * requests)
        if username == "analyst":
            queries = [q for q in queries if q[0] in NAME_KINDS]
        item = {
            "user": username,
            "how": how,
            "queries": queries[:requests],
            "ids": bench_web.sample_ids(rng, user, requests),
        }
        if how == "api":
            token, raw = issue_token(user=user, name=f"bench-load {k}")
            item |= {"token": raw, "token_id": token.pk}
        work.append(item)
    connection.close()
    return {"url": url, "build": build, "work": work}


def revoke_tokens(work: list[dict]) -> None:
    from kehu.api.auth import revoke_token
    from kehu.core.models import ApiToken

    for token in ApiToken.objects.filter(pk__in=[w["token_id"] for w in work if "token_id" in w]):
        revoke_token(token=token)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = os.environ | {"KEHU_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "kehu.settings"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # The production settings (kehu.gunicorn_conf) with the benchmark's bind, workers, logs.
    command = [str(gunicorn), "-c", "python:kehu.gunicorn_conf", "kehu.wsgi"]
    command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
    command += ["--access-logfile", "/dev/null"]
    command += ["--preload", "--timeout", "60", "--error-logfile", str(log)]
    server = subprocess.Popen(command, env=env, cwd=ROOT.parent, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            status, _h, _b = Http(port).request("GET", "/login/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    stop_server(server)
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop, workers included
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def summary(ms: list[float], seconds: float) -> dict:
    ordered = sorted(ms)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "per_s": round(len(ordered) / seconds, 1),
        "p50_ms": round(float(np.percentile(ordered, 50)), 1),
        "p95_ms": round(float(np.percentile(ordered, 95)), 1),
        "max_ms": round(ordered[-1], 1),
    }


def load(args: argparse.Namespace, port: int, work: list[dict]) -> dict:
    """Sign every client in, then run them all at once until the deadline."""
    clients = []
    for item in work:
        headers = {"Authorization": f"Bearer {item['token']}"} if item["how"] == "api" else {}
        client = Http(port, headers)
        if item["how"] == "web":
            sign_in(client, item["user"])
        clients.append(client)
    tallies: list[Tally | None] = [None] * len(work)
    deadline = time.monotonic() + args.duration
    started = time.perf_counter()

    def one(k: int) -> None:
        item = work[k]
        tallies[k] = run_client(
            clients[k], item["how"], item, deadline, args.max_requests, args.seed + k
        )

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(len(work))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 2 * REQUEST_TIMEOUT_S)
    seconds = time.perf_counter() - started
    hung = sum(thread.is_alive() for thread in threads)
    by_kind: dict[str, list[float]] = {}
    errors: list[dict] = []
    for item, tally in zip(work, tallies, strict=True):
        if tally is None:
            continue
        errors += [e | {"user": item["user"], "how": item["how"]} for e in tally.errors]
        for kind, ms in tally.ms.items():
            by_kind.setdefault(kind, []).extend(ms)
    every = [ms for values in by_kind.values() for ms in values]
    return {
        "seconds": round(seconds, 1),
        "requests": len(every) + sum("error" in e for e in errors),
        "requests_per_s": round(len(every) / seconds, 1),
        "all": summary(every, seconds),
        "kinds": {kind: summary(ms, seconds) for kind, ms in sorted(by_kind.items())},
        "errors": len(errors) + hung,
        "hung_clients": hung,
        "error_samples": errors[:20],
    }


def print_report(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    result = report["result"]
    table = Table(title=f"Kehu load test: {len(CLIENTS)} clients, gunicorn on loopback")
    for col in ("kind", "n", "req/s", "p50 ms", "p95 ms", "max ms"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, s in [*result["kinds"].items(), ("all", result["all"])]:
        if s["n"]:
            table.add_row(
                kind,
                str(s["n"]),
                f"{s['per_s']:.1f}",
                f"{s['p50_ms']:.1f}",
                f"{s['p95_ms']:.1f}",
                f"{s['max_ms']:.1f}",
            )
    Console().print(table)
    load_avg = report["load_average"]
    print(
        f"{result['requests']:,} requests in {result['seconds']} s: "
        f"{result['requests_per_s']} requests/s; errors: {result['errors']}; "
        f"{report['database']['customers']:,} customers; gunicorn workers: "
        f"{report['gunicorn_workers']}; load average before / after: "
        f"{load_avg['before']:.1f} / {load_avg['after']:.1f}"
    )
    for sample in result["error_samples"][:10]:
        print(f"ERROR: {sample}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per client")
    parser.add_argument("--output", type=Path, default=RESULTS / "load.json")
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        parser.error("--duration: 1 to 600 seconds")

    setup = prepare(args.customers, args.seed, requests=500)
    from kehu.customers.models import Customer

    port = free_port()
    for folder in (RESULTS, args.output.parent):
        folder.mkdir(parents=True, exist_ok=True)
    server = start_server(setup["url"], port, args.workers, RESULTS / "load-gunicorn.log")
    load_before = os.getloadavg()[0]
    try:
        result = load(args, port, setup["work"])
    finally:
        stop_server(server)
        revoke_tokens(setup["work"])
    report = {
        "benchmark": "load",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(),
        "mode": "gunicorn on 127.0.0.1, http.client clients in threads",
        "clients": [f"{user} ({how})" for user, how in CLIENTS],
        "gunicorn_workers": args.workers,
        "duration_s": args.duration,
        "database": {"customers": Customer.objects.count()},
        "build": setup["build"],
        "load_average": {"before": load_before, "after": os.getloadavg()[0]},
        "result": result,
    }
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report)
    print(f"\nwritten: {args.output}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
