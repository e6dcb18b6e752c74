#!/usr/bin/env python3
"""Checks every endpoint of examples/storefront.json against a running gateway (see storefront-check.sh).

Each check sends one real request and compares status, headers and body with what the configuration promises.
"""
import http.client
import json
import sys
import time
import urllib.parse

BASE = urllib.parse.urlsplit(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18080")
failures = []


def request(method, path, headers=None, body=None):
    """One request on a fresh connection; returns (status, lower-cased headers, body bytes, seconds)."""
    connection = http.client.HTTPConnection(BASE.hostname, BASE.port, timeout=10)
    started = time.monotonic()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    elapsed = time.monotonic() - started
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f"  ({detail})"))
    if not condition:
        failures.append(name)


def wait_until_ready(deadline_seconds=60):
    """Polls the health endpoint until the gateway (and its backends) answer; bounded."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            status, _, _, _ = request("GET", "/__health")
            probe, _, _, _ = request("GET", "/v1/stock/ready")
            if status == 200 and probe == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gateway or backends did not come up within %ds" % deadline_seconds)


wait_until_ready()

# Aggregation + manipulation + static data (strategy "incomplete" is not applied to a complete response).
status, headers, body, _ = request("GET", "/v1/products/1")
product = json.loads(body)
check("aggregate: 200", status == 200, status)
check(
    "aggregate: merged and reshaped",
    product
    == {
        "id": "1",
        "name": "Kettle",
        "price": {"amount": 3999, "currency": "EUR"},
        "stock": {"available": 12},
        "reviews": {"average_rating": 4.5, "count": 128},
    },
    product,
)
check("aggregate: complete", headers.get("x-krakend-completed") == "true", headers)
check("aggregate: cache_ttl", headers.get("cache-control") == "public, max-age=30", headers)

# Flatmap over a collection, json-collection output.
status, _, body, _ = request("GET", "/v1/products")
check(
    "flatmap: moved and deleted per element",
    status == 200
    and json.loads(body)
    == [{"id": 1, "name": "Kettle", "price_cents": 3999}, {"id": 2, "name": "Teapot", "price_cents": 2450}],
    body,
)

# Sequential chain: the customer's id comes from the order.
status, headers, body, _ = request("GET", "/v1/orders/42")
order = json.loads(body)
check(
    "sequential: order then its customer",
    status == 200
    and order.get("order", {}).get("customer_id") == 7
    and order.get("customer") == {"name": "Ada Lovelace", "tier": "gold"},
    body,
)

# Writes with a shadow mirror: the 1.5 s audit backend never delays the client.
status, _, body, elapsed = request(
    "POST", "/v1/orders", {"Content-Type": "application/json"}, json.dumps({"sku": "K-1", "qty": 2})
)
echoed = json.loads(body) if body else {}
check("shadow: primary answered", status == 200 and echoed.get("method") == "POST", (status, body))
check("shadow: mirror did not delay the client", elapsed < 1.0, "%.2fs" % elapsed)

# Concurrent calls.
status, _, body, _ = request("GET", "/v1/stock/K-1")
check("concurrent: first good answer", status == 200 and json.loads(body).get("sku") == "K-1", body)

# XML backend, negotiated output.
status, headers, body, _ = request("GET", "/v1/feed", {"Accept": "application/json"})
feed = json.loads(body)
check(
    "xml decode: attributes as -name keys, repeated elements as arrays",
    status == 200 and feed.get("catalog", {}).get("-version") == "2" and len(feed["catalog"]["product"]) == 2,
    body,
)
status, headers, body, _ = request("GET", "/v1/feed", {"Accept": "application/xml"})
check(
    "negotiate: XML by Accept",
    status == 200 and headers.get("content-type", "").startswith("application/xml") and b"<catalog" in body,
    (headers.get("content-type"), body[:80]),
)
status, headers, body, _ = request("GET", "/v1/feed", {"Accept": "application/x-yaml"})
check(
    "negotiate: YAML by Accept",
    status == 200 and "yaml" in headers.get("content-type", "") and b"catalog:" in body,
    (headers.get("content-type"), body[:80]),
)

# Redirect followed by the backend client.
status, _, body, _ = request("GET", "/v1/legacy/products/5")
check("redirect: followed", status == 200 and json.loads(body) == {"id": "5", "name": "Kettle"}, (status, body))

# REST to GraphQL.
status, _, body, _ = request("GET", "/v1/graphql/products/9")
graphql = json.loads(body)
sent = json.loads(graphql.get("body", "{}")) if isinstance(graphql.get("body"), str) else graphql.get("body", {})
check(
    "graphql: parameter became a variable",
    status == 200 and sent.get("variables") == {"id": "9"} and sent.get("operationName") == "product",
    body,
)

# Failure as data.
status, headers, body, _ = request("GET", "/v1/products/3/recommendations")
details = json.loads(body)
check(
    "return_error_details: failure under error_recommendations",
    details.get("error_recommendations", {}).get("http_status_code") == 503
    and details.get("reviews", {}).get("count") == 128,
    body,
)

# CORS preflight, answered before routing.
status, headers, _, _ = request(
    "OPTIONS",
    "/v1/products/1",
    {"Origin": "https://shop.storefront.example", "Access-Control-Request-Method": "GET"},
)
check(
    "cors: preflight allowed for a wildcard origin",
    status in (200, 204)
    and headers.get("access-control-allow-origin") == "https://shop.storefront.example"
    and headers.get("access-control-allow-credentials") == "true",
    (status, headers),
)
status, headers, _, _ = request("GET", "/v1/products/1", {"Origin": "https://evil.example"})
check("cors: other origins get no allow header", "access-control-allow-origin" not in headers, headers)

# Echo endpoint.
status, _, body, _ = request("GET", "/__echo/hello?x=1")
check("echo endpoint", status == 200 and b"hello" in body, (status, body))

# Unknown path.
status, _, _, _ = request("GET", "/v1/nothing-here")
check("unknown path: 404", status == 404, status)

print("%d failed" % len(failures) if failures else "all storefront checks passed")
sys.exit(1 if failures else 0)
