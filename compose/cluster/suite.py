"""The cluster test suite: issue 7's six properties, checked against a running cluster through real sockets.

Each test returns its measurements and records every failed expectation (so one run shows all of them). Tests that
kill or restart processes need a cluster that can control them (`LocalCluster`); against a compose stack they are
reported as skipped. Load is paced and bounded (see load.py); the tenant in each rate-limit path is fresh, so
every run starts with a full bucket and a rerun against a live stack needs no reset.
"""

import http.client
import json
import secrets
import threading
import time
import traceback
import urllib.parse

import testkeys
from load import LoadRun
from topology import Cluster, redis_dbsize

# compose/portico-cluster.json, `/tenants/{tenant}/orders`: 50 per second per tenant, burst 50, cluster-wide.
RATE = 50.0
CAPACITY = 50.0


class Expectations:
    """Collects failed expectations instead of stopping at the first."""

    def __init__(self):
        self.failures: list = []

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.failures.append(message)


def request(url: str, path: str, headers: dict | None = None, method: str = "GET", timeout: float = 5.0):
    """(status, headers, body bytes) of one request."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def tenant_path(scenario: str):
    tenant = f"{scenario}-{secrets.token_hex(4)}"
    return lambda _: f"/tenants/{tenant}/orders"


def limit_outcomes(report, e: Expectations) -> tuple:
    """(admitted, refused); every other answer is a failure."""
    admitted = report.count(lambda o: o.status == 200)
    refused = report.count(lambda o: o.status == 429 and o.retry_after)
    e.expect(len(report.outcomes) == report.planned,
             f"{report.planned - len(report.outcomes)} planned requests were never sent")
    e.expect(admitted + refused == len(report.outcomes),
             f"answers other than 200 / 429+Retry-After: {report.statuses()}; first errors: "
             f"{[o.error for o in report.errors()[:3]]}")
    return admitted, refused


def bounds(report, admitted: int, e: Expectations, floor: float | None = 0.99) -> dict:
    # Every decision happened between the first send and the last answer (upper bound), and load above the rate
    # was offered at least between the first answer and the last send (lower bound).
    outer = report.last_done() - report.first_sent()
    inner = max(0.0, report.last_sent() - report.first_done())
    ceiling = CAPACITY + RATE * outer
    e.expect(admitted <= ceiling, f"admitted {admitted} > capacity + rate × {outer:.3f} s = {ceiling:.1f}")
    result = {"admitted": admitted, "ceiling": round(ceiling, 1), "window_s": round(outer, 3)}
    if floor is not None:
        minimum = floor * (CAPACITY + RATE * inner)
        e.expect(admitted >= minimum, f"admitted {admitted} < {floor:.0%} of capacity + rate × {inner:.3f} s = "
                                      f"{minimum:.1f}")
        result["floor"] = round(minimum, 1)
    result["admitted_of_ceiling"] = f"{admitted / ceiling:.2%}"
    return result


def per_instance(report, cluster: Cluster, admitted: int, e: Expectations, check_local: bool = True) -> dict:
    window = report.last_done() - report.first_sent()
    seen: dict = {}
    for outcome in report.outcomes:
        if outcome.upstream:
            seen[outcome.upstream] = seen.get(outcome.upstream, 0) + 1
    e.expect(len(seen) == len(cluster.instance_urls), f"load reached {len(seen)} instances: {seen}")
    # What the same bucket, kept per instance, would have admitted: each instance alone admits up to the limit.
    alone = sum(min(count, CAPACITY + RATE * window) for count in seen.values())
    if check_local:
        e.expect(alone >= 1.5 * admitted, f"instances alone would admit {alone:.0f}, not far more than {admitted}")
    return {"requests_per_instance": dict(sorted(seen.items())), "instances_alone_would_admit": round(alone)}


# --- the tests ------------------------------------------------------------------------------------------------
def test_rate_limit_double(cluster: Cluster, e: Expectations) -> dict:
    return _rate_limit_at(cluster, e, 2)


def test_rate_limit_quintuple(cluster: Cluster, e: Expectations) -> dict:
    return _rate_limit_at(cluster, e, 5)


def _rate_limit_at(cluster: Cluster, e: Expectations, multiple: int) -> dict:
    report = LoadRun(cluster.lb_url, tenant_path(f"x{multiple}"), rate=RATE * multiple, duration=5).run()
    admitted, refused = limit_outcomes(report, e)
    result = {"offered": len(report.outcomes), "refused": refused}
    result.update(bounds(report, admitted, e))
    result.update(per_instance(report, cluster, admitted, e))
    return result


def test_rate_limit_instance_killed(cluster: Cluster, e: Expectations) -> dict:
    run = LoadRun(cluster.lb_url, tenant_path("kill"), rate=RATE * 3, duration=6).start()
    time.sleep(1.5)  # the schedule: kill a third of the way in, restart at about two thirds
    killed_at = time.monotonic()
    cluster.kill_gateway(1)
    time.sleep(1.5)
    restarted_at = time.monotonic()
    cluster.start_gateway(1)
    healthy_at = time.monotonic()
    report = run.wait()
    admitted, refused = limit_outcomes(report, e)
    result = {"offered": len(report.outcomes), "refused": refused, "restart_to_healthy_s":
              round(healthy_at - restarted_at, 3)}
    result.update(bounds(report, admitted, e, floor=None))
    killed = cluster.instance_urls[1].split("//")[1]
    after = report.count(lambda o: o.upstream == killed and o.sent > healthy_at)
    during = report.count(lambda o: o.upstream == killed and killed_at + 0.05 < o.sent < restarted_at)
    e.expect(during == 0, f"{during} requests answered by the killed instance while it was down")
    e.expect(after > 0, "the restarted instance served nothing after it was healthy again")
    result.update({"answered_by_restarted_instance": after, "unanswered": len(report.errors())})
    return result


def test_rate_limit_redis_outage(cluster: Cluster, e: Expectations) -> dict:
    run = LoadRun(cluster.lb_url, tenant_path("redis"), rate=RATE * 3, duration=8).start()
    time.sleep(2.0)
    killed_at = time.monotonic()
    cluster.kill_redis()
    time.sleep(2.5)
    restarted_at = time.monotonic()
    cluster.start_redis()
    # Cluster decisions resumed when a decision reaches the new, empty Redis (the bucket key reappears).
    resumed_at = None
    while time.monotonic() < restarted_at + 3:
        if redis_dbsize(cluster.redis_address) > 0:
            resumed_at = time.monotonic()
            break
        time.sleep(0.02)
    report = run.wait()
    admitted, refused = limit_outcomes(report, e)
    result = {"offered": len(report.outcomes), "admitted": admitted, "refused": refused}

    # The failure policy is `local` with expected_instances 3: each instance admits a third of the limit, so the
    # cluster keeps admitting about its limit. Local buckets may start full (a burst of `capacity` in all).
    outage = [o for o in report.outcomes if killed_at <= o.sent < restarted_at]
    outage_admitted = sum(1 for o in outage if o.status == 200)
    length = restarted_at - killed_at
    e.expect(outage_admitted <= 2 * CAPACITY + RATE * length,
             f"during the outage {outage_admitted} admitted > 2 × capacity + rate × {length:.2f} s")
    e.expect(outage_admitted >= 0.5 * RATE * length,
             f"during the outage only {outage_admitted} admitted: the local policy should admit about the limit")
    result.update({"outage_s": round(length, 3), "outage_admitted": outage_admitted,
                   "outage_limit_rate_x_t": round(RATE * length, 1)})

    latencies = sorted(o.latency for o in report.outcomes)
    worst = latencies[-1] if latencies else 0.0
    e.expect(worst <= 1.0, f"slowest answer {worst * 1000:.0f} ms: decisions should stay bounded")
    result.update({"latency_p50_ms": round(report.latency_percentile(0.5) * 1000, 1),
                   "latency_p99_ms": round(report.latency_percentile(0.99) * 1000, 1),
                   "latency_max_ms": round(worst * 1000, 1)})

    e.expect(resumed_at is not None and resumed_at - restarted_at <= 1.5,
             "cluster decisions did not reach the restarted Redis within 1.5 s")
    if resumed_at is not None:
        result["redis_resume_s"] = round(resumed_at - restarted_at, 3)
        settled = resumed_at + 0.2
        after = [o for o in report.outcomes if o.sent >= settled]
        if after:
            after_admitted = sum(1 for o in after if o.status == 200)
            span = max(o.done for o in after) - settled
            # The new Redis starts with a full bucket: capacity + rate × t again, and no more.
            e.expect(after_admitted <= CAPACITY + RATE * span,
                     f"after Redis returned {after_admitted} admitted > capacity + rate × {span:.2f} s")
            result.update({"after_resume_admitted": after_admitted,
                           "after_resume_ceiling": round(CAPACITY + RATE * span, 1)})
    return result


def test_jwt_every_instance(cluster: Cluster, e: Expectations) -> dict:
    key = cluster.key
    valid = testkeys.mint_token(key)
    other_key = testkeys.generate_rsa_key()
    invalid = {
        "signed by another key with the same kid": testkeys.mint_token(other_key),
        "expired": testkeys.mint_token(key, now=time.time() - 3600, lifetime=600),
        "wrong audience": testkeys.mint_token(key, aud="https://other-api.portico-cluster.test"),
        "wrong issuer": testkeys.mint_token(key, iss="https://other-idp.portico-cluster.test/"),
        "unknown kid": testkeys.mint_token(key, kid="not-in-the-jwks"),
        "tampered payload": _tampered(valid),
    }
    accepted, rejected = 0, 0
    for url in cluster.instance_urls + [cluster.lb_url]:
        status, _, body = request(url, "/accounts/7", {"Authorization": f"Bearer {valid}"})
        e.expect(status == 200 and b"Cluster Test Account" in body, f"{url}: valid token answered {status} {body!r}")
        accepted += status == 200
        for reason, token in invalid.items():
            status, headers, _ = request(url, "/accounts/7", {"Authorization": f"Bearer {token}"})
            e.expect(status == 401, f"{url}: token {reason} answered {status}, not 401")
            rejected += status == 401
        status, headers, _ = request(url, "/accounts/7")
        e.expect(status == 401 and headers.get("www-authenticate", "").startswith("Bearer"),
                 f"{url}: no token answered {status} {headers.get('www-authenticate')}")
    return {"targets": len(cluster.instance_urls) + 1, "valid_accepted": accepted,
            "invalid_rejected": rejected, "invalid_kinds": len(invalid)}


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(testkeys.base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    return ".".join([header, testkeys.b64url(json.dumps(claims).encode()), signature])


def _backend_total(url: str) -> int:
    _, headers, _ = request(url, "/__mock/requests")
    return int(headers.get("x-mock-request-total", "-1"))


def test_circuit_breaker(cluster: Cluster, e: Expectations) -> dict:
    flaky = cluster.flaky_backend_url
    request(flaky, "/__mock/reset", method="POST")
    for url in cluster.instance_urls:
        status, _, _ = request(url, "/inventory")
        e.expect(status == 200, f"{url}/inventory answered {status} before any fault")
    request(flaky, "/__mock/fail?status=500", method="POST")
    try:
        # max_errors 2: each instance's breaker opens on its third consecutive failure.
        for url in cluster.instance_urls:
            statuses = [request(url, "/inventory")[0] for _ in range(3)]
            e.expect(statuses == [502, 502, 502], f"{url}: failing backend answered {statuses}, not 502 ×3")
        reached = _backend_total(flaky)
        fast = []
        for url in cluster.instance_urls:
            for _ in range(10):
                began = time.monotonic()
                status = request(url, "/inventory")[0]
                fast.append(time.monotonic() - began)
                e.expect(status == 503, f"{url}: an open breaker answered {status}, not 503")
        after = _backend_total(flaky)
        e.expect(after == reached, f"the failing backend was still called {after - reached} times with every "
                                   "breaker open")
        # The other backends keep serving, directly and inside an aggregate next to the failing one.
        healthy = 0
        for url in cluster.instance_urls:
            status, _, body = request(url, "/orders")
            e.expect(status == 200 and b"cluster-test widget" in body, f"{url}/orders answered {status}")
            healthy += status == 200
            status, headers, body = request(url, "/storefront")
            e.expect(status == 200 and b'"orders"' in body and headers.get("x-krakend-completed") == "false",
                     f"{url}/storefront answered {status}, completed={headers.get('x-krakend-completed')}")
        report = LoadRun(cluster.lb_url, lambda _: "/orders", rate=100, duration=1).run()
        e.expect(report.statuses() == {200: 100}, f"/orders through the load balancer: {report.statuses()}")
        return {"backend_calls_while_open": after - reached, "open_breaker_max_ms": round(max(fast) * 1000, 1),
                "healthy_answers": healthy, "lb_orders": report.statuses()}
    finally:
        request(flaky, "/__mock/reset", method="POST")


def test_rolling_restart(cluster: Cluster, e: Expectations) -> dict:
    run = LoadRun(cluster.lb_url, lambda _: "/orders", rate=100, duration=60).start()
    time.sleep(0.5)
    drains, restarts, in_flight = [], [], []
    for index, url in enumerate(cluster.instance_urls):
        # Requests in flight on the instance itself when SIGTERM arrives (the backend answers after 400 ms) must
        # finish: the load balancer would hide a dropped GET by retrying it, a direct client would not.
        slow = _SlowRequests(url, "/reports/daily", count=4)
        time.sleep(0.15)
        drains.append(round(cluster.stop_gateway(index), 3))
        in_flight.append(slow.statuses())
        e.expect(in_flight[-1] == [200] * 4, f"{url}: requests in flight at SIGTERM answered {in_flight[-1]}")
        began = time.monotonic()
        cluster.start_gateway(index)
        restarts.append(round(time.monotonic() - began, 3))
        time.sleep(1.2)  # past the load balancer's 1 s fail_timeout, so the next stop never leaves one instance
    run.stop()
    report = run.wait()
    failed = [o for o in report.outcomes if o.status != 200]
    e.expect(not failed, f"{len(failed)} failed requests during the rolling restart: "
                         f"{report.statuses()} {[o.error for o in failed[:3]]}")
    e.expect(len(report.outcomes) >= 300, f"only {len(report.outcomes)} requests were sent")
    return {"requests": len(report.outcomes), "failed": len(failed), "statuses": report.statuses(),
            "in_flight_at_sigterm": in_flight, "drain_s": drains, "restart_to_healthy_s": restarts}


class _SlowRequests:
    """`count` concurrent GETs on their own connections, started now; `statuses()` waits for them (bounded)."""

    def __init__(self, url: str, path: str, count: int):
        self._statuses = [0] * count
        self._threads = [threading.Thread(target=self._get, args=(url, path, i), daemon=True) for i in range(count)]
        for thread in self._threads:
            thread.start()

    def _get(self, url: str, path: str, slot: int) -> None:
        try:
            self._statuses[slot] = request(url, path, timeout=5.0)[0]
        except (OSError, http.client.HTTPException):
            self._statuses[slot] = 0

    def statuses(self) -> list:
        for thread in self._threads:
            thread.join(timeout=6.0)
        return list(self._statuses)


TESTS = [
    ("cluster-wide rate limit at 2x the limit", test_rate_limit_double, False),
    ("cluster-wide rate limit at 5x the limit", test_rate_limit_quintuple, False),
    ("rate limit with one instance killed and restarted", test_rate_limit_instance_killed, True),
    ("rate limit with Redis killed and restarted", test_rate_limit_redis_outage, True),
    ("JWT accepted / rejected by every instance", test_jwt_every_instance, False),
    ("circuit breaker trips, other backends serve", test_circuit_breaker, False),
    ("graceful rolling restart under load", test_rolling_restart, True),
]


def run_suite(cluster: Cluster, only: str | None = None, log=print) -> bool:
    """Runs every test (or those whose name contains `only`); prints results; True when none failed."""
    passed = failed = skipped = 0
    for name, test, needs_control in TESTS:
        if only and only not in name and only != test.__name__:
            continue
        if needs_control and not cluster.can_control:
            log(f"SKIP {name} (needs process control: run compose/run-local.sh)")
            skipped += 1
            continue
        e = Expectations()
        began = time.monotonic()
        try:
            result = test(cluster, e)
        except Exception:  # a crash in a test is a failure of that test, and the others still run
            e.failures.append(traceback.format_exc())
            result = {}
        seconds = time.monotonic() - began
        verdict = "PASS" if not e.failures else "FAIL"
        log(f"{verdict} {name} ({seconds:.1f} s) {json.dumps(result)}")
        for failure in e.failures:
            log(f"     - {failure}")
        passed += not e.failures
        failed += bool(e.failures)
    log(f"cluster suite: {passed} passed, {failed} failed, {skipped} skipped")
    return failed == 0
