"""Local Apache Kafka (single KRaft node) and a throwaway PostgreSQL cluster for Switchboard.

One implementation for ``make up``/``make down`` (deploy/local/up.sh, down.sh) and the integration
test harness (tests/harness.py loads this package by path). Standard library only.

    python3 deploy/local/servers [--data-dir DIR] kafka fetch
    python3 deploy/local/servers [--data-dir DIR] kafka start [--port P] [--controller-port P] [--timeout S]
    python3 deploy/local/servers [--data-dir DIR] kafka stop [--kill] [--purge] [--timeout S]
    python3 deploy/local/servers [--data-dir DIR] kafka status
    python3 deploy/local/servers [--data-dir DIR] postgres start [--port P] [--timeout S]
    python3 deploy/local/servers [--data-dir DIR] postgres stop [--kill] [--purge]
    python3 deploy/local/servers [--data-dir DIR] postgres status
    python3 deploy/local/servers [--data-dir DIR] watch PID [--purge]
    python3 deploy/local/servers free-port [COUNT]

``start`` is idempotent (a running server is left alone) and prints one line on stdout: the
bootstrap address (``127.0.0.1:9092``) or the SQLAlchemy database URL
(``postgresql+asyncpg://switchboard@127.0.0.1:55432/switchboard``). ``--port 0`` picks a free
loopback port; no ``--port`` reuses the data dir's previous port, else the default (Kafka 9092,
controller 9093, PostgreSQL 55432). ``status`` exits 0 when running and answering, 3 when
stopped, 1 when the process is up but not answering. Progress goes to stderr; server output
goes to DIR/log/ (kafka-server.log, kafka.out, postgres.log), never to the terminal.

Layout under the data dir (default ./var, or $SWITCHBOARD_VAR_DIR):
    kafka/server.properties  kafka/data/  kafka/kafka.pid
    postgres/data/           (a symlink to /tmp/switchboard-pg-* when running as root and the
                              PostgreSQL user cannot reach the data dir, e.g. under /root)
    log/

Modules: ``process`` (ports, pids, stopping), ``kafka_wire`` (a Metadata request), ``kafka_jars``
(Maven, java), ``kafka`` (the broker), ``postgres_host`` and ``postgres`` (the cluster), ``cli``.
"""

from .cli import main, watch
from .kafka import KafkaServer
from .kafka_jars import fetch_kafka
from .kafka_wire import Broker, Metadata, kafka_metadata
from .postgres import PostgresServer
from .process import ServerError, free_port, pid_alive, port_open, stop_pid
from .status import ServerStatus

__all__ = [
    "Broker",
    "KafkaServer",
    "Metadata",
    "PostgresServer",
    "ServerError",
    "ServerStatus",
    "fetch_kafka",
    "free_port",
    "kafka_metadata",
    "main",
    "pid_alive",
    "port_open",
    "stop_pid",
    "watch",
]
