#!/usr/bin/env bash
# Upgrades the app's replicas to the current image without a failed request:
#   deploy/rolling-upgrade.sh [service] [compose file]     (defaults: app, docker-compose.prod.yml)
#
# 1. New replicas start beside the old ones (pending migrations run at their start, one
#    replica at a time; migrations must keep the previous version working: add, then use,
#    then remove in a later release).
# 2. Once they are healthy and nginx has found them (it re-resolves the service every 10 s),
#    the old replicas are stopped with SIGTERM: each stops taking connections, finishes its
#    requests and handlers, flushes its outbox and exits; nginx sends everything meanwhile to
#    the replicas that are up.
# For the split stack, run it once per service (web, conversation, search).
set -euo pipefail

service="${1:-app}"
compose_file="${2:-docker-compose.prod.yml}"
compose=(docker compose -f "$compose_file")

mapfile -t old < <("${compose[@]}" ps -q "$service")
count="${#old[@]}"
[ "$count" -gt 0 ] || { echo "no running $service container" >&2; exit 1; }

"${compose[@]}" build "$service"
echo "starting $count new $service replicas beside the old ones"
"${compose[@]}" up -d --no-deps --no-recreate --scale "$service=$((count * 2))" "$service"

mapfile -t all < <("${compose[@]}" ps -q "$service")
for id in "${all[@]}"; do
    for _ in $(seq 1 60); do
        health="$(docker inspect --format '{{.State.Health.Status}}' "$id")"
        [ "$health" = healthy ] && break
        sleep 2
    done
    [ "$health" = healthy ] || { echo "replica $id is $health; old replicas kept" >&2; exit 1; }
done
# Long enough for nginx to resolve the new replicas (resolver valid=10s).
sleep 15

for id in "${old[@]}"; do
    echo "stopping old replica $id"
    docker stop --time 45 "$id" >/dev/null
    docker rm "$id" >/dev/null
done
echo "upgraded $count $service replicas"
