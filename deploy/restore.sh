#!/usr/bin/env bash
# Restores the six databases from a folder written by backup.sh:
#   deploy/restore.sh /backups/20261201T020000Z
# Each database is dropped (its connections ended) and created again owned by its role, then
# its archive is restored. Stop the app first (docker compose stop app), and make sure the
# roles exist (the db-setup container creates them: docker compose up db-setup).
#
# Connects like backup.sh (PGHOST, PGPORT, PGUSER, PGPASSWORD: the administrator).
set -euo pipefail

source_dir="${1:?usage: restore.sh <backup folder>}"
[ -f "$source_dir/DATABASES" ] || { echo "$source_dir is not a complete backup" >&2; exit 1; }

while IFS= read -r entry; do
    database="${entry%%:*}"
    owner="${entry#*:}"
    archive="$source_dir/$database.dump"
    [ -f "$archive" ] || { echo "missing $archive" >&2; exit 1; }
    dropdb --if-exists --force "$database"
    createdb --owner="$owner" "$database"
    psql --quiet --dbname="$database" -c "REVOKE ALL ON DATABASE \"$database\" FROM PUBLIC"
    pg_restore --exit-on-error --dbname="$database" "$archive"
    echo "restored $database"
done < "$source_dir/DATABASES"
echo "restore complete from $source_dir"
