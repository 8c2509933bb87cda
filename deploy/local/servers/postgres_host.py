# ruff: noqa: S603, S607  (runs pg_config and useradd with fixed arguments)
"""Where PostgreSQL runs on this machine: its server binaries, and the OS user that may run them."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from .process import ServerError


def find_pg_bindir() -> Path:
    """Where initdb/pg_ctl live: $SWITCHBOARD_PG_BIN, the newest /usr/lib/postgresql/*/bin, or PATH."""
    env = os.environ.get("SWITCHBOARD_PG_BIN")
    if env:
        return Path(env)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    if candidates:
        return candidates[0].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    raise ServerError(
        "PostgreSQL server binaries not found: install Debian's `postgresql` package "
        "(.ci/install-deps.sh does) or set SWITCHBOARD_PG_BIN"
    )


def os_user_for_postgres() -> pwd.struct_passwd | None:
    """The OS user that runs postgres: None when we are not root; else `postgres` (created if missing)."""
    if os.geteuid() != 0:
        return None
    for name in (os.environ.get("SWITCHBOARD_PG_OS_USER"), "postgres"):
        if not name:
            continue
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    name = os.environ.get("SWITCHBOARD_PG_OS_USER") or "postgres"
    subprocess.run(
        ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", name],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return pwd.getpwnam(name)


def can_traverse(path: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` can reach ``path`` (x permission on it and every ancestor that exists)."""
    groups = {user.pw_gid} | {g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem}
    for p in [path, *path.parents]:
        if not p.exists():
            continue
        st = p.stat()
        if st.st_uid == user.pw_uid:
            ok = st.st_mode & 0o100
        elif st.st_gid in groups:
            ok = st.st_mode & 0o010
        else:
            ok = st.st_mode & 0o001
        if not ok:
            return False
    return True
