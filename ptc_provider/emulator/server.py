"""HTTP server for all of moto's AWS API plus the pull-through cache rule operations.

Run it with ``python -m ptc_provider.emulator [--host HOST] [--port PORT]``.
The first line on standard output is the endpoint URL, for example
``http://127.0.0.1:54321``, printed once the server accepts connections. Logs go
to standard error. SIGINT, SIGTERM and SIGHUP stop the server with exit status
0. A port that is already in use ends it with exit status 1 and a one-line
message.

The server binds 127.0.0.1 unless ``--host`` names another address. It logs
a warning for any host that is not a loopback address, because the emulator
accepts any credentials. ``--port 0`` (the default) picks a free port.
``POST /moto-api/reset`` clears all stored state, the rules included.

Fault injection is off by default. ``--fault-rate``, ``--fault-kind`` and
``--latency-ms`` turn it on; when an option is absent, the matching
environment variable of ``ptc_provider.emulator.faults`` is used.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from ptc_provider.emulator import faults, install
from ptc_provider.emulator.dispatch import AuthorizationCheck

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 0
LISTEN_BACKLOG = 128

logger = logging.getLogger(__name__)

DESCRIPTION = (
    "Serve all of moto's AWS API plus the ECR pull-through cache rule "
    "operations. Prints the endpoint URL as the first line of standard output "
    "once the server accepts connections."
)
EPILOG = f"""\
fault injection (off by default; affects only the pull-through cache rule
operations; each option falls back to its environment variable):
  --fault-rate / {faults.FAULT_RATE_ENV}
      fraction of calls that fail, from 0 to 1
  --fault-kind / {faults.FAULT_KIND_ENV}
      throttling: ThrottlingException with HTTP 400
      server-error: ServerException with HTTP 500
  --latency-ms / {faults.LATENCY_MS_ENV}
      milliseconds added to every call, from 0 to {faults.MAX_LATENCY_MS}

POST /moto-api/reset clears all stored state. SIGINT, SIGTERM or SIGHUP stops
the server with exit status 0.
"""


def _argument_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from err

    return convert


def parse_port(text: str) -> int:
    """Parse a TCP port number from 0 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1

    if not 0 <= port <= 65535:
        raise ValueError(f"invalid port {text!r}: expected a number from 0 to 65535")

    return port


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser of the server."""
    parser = argparse.ArgumentParser(
        prog="python -m ptc_provider.emulator",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="address to bind (default: %(default)s); other than loopback "
        "logs a warning",
    )
    parser.add_argument(
        "--port",
        type=_argument_type(parse_port),
        default=DEFAULT_PORT,
        help="TCP port to bind; 0 picks a free port (default: %(default)s)",
    )
    parser.add_argument(
        "--fault-rate",
        type=_argument_type(faults.parse_fault_rate),
        metavar="F",
        help="fraction of pull-through cache rule calls that fail, 0 to 1",
    )
    parser.add_argument(
        "--fault-kind",
        type=_argument_type(faults.parse_fault_kind),
        metavar="{throttling,server-error}",
        help="error returned by failing calls (default: throttling)",
    )
    parser.add_argument(
        "--latency-ms",
        type=_argument_type(faults.parse_latency_ms),
        metavar="N",
        help="milliseconds of delay added to every pull-through cache rule call",
    )
    return parser


def resolve_fault_settings(
    parser: argparse.ArgumentParser, arguments: argparse.Namespace
) -> faults.FaultSettings:
    """Combine the fault options with the environment variables they override."""
    try:
        settings = faults.FaultSettings.from_environment()
    except ValueError as err:
        parser.error(str(err))

    return faults.FaultSettings(
        rate=settings.rate if arguments.fault_rate is None else arguments.fault_rate,
        kind=settings.kind if arguments.fault_kind is None else arguments.fault_kind,
        latency_ms=(
            settings.latency_ms
            if arguments.latency_ms is None
            else arguments.latency_ms
        ),
    )


def is_loopback(host: str) -> bool:
    """Return whether ``host`` names a loopback address."""
    if host.lower() == "localhost":
        return True

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def format_url(host: str, port: int) -> str:
    """Return the endpoint URL for a bound host and port."""
    host = host.strip("[]")
    if ":" in host:
        host = f"[{host}]"

    return f"http://{host}:{port}"


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind a listening socket to ``host`` and ``port``.

    Raises OSError when the address cannot be resolved or bound.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    address = socket.getaddrinfo(
        host.strip("[]"), port, family, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
    )[0][4]

    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(LISTEN_BACKLOG)
    except OSError:
        listener.close()
        raise

    return listener


def describe_bind_error(host: str, port: int, err: OSError) -> str:
    """Return a one-line message for a failure to listen on ``host:port``."""
    if err.errno == errno.EADDRINUSE:
        return (
            f"error: cannot listen on {host}:{port}: port {port} is already in use. "
            "Stop the program using it, or choose another port with --port."
        )

    reason = err.strerror or str(err)
    return f"error: cannot listen on {host}:{port}: {reason}."


def install_stop_handlers() -> threading.Event:
    """Make SIGINT, SIGTERM and SIGHUP set the returned event instead of exiting.

    SIGHUP, which a closing terminal sends, would otherwise end the process with
    exit status 129. Platforms without SIGHUP handle the other two.
    """
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        logger.info("Received %s, stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, request_stop)
    return stop


def build_application() -> AuthorizationCheck:
    """Build the WSGI application of the server: moto's router behind checks."""
    install()
    return AuthorizationCheck(DomainDispatcherApplication(create_backend_app))


def serve(host: str, port: int) -> int:
    """Run the server until SIGINT, SIGTERM or SIGHUP; return the exit status."""
    stop = install_stop_handlers()

    if not is_loopback(host):
        logger.warning(
            "Binding %s, which is not a loopback address. Other hosts can reach "
            "the emulator, and it accepts any credentials.",
            host,
        )

    try:
        listener = bind_socket(host, port)
    except OSError as err:
        print(describe_bind_error(host, port, err), file=sys.stderr, flush=True)
        return 1

    application = build_application()
    server = make_server(
        host,
        port,
        application,
        threaded=True,
        request_handler=MotoRequestHandler,
        fd=listener.fileno(),
    )
    listener.close()

    serving = threading.Thread(
        target=server.serve_forever, name="emulator-server", daemon=True
    )
    serving.start()

    try:
        url = format_url(host, server.socket.getsockname()[1])
        logger.info("Serving on %s", url)
        print(url, flush=True)

        # A timeout keeps the main thread waking up, so signal handlers run
        # promptly.
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        serving.join()
        server.server_close()
    logger.info("Stopped")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, then run the server; returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    settings = resolve_fault_settings(parser, arguments)

    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    os.environ.update(settings.to_environment())
    if settings.rate or settings.latency_ms:
        logger.info(
            "Fault injection on: rate %s, kind %s, latency %d ms",
            settings.rate,
            settings.kind,
            settings.latency_ms,
        )

    return serve(arguments.host, arguments.port)
