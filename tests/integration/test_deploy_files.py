"""The deployment files parse and agree with the code: commands, ports, probes, versions.

No server needed (not marked integration): Docker and Kubernetes cannot run here, so these checks
are what keeps deploy/ honest offline.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
APP_COMMANDS = {"gateway", "router", "migrate", "adapter"}
WORKLOADS = ("Deployment", "StatefulSet", "Job")


def load_all(path: Path) -> list[dict[str, Any]]:
    with path.open() as fh:
        return [doc for doc in yaml.safe_load_all(fh) if doc is not None]


def k8s_objects() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) if path.name != "kustomization.yaml" for doc in load_all(path)]


def find(kind: str, name: str) -> dict[str, Any]:
    matches = [o for o in k8s_objects() if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def cli_commands() -> set[str]:
    from typer.main import get_command

    from switchboard.cli import app

    group = get_command(app)
    return set(getattr(group, "commands", {}))


# -- docker-compose -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_all(DEPLOY / "docker-compose.yml")[0]


def kafka_pom() -> tuple[dict[str, str | None], dict[str | None, str | None]]:
    """deploy/kafka/pom.xml's properties, and its dependencies' versions by artifact."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ET.parse(DEPLOY / "kafka" / "pom.xml").getroot()
    props = {p.tag.split("}")[1]: p.text for p in root.find("m:properties", ns) or []}
    deps = {
        d.findtext("m:artifactId", namespaces=ns): d.findtext("m:version", namespaces=ns)
        for d in root.iterfind("m:dependencies/m:dependency", ns)
    }
    return props, deps


def test_compose_runs_kafka_kraft_and_postgres(compose: dict[str, Any]) -> None:
    services = compose["services"]
    kafka_version = kafka_pom()[0]["kafka.version"]
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version}", "compose runs the broker the tests run"
    env = services["kafka"]["environment"]
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert "zookeeper" not in str(compose).lower()
    assert str(env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"]).lower() == "false"
    assert int(env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"]) == 1


def test_compose_app_services_and_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    commands = {name: svc.get("command") for name, svc in services.items()}
    assert commands["migrate"] == ["migrate"]
    assert commands["gateway"] == ["gateway"]
    assert commands["router"] == ["router"]
    assert commands["adapter-http"] == ["adapter", "http"]
    assert commands["adapter-smtp"] == ["adapter", "smtp"]
    for name in ("gateway", "adapter-http", "adapter-smtp"):
        assert "blobs:/app/var/blobs" in services[name]["volumes"], (
            "attachments written by adapters, served by the gateway"
        )
    assert services["router"]["deploy"]["replicas"] == 2
    assert "8000:8000" in services["gateway"]["ports"]
    assert "/readyz" in " ".join(services["gateway"]["healthcheck"]["test"])
    router_port = services["router"]["environment"]["SWITCHBOARD_ROUTER_PORT"]
    assert f":{router_port}/healthz" in " ".join(services["router"]["healthcheck"]["test"])
    for name in ("gateway", "router", "adapter-http", "adapter-smtp"):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"
        assert deps["kafka"]["condition"] == "service_healthy"
        env = services[name]["environment"]
        assert env["SWITCHBOARD_BUS"] == "kafka"
        assert env["SWITCHBOARD_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert env["SWITCHBOARD_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
    assert services["migrate"]["restart"] == "no"


# -- Dockerfile -----------------------------------------------------------------------------------


def test_dockerfile_is_slim_non_root_with_switchboard_entrypoint() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    froms = re.findall(r"^FROM\s+python:(\d+)\.(\d+)-slim\S*", text, re.M)
    assert froms
    assert len(froms) == len(re.findall(r"^FROM\s", text, re.M)), "every stage is a slim Python image"
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert minimum
    assert all((int(a), int(b)) >= (int(minimum[1]), int(minimum[2])) for a, b in froms), "image Python < requires"
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users
    assert users[-1].split(":")[0] not in ("root", "0")
    assert re.search(r'^ENTRYPOINT \["switchboard"\]$', text, re.M)
    assert re.search(r"^EXPOSE 8000 2525$", text, re.M)
    # everything the package build needs is copied in (pyproject's packages and readme)
    for part in ("pyproject.toml", "README.md", "shared", "gateway", "router", "services", "switchboard"):
        assert re.search(rf"^COPY .*\b{re.escape(part)}\b", text, re.M), part


# -- Kubernetes -----------------------------------------------------------------------------------


def test_k8s_manifests_parse_and_kustomization_lists_them() -> None:
    kustomization = load_all(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present
    for obj in k8s_objects():
        assert {"apiVersion", "kind", "metadata"} <= obj.keys()
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "switchboard"


def test_k8s_gateway_probes_and_service() -> None:
    deployment = find("StatefulSet", "switchboard-gateway")
    spec = pod_spec(deployment)
    (container,) = spec["containers"]
    assert container["command"] == ["switchboard"]
    assert container["args"] == ["gateway"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8000}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["port"] in ("http", 8000)
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= deployment["spec"]["template"]["metadata"]["labels"].items()

    service = find("Service", "switchboard-gateway")
    assert service["spec"]["selector"] == selector
    (port,) = service["spec"]["ports"]
    assert port["targetPort"] in ("http", 8000)


def test_k8s_router_has_two_replicas_and_migrate_is_a_job() -> None:
    router = find("Deployment", "switchboard-router")
    assert router["spec"]["replicas"] == 2
    (container,) = pod_spec(router)["containers"]
    assert container["command"] == ["switchboard"]
    assert container["args"] == ["router"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SWITCHBOARD_ROUTER_PORT"]) == ports["http"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}

    job = find("Job", "switchboard-migrate")
    (container,) = pod_spec(job)["containers"]
    assert container["args"] == ["migrate"]
    assert pod_spec(job)["restartPolicy"] in ("OnFailure", "Never")


def test_k8s_settings_come_from_the_configmap_and_secret() -> None:
    configmap = find("ConfigMap", "switchboard-settings")
    secret = find("Secret", "switchboard-secrets")
    assert configmap["data"]["SWITCHBOARD_BUS"] == "kafka"
    assert configmap["data"]["SWITCHBOARD_PORT"] == "8000"
    assert set(secret["stringData"]) == {"SWITCHBOARD_DATABASE_URL", "SWITCHBOARD_ADMIN_KEY"}
    assert all(key.startswith("SWITCHBOARD_") for key in configmap["data"])
    for obj in k8s_objects():
        if obj["kind"] not in WORKLOADS:
            continue
        spec = pod_spec(obj)
        assert spec["securityContext"]["runAsNonRoot"] is True
        for container in spec["containers"]:
            refs = {next(iter(ref)): next(iter(ref.values()))["name"] for ref in container["envFrom"]}
            assert refs == {"configMapRef": "switchboard-settings", "secretRef": "switchboard-secrets"}
            assert container["image"] == "switchboard"


def test_k8s_publishers_keep_their_spool_and_share_the_blobs() -> None:
    """What Kafka has not acknowledged survives a pod's restart (a volume per pod, at the spool directory the
    settings default to), and attachments are one volume every pod that stores or reads them mounts."""
    spool = "/app/var/" + Settings.model_fields["spool_dir"].default.relative_to("var").as_posix()
    blobs = "/app/var/" + Settings.model_fields["blob_dir"].default.relative_to("var").as_posix()
    publishers = ["switchboard-gateway", "switchboard-adapter-http", "switchboard-adapter-smtp"]
    claim = find("PersistentVolumeClaim", "switchboard-blobs")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for name in publishers:
        workload = find("StatefulSet", name)
        templates = {t["metadata"]["name"] for t in workload["spec"]["volumeClaimTemplates"]}
        (container,) = pod_spec(workload)["containers"]
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert mounts[spool] in templates, name
        volumes = {v["name"]: v for v in pod_spec(workload)["volumes"]}
        assert volumes[mounts[blobs]]["persistentVolumeClaim"]["claimName"] == "switchboard-blobs", name
        governing = find("Service", workload["spec"]["serviceName"])
        assert governing["spec"]["clusterIP"] == "None"
    adapters = {
        tuple(pod_spec(find("StatefulSet", f"switchboard-adapter-{k}"))["containers"][0]["args"])
        for k in ("http", "smtp")
    }
    assert adapters == {("adapter", "http"), ("adapter", "smtp")}


def test_deploy_files_use_only_commands_the_cli_has(compose: dict[str, Any]) -> None:
    used = {svc["command"][0] for svc in compose["services"].values() if "command" in svc}
    used |= {c["args"][0] for o in k8s_objects() if o["kind"] in WORKLOADS for c in pod_spec(o)["containers"]}
    assert used == APP_COMMANDS
    missing = used - cli_commands()
    assert not missing, f"deploy files run commands the CLI lacks: {sorted(missing)}"


# -- local servers ----------------------------------------------------------------------------------


def test_kafka_pom_resolves_the_broker_of_its_version_with_a_log4j_binding() -> None:
    _props, deps = kafka_pom()
    assert deps["kafka_2.13"] == "${kafka.version}"
    assert "slf4j-reload4j" in deps


def test_kafka_log4j_writes_to_files_only() -> None:
    text = (DEPLOY / "kafka" / "log4j.properties").read_text()
    assert "ConsoleAppender" not in text
    assert "${kafka.logs.dir}" in text


def test_generated_server_properties(tmp_path: Path) -> None:
    servers = sys.modules["switchboard_local_servers"]  # deploy/local/servers, loaded by tests/harness.py
    server = servers.KafkaServer(tmp_path, port=19092, controller_port=19093)
    server._write_properties()
    props = dict(
        line.split("=", 1) for line in server.props.read_text().splitlines() if line and not line.startswith("#")
    )
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["auto.create.topics.enable"] == "false"
    assert props["num.partitions"] == "12"
    for key in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor", "min.insync.replicas"):
        assert props[key] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["log.dirs"].startswith(str(tmp_path))
    assert server._previous_ports() == (19092, 19093)


def test_kafka_metadata_request_and_response_follow_the_wire_format() -> None:
    wire = sys.modules["switchboard_local_servers.kafka_wire"]
    request = wire.metadata_request()
    (size, api_key, version, correlation) = struct.unpack_from(">ihhi", request)
    assert (size, api_key, version, correlation) == (len(request) - 4, 3, 4, wire.CORRELATION_ID)

    def string(s: str | None) -> bytes:
        return struct.pack(">h", -1) if s is None else struct.pack(">h", len(s)) + s.encode()

    brokers = struct.pack(">i", 2) + b"".join(
        struct.pack(">i", node) + string(host) + struct.pack(">i", port) + string(rack)
        for node, host, port, rack in [(1, "127.0.0.1", 9092, None), (2, "10.0.0.2", 9093, "r1")]
    )
    body = struct.pack(">ii", wire.CORRELATION_ID, 0) + brokers + string("cluster-x") + struct.pack(">i", 1)
    assert wire.parse_metadata_response(body) == wire.Metadata(
        "cluster-x", 1, (wire.Broker(1, "127.0.0.1", 9092), wire.Broker(2, "10.0.0.2", 9093))
    )
    with pytest.raises(ConnectionError):
        wire.parse_metadata_response(struct.pack(">ii", wire.CORRELATION_ID + 1, 0) + body[8:])


def test_servers_cli_help_free_port_and_status_of_nothing(tmp_path: Path) -> None:
    script = str(DEPLOY / "local" / "servers")
    for args in (["--help"], ["kafka", "start", "--help"], ["postgres", "stop", "--help"]):
        subprocess.run([sys.executable, script, *args], check=True, capture_output=True, timeout=30)
    out = subprocess.run([sys.executable, script, "free-port", "3"], check=True, capture_output=True, text=True)
    ports = [int(p) for p in out.stdout.split()]
    assert len(set(ports)) == 3
    assert all(1024 <= p <= 65535 for p in ports)
    status = subprocess.run([sys.executable, script, "--data-dir", str(tmp_path), "kafka", "status"],
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert (status.returncode, status.stdout.split()[:2]) == (3, ["kafka:", "stopped"])


@pytest.mark.parametrize("script", ["deploy/local/up.sh", "deploy/local/down.sh", ".ci/install-deps.sh"])
def test_shell_scripts_parse(script: str) -> None:
    bash = shutil.which("bash")
    assert bash
    subprocess.run([bash, "-n", str(REPO / script)], check=True, timeout=30)
