#!/usr/bin/env bash
# Backs up the six databases, one pg_dump archive each (custom format: compressed, restorable
# table by table), into $BACKUP_DIR/<UTC timestamp>/, then keeps the newest $BACKUP_KEEP.
#
# Connects with the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD): the PostgreSQL
# administrator, or any role that may read all six databases. With the compose stack:
#   docker compose run --rm --no-deps -v "$PWD/backups:/backups" -v "$PWD/deploy:/deploy:ro" \
#     -e PGHOST=postgres -e PGUSER=postgres -e PGPASSWORD="$POSTGRES_PASSWORD" \
#     --entrypoint bash postgres /deploy/backup.sh
# Scheduled hourly (cron on the host) this gives an RPO of one hour; see deploy/COOLIFY.md.
#
# PF_DATABASES lists the databases as "name:owner" pairs (the default is the standard six).
set -euo pipefail

BACKUP_DIR="${BACKUP_DIR:-/backups}"
BACKUP_KEEP="${BACKUP_KEEP:-48}"
PF_DATABASES="${PF_DATABASES:-restapi_service:restapi_user chat_service:chat_user stalking_service:stalking_user gift_ideas_service:gift_ideas_user reranking_service:reranking_user fetch_service:fetch_user}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/$stamp"
partial="$target.partial"
mkdir -p "$partial"

for entry in $PF_DATABASES; do
    database="${entry%%:*}"
    owner="${entry#*:}"
    pg_dump --format=custom --compress=6 --dbname="$database" --file="$partial/$database.dump"
    echo "$database:$owner" >> "$partial/DATABASES"
    echo "backed up $database ($(du -h "$partial/$database.dump" | cut -f1))"
done
# Complete backups only carry the final name: a failed run leaves a .partial folder.
mv "$partial" "$target"
echo "backup complete: $target"

# Keep the newest $BACKUP_KEEP complete backups.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*Z' | sort -r \
    | tail -n +"$((BACKUP_KEEP + 1))" | while read -r old; do
    rm -rf -- "$old"
    echo "removed old backup $old"
done
