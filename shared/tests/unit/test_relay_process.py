import subprocess
import sys

HEAVY = ("sqlalchemy", "fastapi", "httpx")


def test_the_relay_process_loads_none_of_the_services_heavy_libraries():
    """Each replica runs a relay process beside the service: its memory counts toward the
    service's 200 MB, and SQLAlchemy, FastAPI and httpx were ~35 MB of it."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, qgov_shared.relay_process; "
            f"print(*sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.split() == []
