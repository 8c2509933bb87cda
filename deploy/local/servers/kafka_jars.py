# ruff: noqa: S603  (runs mvn with fixed arguments)
"""The Kafka broker's jars, resolved from Maven Central by deploy/kafka/pom.xml, and the JVM that runs them."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

from .paths import CLASSPATH_FILE, KAFKA_DEPLOY, POM, TARGET
from .process import ServerError, say, tail


def find_java() -> str:
    """``$JAVA_HOME/bin/java``, else ``java`` on the PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if not java:
        raise ServerError("java not found: install openjdk-17-jdk-headless (.ci/install-deps.sh does)")
    return java


def _classpath_fresh() -> bool:
    if not CLASSPATH_FILE.exists() or CLASSPATH_FILE.stat().st_mtime < POM.stat().st_mtime:
        return False
    entries = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    return bool(entries) and all(Path(e).is_file() for e in entries)


def _resolve_classpath(mvn: str) -> None:
    log = TARGET / "mvn.log"
    t0 = time.monotonic()
    say("fetching Kafka jars with Maven (first time only) ...")
    tmp = CLASSPATH_FILE.with_suffix(".tmp")
    goal = ["dependency:build-classpath", f"-Dmdep.outputFile={tmp}", "-Dmdep.includeScope=runtime"]
    with open(log, "w") as out:
        rc = subprocess.call(
            [mvn, "-B", "-q", "-f", str(POM), *goal],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=KAFKA_DEPLOY,
        )
    if rc != 0 or not tmp.exists():
        raise ServerError(f"mvn failed (exit {rc}); {log}:\n{tail(log)}")
    os.replace(tmp, CLASSPATH_FILE)
    say(f"Kafka jars ready in {time.monotonic() - t0:.1f}s")


def fetch_kafka(force: bool = False) -> str:
    """Resolve the broker's jars from Maven Central (cached in ~/.m2); return the classpath."""
    TARGET.mkdir(parents=True, exist_ok=True)
    with open(TARGET / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent starters (xdist workers) fetch once
        if force or not _classpath_fresh():
            mvn = shutil.which("mvn")
            if not mvn:
                raise ServerError("mvn not found: install maven (.ci/install-deps.sh does)")
            _resolve_classpath(mvn)
    return CLASSPATH_FILE.read_text().strip()
