"""A paced, bounded HTTP load generator for the cluster suite (standard library only).

Requests are scheduled at a fixed rate (open loop): request i is due at start + i / rate, whatever happened to the
earlier ones, so a slow or restarting gateway cannot quietly lower the offered load. Worker threads each keep one
keep-alive connection; a broken connection is recorded as a failed request and replaced. Every run is bounded in
requests (rate × duration) and in time (each request has a timeout).
"""

import http.client
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One request: when it was sent and answered (monotonic seconds), its status (0: no answer) and details."""

    sent: float
    done: float
    status: int
    upstream: str = ""
    retry_after: bool = False
    completed: str = ""
    error: str = ""

    @property
    def latency(self) -> float:
        return self.done - self.sent


@dataclass
class LoadReport:
    """Every outcome of a run, in send order, with the run's schedule."""

    rate: float
    planned: int
    outcomes: list = field(default_factory=list)

    def count(self, predicate) -> int:
        return sum(1 for outcome in self.outcomes if predicate(outcome))

    def statuses(self) -> dict:
        counts: dict = {}
        for outcome in self.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return dict(sorted(counts.items()))

    def errors(self) -> list:
        return [outcome for outcome in self.outcomes if outcome.status == 0]

    def first_sent(self) -> float:
        return min(outcome.sent for outcome in self.outcomes)

    def last_sent(self) -> float:
        return max(outcome.sent for outcome in self.outcomes)

    def first_done(self) -> float:
        return min(outcome.done for outcome in self.outcomes)

    def last_done(self) -> float:
        return max(outcome.done for outcome in self.outcomes)

    def latency_percentile(self, fraction: float) -> float:
        latencies = sorted(outcome.latency for outcome in self.outcomes)
        return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] if latencies else 0.0


class LoadRun:
    """GET `path_for(i)` on `base_url` at `rate` requests per second until `planned` were sent or `stop()`."""

    def __init__(self, base_url: str, path_for, rate: float, duration: float, workers: int = 16,
                 timeout: float = 5.0, headers: dict | None = None):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.path_for = path_for
        self.rate = rate
        self.planned = int(rate * duration)
        self.timeout = timeout
        self.headers = headers or {}
        self.report = LoadReport(rate=rate, planned=self.planned)
        self._lock = threading.Lock()
        self._next = 0
        self._stopped = False
        self._results: list = [None] * self.planned
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(workers)]
        self.started_at = 0.0

    def start(self) -> "LoadRun":
        self.started_at = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Sends nothing more; requests in flight still finish."""
        with self._lock:
            self._stopped = True

    def wait(self) -> LoadReport:
        # Bounded: every worker ends after its last due request answers or times out.
        for thread in self._threads:
            thread.join(timeout=self.planned / self.rate + 4 * self.timeout + 5)
        self.report.outcomes = [outcome for outcome in self._results if outcome is not None]
        return self.report

    def run(self) -> LoadReport:
        return self.start().wait()

    def _take(self):
        with self._lock:
            if self._stopped or self._next >= self.planned:
                return None
            index = self._next
            self._next += 1
            return index

    def _work(self) -> None:
        connection = None
        while (index := self._take()) is not None:
            delay = self.started_at + index / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if connection is None:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            sent = time.monotonic()
            try:
                connection.request("GET", self.path_for(index), headers=self.headers)
                response = connection.getresponse()
                response.read()
                upstream = (response.getheader("X-Portico-Upstream") or "").split(",")[-1].strip()
                self._results[index] = Outcome(
                    sent=sent, done=time.monotonic(), status=response.status, upstream=upstream,
                    retry_after=response.getheader("Retry-After") is not None,
                    completed=response.getheader("X-Krakend-Completed") or "",
                )
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                self._results[index] = Outcome(sent=sent, done=time.monotonic(), status=0,
                                               error=f"{type(error).__name__}: {error}")
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
