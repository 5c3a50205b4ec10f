"""docker-compose.yml around the services: the topics and their dead-letter topics, Kafka's
volume, traces to Jaeger, Prometheus on every /metrics, and the healthchecks the start order
waits on."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from .compose import environment, load_compose, qgov_services, sorted_by_port
from .service_settings import ROOT


def test_each_topic_and_its_dead_letter_topic_is_created_before_the_services_start() -> None:
    compose = load_compose()
    topics = compose["services"]["kafka-topics"]
    env = environment(topics)
    assert env["TOPICS"].split() == [f"qgov.{name}" for name in sorted_by_port(compose)]
    script = " ".join(topics["command"])
    assert '"$$topic.dlq"' in script
    assert "--partitions" in script
    assert "$$PARTITIONS" in script
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    # The broker makes no topic of its own accord, so the list above must be whole; and the
    # services are told the same partition count the topics are made with.
    assert environment(compose["services"]["kafka"])["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    for name, service in qgov_services(compose).items():
        assert (
            service["environment"]["QGOV_KAFKA_TOPIC_PARTITIONS"]
            == topics["environment"]["PARTITIONS"]
        ), name
        condition = service["depends_on"]["kafka-topics"]["condition"]
        assert condition == "service_completed_successfully", name


def test_kafka_keeps_its_log_in_a_named_volume() -> None:
    compose = load_compose()
    kafka = compose["services"]["kafka"]
    volumes = dict(volume.split(":", 1) for volume in kafka["volumes"])
    assert environment(kafka)["KAFKA_LOG_DIRS"] in volumes.values()
    assert all(source in compose["volumes"] for source in volumes)


def test_prometheus_scrapes_every_services_metrics() -> None:
    compose = load_compose()
    prometheus = compose["services"]["prometheus"]
    (config_mount,) = [v for v in prometheus["volumes"] if v.startswith("./")]
    config = yaml.safe_load((ROOT / config_mount.split(":")[0]).read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    targets = [t for static in job["static_configs"] for t in static["targets"]]
    services = qgov_services(compose)
    assert sorted(targets) == sorted(
        f"{name}:{service['build']['args']['PORT']}" for name, service in services.items()
    )
    assert "healthcheck" in prometheus


def test_the_collector_sends_the_traces_to_jaeger() -> None:
    compose = load_compose()
    collector = compose["services"]["otel-collector"]
    (config_mount,) = collector["volumes"]
    config = yaml.safe_load((ROOT / config_mount.split(":")[0]).read_text())
    (exporter,) = config["service"]["pipelines"]["traces"]["exporters"]
    host = config["exporters"][exporter]["endpoint"].split(":")[0]
    assert compose["services"][host]["image"].startswith("jaegertracing/jaeger:")
    assert "16686:16686" in compose["services"][host]["ports"]


# Images with no shell or client inside to run a check with (the collector, Jaeger's distroless
# image); nothing waits on them being healthy. The one-shot kafka-topics exits instead.
WITHOUT_HEALTHCHECK = {"otel-collector", "jaeger", "kafka-topics"}


def test_every_long_running_service_has_a_healthcheck_and_is_waited_for_by_it() -> None:
    compose = load_compose()
    built = qgov_services(compose)
    for name, service in compose["services"].items():
        if name in built:
            continue  # the image's HEALTHCHECK polls /healthz (test_dockerfile.py)
        assert ("healthcheck" in service) != (name in WITHOUT_HEALTHCHECK), name
    for name, service in compose["services"].items():
        for dependency, condition in (service.get("depends_on") or {}).items():
            if dependency in built or "healthcheck" in compose["services"][dependency]:
                assert condition["condition"] == "service_healthy", (name, dependency)


def test_the_topic_script_makes_what_is_missing_and_leaves_what_exists(tmp_path: Path) -> None:
    """kafka-topics' command run by bash, with the image's kafka-topics.sh replaced by a script
    that lists two existing topics and logs every other call."""
    compose = load_compose()
    topics = compose["services"]["kafka-topics"]
    log = tmp_path / "calls"
    fake = tmp_path / "kafka-topics.sh"
    existing = "qgov.credit\\nqgov.credit.dlq\\n__consumer_offsets\\n"
    fake.write_text(
        "#!/bin/sh\n"
        f'case " $* " in *" --list "*) printf "{existing}";;\n'
        f'  *) echo "$*" >> "{log}";; esac\n'
    )
    fake.chmod(0o755)
    # Compose turns $$ into $; the image's tools are where the fake is.
    script = topics["command"][0].replace("$$", "$").replace("/opt/kafka/bin", str(tmp_path))
    env = {"PATH": os.environ["PATH"], **environment(topics)}
    assert topics["entrypoint"] == ["/bin/bash", "-euc"]
    result = subprocess.run(
        [*topics["entrypoint"], script],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    created = [line.split("--topic ")[1].split()[0] for line in log.read_text().splitlines()]
    wanted = [f"qgov.{name}{suffix}" for name in sorted_by_port(compose) for suffix in ("", ".dlq")]
    assert created == [t for t in wanted if t not in {"qgov.credit", "qgov.credit.dlq"}]
    for line in log.read_text().splitlines():
        assert f"--partitions {env['PARTITIONS']} --replication-factor 1" in line
        assert "--create --if-not-exists" in line
