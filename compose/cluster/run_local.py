"""Starts the cluster as local processes, waits for health, runs the suite, and always tears everything down.

    python3 compose/cluster/run_local.py --bin-dir .build/debug [--only NAME] [--keep] [--unprivileged]

Exit status: 0 when every test passed, 1 when one failed, 2 when the cluster could not start.
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep compose/cluster free of __pycache__

import suite
from topology import ClusterError, LocalCluster


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", required=True, help="where `portico` and `portico-mock-backend` are")
    parser.add_argument("--only", help="run only the tests whose name contains this")
    parser.add_argument("--unprivileged", action="store_true",
                        help="when root, run the gateways without any capability (as the image's non-root user)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (configs, logs)")
    arguments = parser.parse_args()
    for binary in ["portico", "portico-mock-backend"]:
        if not os.access(os.path.join(arguments.bin_dir, binary), os.X_OK):
            print(f"run_local: {arguments.bin_dir}/{binary} is missing; build it first", file=sys.stderr)
            return 2

    # SIGTERM / SIGHUP take the same path as Ctrl-C: the `finally` below stops every process.
    def interrupt(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)

    work = tempfile.mkdtemp(prefix="portico-cluster.")
    cluster = LocalCluster(os.path.abspath(arguments.bin_dir), work, unprivileged=arguments.unprivileged)
    ok = False
    began = time.monotonic()
    try:
        cluster.start()
        print(f"run_local: cluster up in {time.monotonic() - began:.1f} s ({cluster.describe()})", flush=True)
        ok = suite.run_suite(cluster, arguments.only, log=lambda line: print(line, flush=True))
    except ClusterError as error:
        print(f"run_local: the cluster did not start: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("run_local: interrupted", file=sys.stderr)
        return 130
    finally:
        cluster.stop()
        if not ok:
            for name in ["gateway-1", "gateway-2", "gateway-3", "lb", "redis"]:
                tail = cluster.log_tail(name, 8)
                if tail.strip():
                    print(f"--- last lines of {name}.log\n{tail}", file=sys.stderr)
        if arguments.keep or not ok:
            print(f"run_local: logs and configs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
        print(f"run_local: total {time.monotonic() - began:.1f} s", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
