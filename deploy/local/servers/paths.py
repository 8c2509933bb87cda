"""Where the servers' inputs live in the repository, and their defaults."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
KAFKA_DEPLOY = REPO / "deploy" / "kafka"
POM = KAFKA_DEPLOY / "pom.xml"
LOG4J = KAFKA_DEPLOY / "log4j.properties"
TARGET = KAFKA_DEPLOY / "target"
CLASSPATH_FILE = TARGET / "classpath.txt"
DEFAULT_DATA_DIR = Path(os.environ.get("SWITCHBOARD_VAR_DIR") or REPO / "var")
LOOPBACK = "127.0.0.1"

KAFKA_DEFAULT_PORT = 9092
KAFKA_DEFAULT_CONTROLLER_PORT = 9093
POSTGRES_DEFAULT_PORT = 55432
DEFAULT_HEAP = "-Xms256m -Xmx512m"
PG_ROLE = "switchboard"
PG_DATABASE = "switchboard"
