#!/bin/sh
# Entrypoint of every QGov service image (deploy/docker/service.Dockerfile).
#   start    migrate this service's database, then serve (the default; docker compose)
#   migrate  only migrate (a Kubernetes init container may run `qgov migrate <service>` directly)
#   serve    only serve (Kubernetes, where the init container has already migrated)
# Anything else is executed as given, e.g. `python -c ...` for debugging.
set -eu

# Baked in from the SERVICE build arg; it names the package (qgov_<service>) and the database.
service="${QGOV_SERVICE_NAME:?QGOV_SERVICE_NAME is not set}"

serve() {
    # exec: uvicorn becomes PID 1 and receives SIGTERM directly, so shutdown is graceful.
    exec uvicorn "qgov_${service}.main:create_app" --factory \
        --host "${QGOV_HOST:-0.0.0.0}" --port "${QGOV_PORT:-8000}"
}

case "${1:-start}" in
    start) qgov migrate "${service}"; serve ;;
    migrate) exec qgov migrate "${service}" ;;
    serve) serve ;;
    *) exec "$@" ;;
esac
