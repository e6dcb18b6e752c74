"""Runs the cluster suite against a stack that is already up (the compose `test-runner` service).

    python3 run_suite.py --lb http://lb:8080 \
        --instances http://gateway-1:8080,http://gateway-2:8080,http://gateway-3:8080 \
        --stable http://backend-stable:9001 --flaky http://backend-flaky:9002 --redis redis:6379 --keys /keys

It cannot kill or restart containers, so the three tests that need that are skipped (compose/run-local.sh runs
them). Exit status: 0 when nothing failed, 1 otherwise, 2 when the stack did not answer.
"""

import argparse
import sys
import time

sys.dont_write_bytecode = True  # keep compose/cluster free of __pycache__

import suite
from topology import RemoteCluster, http_status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lb", required=True)
    parser.add_argument("--instances", required=True, help="comma-separated gateway base URLs")
    parser.add_argument("--stable", required=True, help="the stable mock backend's base URL")
    parser.add_argument("--flaky", required=True, help="the failing mock backend's base URL")
    parser.add_argument("--redis", required=True, help="host:port")
    parser.add_argument("--keys", required=True, help="the directory testkeys.py generated")
    parser.add_argument("--only", help="run only the tests whose name contains this")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the load balancer's health")
    arguments = parser.parse_args()
    cluster = RemoteCluster(arguments.lb, arguments.instances.split(","), arguments.flaky, arguments.stable,
                            arguments.redis, arguments.keys)
    deadline = time.monotonic() + arguments.wait
    while http_status(cluster.lb_url + "/__health") != 200:
        if time.monotonic() > deadline:
            print(f"run_suite: {cluster.lb_url}/__health did not answer 200", file=sys.stderr)
            return 2
        time.sleep(0.5)
    print(f"run_suite: {cluster.describe()}", flush=True)
    return 0 if suite.run_suite(cluster, arguments.only, log=lambda line: print(line, flush=True)) else 1


if __name__ == "__main__":
    sys.exit(main())
