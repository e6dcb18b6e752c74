"""The cluster the suite runs against: local processes on loopback ports, or an already running compose stack.

`LocalCluster` starts the docker-compose topology as plain processes — `redis-server`, two mock backends, a JWKS
server (a mock backend serving a generated key set), three `portico` instances and nginx — from the same files
compose uses (compose/portico-cluster.json, compose/backends/*.json, compose/nginx/portico-lb.conf), with the
service host names rewritten to 127.0.0.1 and free ports. It can kill, stop and restart instances and Redis.
Every process gets PR_SET_PDEATHSIG, so none outlives this Python process even if it is killed with SIGKILL.

`RemoteCluster` only knows URLs (the compose test-runner); it cannot control processes.
"""

import ctypes
import grp
import http.client
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import time
import urllib.parse

import testkeys

COMPOSE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSTANCES = 3
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: the kernel sends SIGKILL when the forking thread exits.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_status(url: str, timeout: float = 1.0, headers: dict | None = None) -> int:
    """The status of GET url, or 0 when nothing answered."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=timeout)
    try:
        connection.request("GET", parsed.path or "/", headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        connection.close()


def redis_command(address: str, *words: str, timeout: float = 0.5) -> bytes:
    """One RESP command; the raw reply (enough for integer replies like DBSIZE). Raises OSError when down."""
    host, port = address.rsplit(":", 1)
    payload = f"*{len(words)}\r\n".encode() + b"".join(f"${len(w)}\r\n{w}\r\n".encode() for w in words)
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(payload)
        return connection.recv(4096)


def redis_dbsize(address: str) -> int:
    """DBSIZE, or -1 when Redis does not answer."""
    try:
        reply = redis_command(address, "DBSIZE")
        return int(reply[1:].strip()) if reply.startswith(b":") else -1
    except OSError:
        return -1


class ClusterError(Exception):
    """The topology could not be started."""


class Cluster:
    """What the suite needs to know about a cluster."""

    lb_url: str
    instance_urls: list
    flaky_backend_url: str
    stable_backend_url: str
    redis_address: str
    key: dict
    can_control = False

    def describe(self) -> str:
        return f"lb {self.lb_url}, instances {', '.join(self.instance_urls)}, redis {self.redis_address}"


class RemoteCluster(Cluster):
    """A running stack (docker compose): URLs only."""

    def __init__(self, lb_url: str, instance_urls: list, flaky_backend_url: str, stable_backend_url: str,
                 redis_address: str, key_directory: str):
        self.lb_url = lb_url
        self.instance_urls = instance_urls
        self.flaky_backend_url = flaky_backend_url
        self.stable_backend_url = stable_backend_url
        self.redis_address = redis_address
        self.key = testkeys.read_private_key(key_directory)


class LocalCluster(Cluster):
    """The compose topology as processes on loopback ports (see the module doc)."""

    can_control = True

    def __init__(self, bin_dir: str, work_dir: str, log=print, unprivileged: bool = False):
        self.bin_dir = bin_dir
        # Run the gateways as the Docker image does: as root they would hold capabilities (CAP_NET_ADMIN, …)
        # that hide bugs a non-root process meets, so drop them all with setpriv.
        self.gateway_prefix = []
        if unprivileged and os.getuid() == 0:
            self.gateway_prefix = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]
        self.work_dir = work_dir
        self.log = log
        self.processes: dict = {}  # name -> Popen
        self.ports = {name: free_port() for name in
                      ["redis", "backend-stable", "backend-flaky", "jwks", "lb"]
                      + [f"gateway-{i}" for i in range(1, INSTANCES + 1)]}
        self.redis_address = f"127.0.0.1:{self.ports['redis']}"
        self.lb_url = f"http://127.0.0.1:{self.ports['lb']}"
        self.instance_urls = [f"http://127.0.0.1:{self.ports[f'gateway-{i}']}" for i in range(1, INSTANCES + 1)]
        self.flaky_backend_url = f"http://127.0.0.1:{self.ports['backend-flaky']}"
        self.stable_backend_url = f"http://127.0.0.1:{self.ports['backend-stable']}"
        self.key = {}

    # --- start-up ------------------------------------------------------------------------------------------
    def start(self) -> None:
        os.makedirs(self.work_dir, exist_ok=True)
        keys = os.path.join(self.work_dir, "keys")
        self.key = testkeys.write_key_directory(keys)
        self.config_path = self._write_gateway_config()
        self.start_redis()
        mock = os.path.join(self.bin_dir, "portico-mock-backend")
        for name, routes in [("backend-stable", os.path.join(COMPOSE_DIR, "backends", "stable.json")),
                             ("backend-flaky", os.path.join(COMPOSE_DIR, "backends", "flaky.json")),
                             ("jwks", os.path.join(keys, "jwks-routes.json"))]:
            self._spawn(name, [mock, "--host", "127.0.0.1", "--port", str(self.ports[name]), "--routes", routes])
        for name in ["backend-stable", "backend-flaky"]:
            self._wait_http(name, f"http://127.0.0.1:{self.ports[name]}/__mock/health")
        self._wait_http("jwks", f"http://127.0.0.1:{self.ports['jwks']}/jwks.json")
        for index in range(INSTANCES):
            self.start_gateway(index, wait=False)
        for index in range(INSTANCES):
            self._wait_http(f"gateway-{index + 1}", self.instance_urls[index] + "/__health")
        self._start_nginx()
        self._wait_http("lb", self.lb_url + "/__health")

    def _write_gateway_config(self) -> str:
        with open(os.path.join(COMPOSE_DIR, "portico-cluster.json")) as file:
            text = file.read()
        # The compose service names, rewritten to this run's loopback ports.
        replacements = {
            "redis:6379": self.redis_address,
            "http://backend-stable:9001": self.stable_backend_url,
            "http://backend-flaky:9002": self.flaky_backend_url,
            "http://jwks:9100": f"http://127.0.0.1:{self.ports['jwks']}",
        }
        for old, new in replacements.items():
            if old not in text:
                raise ClusterError(f"compose/portico-cluster.json no longer mentions {old}")
            text = text.replace(old, new)
        config = json.loads(text)
        config["listen_ip"] = "127.0.0.1"  # loopback only; compose listens on every interface
        path = os.path.join(self.work_dir, "portico-cluster.local.json")
        with open(path, "w") as file:
            json.dump(config, file, indent=2)
        return path

    def _start_nginx(self) -> None:
        directory = os.path.join(self.work_dir, "nginx")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(COMPOSE_DIR, "nginx", "portico-lb.conf")) as file:
            site = file.read()
        site = re.sub(r"gateway-(\d):8080", lambda m: f"127.0.0.1:{self.ports['gateway-' + m.group(1)]}", site)
        site = site.replace("listen 8080;", f"listen 127.0.0.1:{self.ports['lb']};")
        with open(os.path.join(directory, "portico-lb.conf"), "w") as file:
            file.write(site)
        flags = subprocess.run(["nginx", "-V"], capture_output=True, text=True).stderr
        temp_paths = [f"client_body_temp_path {directory}/client_body;", f"proxy_temp_path {directory}/proxy;"]
        for module in ["fastcgi", "uwsgi", "scgi"]:
            if f"--without-http_{module}_module" not in flags:
                temp_paths.append(f"{module}_temp_path {directory}/{module};")
        # As root nginx would switch to `nobody`; keep it the current user. One process (no master) so that
        # PR_SET_PDEATHSIG covers all of nginx.
        user = f"user {_user_and_group()};" if os.getuid() == 0 else ""
        conf = "\n".join([
            "# Generated by compose/cluster/topology.py for a local cluster run.",
            user, "daemon off;", "master_process off;", "worker_processes 1;",
            f"pid {directory}/nginx.pid;", f"error_log {directory}/error.log warn;",
            "events { worker_connections 4096; }",
            "http {", "    access_log off;", *("    " + line for line in temp_paths),
            f"    include {directory}/portico-lb.conf;", "}", ""])
        with open(os.path.join(directory, "nginx.conf"), "w") as file:
            file.write(conf)
        command = ["nginx", "-p", directory + "/", "-c", os.path.join(directory, "nginx.conf"),
                   "-e", os.path.join(directory, "error.log")]
        check = subprocess.run(command + ["-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise ClusterError(f"nginx rejected its configuration:\n{check.stderr}")
        self._spawn("lb", command)

    # --- control -------------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        self._spawn("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.ports["redis"]),
                              "--save", "", "--appendonly", "no", "--daemonize", "no"])
        deadline = time.monotonic() + 10
        while redis_dbsize(self.redis_address) < 0:
            self._check_alive("redis")
            if time.monotonic() > deadline:
                raise ClusterError("redis-server did not answer within 10 s")
            time.sleep(0.02)

    def kill_redis(self) -> None:
        self._kill("redis", signal.SIGKILL)

    def start_gateway(self, index: int, wait: bool = True) -> None:
        name = f"gateway-{index + 1}"
        command = [os.path.join(self.bin_dir, "portico"), "run", "-c", self.config_path, "--port",
                   str(self.ports[name]), "--event-loops", "1", "--log-level", "notice", "--shutdown-timeout", "5"]
        self._spawn(name, self.gateway_prefix + command)
        if wait:
            self._wait_http(name, self.instance_urls[index] + "/__health")

    def kill_gateway(self, index: int) -> None:
        self._kill(f"gateway-{index + 1}", signal.SIGKILL)

    def stop_gateway(self, index: int, timeout: float = 15.0) -> float:
        """SIGTERM (graceful shutdown) and wait for the exit; returns how long it took."""
        return self._kill(f"gateway-{index + 1}", signal.SIGTERM, timeout)

    def stop(self) -> None:
        """Stops everything started, load balancer first; SIGKILL for whatever ignores SIGTERM for 5 s."""
        for name in ["lb"] + [f"gateway-{i}" for i in range(INSTANCES, 0, -1)] + \
                ["jwks", "backend-flaky", "backend-stable", "redis"]:
            if name in self.processes:
                self._kill(name, signal.SIGTERM, 5.0)

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = os.path.join(self.work_dir, "logs", f"{name}.log")
        try:
            with open(path, errors="replace") as file:
                return "".join(file.readlines()[-lines:])
        except OSError:
            return ""

    # --- helpers -------------------------------------------------------------------------------------------
    def _spawn(self, name: str, command: list) -> None:
        logs = os.path.join(self.work_dir, "logs")
        os.makedirs(logs, exist_ok=True)
        with open(os.path.join(logs, f"{name}.log"), "ab") as output:
            output.write(f"--- {time.strftime('%H:%M:%S')} {' '.join(command)}\n".encode())
            output.flush()
            self.processes[name] = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                                    stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)

    def _kill(self, name: str, signum: int, timeout: float = 5.0) -> float:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return 0.0
        began = time.monotonic()
        process.send_signal(signum)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return time.monotonic() - began

    def _check_alive(self, name: str) -> None:
        process = self.processes.get(name)
        if process is None or process.poll() is not None:
            raise ClusterError(f"{name} exited during start-up; its log ends:\n{self.log_tail(name)}")

    def _wait_http(self, name: str, url: str, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while http_status(url, timeout=0.5) != 200:
            self._check_alive(name)
            if time.monotonic() > deadline:
                raise ClusterError(f"{url} did not answer 200 within {seconds:.0f} s; log:\n{self.log_tail(name)}")
            time.sleep(0.05)


def _user_and_group() -> str:
    return f"{pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name}"
