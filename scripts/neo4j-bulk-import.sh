#!/usr/bin/env bash
# The bulk path for a large first load: lisgraph's import files + Neo4j's offline importer
# (neo4j-admin database import full, from the same Maven jars as the server) into a SEPARATE,
# empty Neo4j instance with its own home, data and ports; then start it, create the schema
# and check it against the local graph.
#
#   scripts/neo4j-bulk-import.sh [LISGRAPH GLOBAL OPTIONS...]     e.g. --data my-folder
#   scripts/neo4j-bulk-import.sh stop                             stop the bulk instance
#
# It never touches the test/dev server of scripts/neo4j-server.sh (~/.cache/lisgraph-neo4j,
# port 7687): Community has one user database per server, and the importer replaces it.
# Settings (environment):
#   LISGRAPH_BULK_HOME   the instance's home (default ~/.cache/lisgraph-neo4j-bulk)
#   LISGRAPH_BULK_PORT   its Bolt port on 127.0.0.1 (default 7688)
#   LISGRAPH_BULK_FILES  where the import files go (default $LISGRAPH_BULK_HOME/import)
#   LISGRAPH_BULK_VERIFY 1: also read everything back and compare digests (status --verify)
#   LISGRAPH             the lisgraph command (default: lisgraph on PATH)
#   LISGRAPH_NEO4J_VERSION, NEO4J_PASSWORD as for scripts/neo4j-server.sh
# Prints the import's time and rate, and the URI to use (NEO4J_URI=...).
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${LISGRAPH_NEO4J_VERSION:-5.26.30}
TEST_ROOT=$HOME/.cache/lisgraph-neo4j
ROOT=${LISGRAPH_BULK_HOME:-$HOME/.cache/lisgraph-neo4j-bulk}
PORT=${LISGRAPH_BULK_PORT:-7688}
FILES=${LISGRAPH_BULK_FILES:-$ROOT/import}
LISGRAPH=${LISGRAPH:-lisgraph}
HOME_DIR=$ROOT/$VERSION

say() { echo "neo4j-bulk-import: $*" >&2; }
die() { say "$*"; exit 1; }
server() {
    LISGRAPH_NEO4J_HOME=$ROOT LISGRAPH_NEO4J_PORT=$PORT LISGRAPH_NEO4J_HEAP=${LISGRAPH_BULK_HEAP:-1g} \
        LISGRAPH_NEO4J_PAGECACHE=${LISGRAPH_BULK_PAGECACHE:-512m} bash scripts/neo4j-server.sh "$@"
}

# never the default test server's home or port, nor those LISGRAPH_NEO4J_HOME/PORT name (a
# second test server): this script stops and rewrites the server in its home
for home in "$TEST_ROOT" "${LISGRAPH_NEO4J_HOME:-$TEST_ROOT}"; do
    [[ $(realpath -m "$ROOT") != $(realpath -m "$home") ]] \
        || die "LISGRAPH_BULK_HOME is the test server's home: choose another folder"
done
for port in 7687 "${LISGRAPH_NEO4J_PORT:-7687}"; do
    [[ $PORT != "$port" ]] || die "LISGRAPH_BULK_PORT is the test server's port: choose another port"
done

if [[ ${1:-} == stop ]]; then
    server stop
    exit 0
fi

# the jars: the test server's, when installed (same version), else fetched by Maven
if [[ -f $TEST_ROOT/$VERSION/lib/.complete && ! -e $HOME_DIR/lib ]]; then
    mkdir -p "$HOME_DIR"
    ln -s "$TEST_ROOT/$VERSION/lib" "$HOME_DIR/lib"
fi
server stop > /dev/null 2>&1 || true
server install

say "writing the import files to $FILES"
rm -rf "$FILES"
"$LISGRAPH" "$@" neo4j import-files "$FILES"
rows=$(( $(cat "$FILES"/*.csv | wc -l) - $(ls "$FILES"/*.csv | wc -l) ))

say "importing $rows rows with neo4j-admin database import full"
t0=$(date +%s%N)
(cd "$FILES" && NEO4J_HOME=$HOME_DIR NEO4J_CONF=$HOME_DIR/conf \
    java -Xmx${LISGRAPH_BULK_HEAP:-1g} -cp "$HOME_DIR/lib/*" org.neo4j.cli.AdminTool \
    database import full @import.args --overwrite-destination=true neo4j \
    > "$HOME_DIR/logs/import.log" 2>&1) \
    || { tail -n 30 "$HOME_DIR/logs/import.log" >&2; die "the import failed (log: $HOME_DIR/logs/import.log)"; }
ms=$((($(date +%s%N) - t0) / 1000000))
say "imported $rows rows in $((ms / 1000)).$(printf %03d $((ms % 1000))) s ($((rows * 1000 / (ms > 0 ? ms : 1))) rows/s)"

server start > /dev/null
export NEO4J_URI=bolt://127.0.0.1:$PORT
"$LISGRAPH" neo4j schema
if [[ ${LISGRAPH_BULK_VERIFY:-0} == 1 ]]; then
    "$LISGRAPH" "$@" neo4j status --verify > /dev/null \
        || die "the imported database does not match the local graph (lisgraph neo4j status)"
    say "the imported database matches the local graph (content verified)"
fi
echo "NEO4J_URI=$NEO4J_URI"
echo "import_seconds=$((ms / 1000)).$(printf %03d $((ms % 1000))) rows=$rows"
say "ready: NEO4J_URI=$NEO4J_URI lisgraph overlaps PLACE --backend neo4j (stop it: $0 stop)"
