#!/usr/bin/env bash
# CI: install and start the Neo4j Community server that the `neo4j` tests use, before the tests.
#
# The server listens on bolt://127.0.0.1:7687 with user neo4j and password lisgraph-local,
# which are also lisgraph's defaults for NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD: nothing needs
# exporting. Its jars come from Maven Central (about 125 MB, once per machine; Java 17 and
# Maven needed) into ~/.cache/lisgraph-neo4j. Idempotent: a running server is left as it is.
# Stop it afterwards with `scripts/neo4j-server.sh stop`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/neo4j-server.sh start
