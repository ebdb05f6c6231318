#!/usr/bin/env bash
# A local Neo4j Community server for lisgraph's tests and development: install|start|stop|status.
#
# The server's jars come from Maven Central (org.neo4j:neo4j, the community server with Bolt),
# fetched by Maven into $LISGRAPH_NEO4J_HOME/<version>/lib; the database, logs and pid file
# live beside them, outside the repository. The server listens on loopback only.
#
#   scripts/neo4j-server.sh install   fetch the jars, write neo4j.conf, set the initial password
#   scripts/neo4j-server.sh start     install if needed, start, wait until Bolt answers, print the URI
#   scripts/neo4j-server.sh stop      stop the server (waits for it to exit)
#   scripts/neo4j-server.sh status    say whether it runs (exit 0) or not (exit 3)
#
# Settings (environment):
#   LISGRAPH_NEO4J_HOME     where to install (default ~/.cache/lisgraph-neo4j)
#   LISGRAPH_NEO4J_VERSION  Neo4j version (default 5.26.30, the 5.26 LTS line, runs on Java 17)
#   LISGRAPH_NEO4J_PORT     Bolt port on 127.0.0.1 (default 7687)
#   LISGRAPH_NEO4J_HEAP     Java heap (default 2g); LISGRAPH_NEO4J_PAGECACHE (default 1g)
#   NEO4J_PASSWORD          password of user neo4j, set before the first start only
#                           (default lisgraph-local, which lisgraph also assumes by default)
# Every command is idempotent: install twice fetches once, start when running says so.
set -euo pipefail

VERSION=${LISGRAPH_NEO4J_VERSION:-5.26.30}
ROOT=${LISGRAPH_NEO4J_HOME:-$HOME/.cache/lisgraph-neo4j}
HOME_DIR=$ROOT/$VERSION
PORT=${LISGRAPH_NEO4J_PORT:-7687}
HEAP=${LISGRAPH_NEO4J_HEAP:-2g}
PAGECACHE=${LISGRAPH_NEO4J_PAGECACHE:-1g}
PASSWORD=${NEO4J_PASSWORD:-lisgraph-local}
START_TIMEOUT=${LISGRAPH_NEO4J_START_TIMEOUT:-180}
URI="bolt://127.0.0.1:$PORT"
PID_FILE=$HOME_DIR/run/lisgraph-neo4j.pid
LOG=$HOME_DIR/logs/neo4j.log

say() { echo "neo4j-server: $*" >&2; }
die() { say "$*"; exit 1; }

pid() { if [[ -f $PID_FILE ]]; then cat "$PID_FILE"; fi; }

running() {
    local p
    p=$(pid)
    [[ -n $p ]] && kill -0 "$p" 2>/dev/null && grep -q CommunityEntryPoint "/proc/$p/cmdline" 2>/dev/null
}

bolt_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

write_pom() {
    cat > "$HOME_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lisgraph</groupId>
  <artifactId>lisgraph-neo4j-server</artifactId>
  <version>$VERSION</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>$VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
}

write_conf() {
    mkdir -p "$HOME_DIR/conf"
    cat > "$HOME_DIR/conf/neo4j.conf" <<CONF
# Written by lisgraph's scripts/neo4j-server.sh; rewritten on every install/start.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$PORT
server.bolt.advertised_address=127.0.0.1:$PORT
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
# A loopback test server: the tests try wrong passwords, which must not lock the user out.
dbms.security.auth_max_failed_attempts=0
dbms.usage_report.enabled=false
server.memory.pagecache.size=$PAGECACHE
db.tx_log.rotation.retention_policy=2 files
db.tx_log.rotation.size=64M
db.tx_log.preallocate=false
# Stop in about a second: Bolt's network threads would otherwise linger 10 s after the databases.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
internal.dbms.bolt.netty_server_shutdown_timeout=2
CONF
}

install() {
    command -v java > /dev/null || die "java not found: install a JDK 17 or newer"
    command -v mvn > /dev/null || die "mvn not found: install Maven (it fetches Neo4j's jars)"
    mkdir -p "$HOME_DIR"/{run,logs}
    write_conf
    if [[ ! -f $HOME_DIR/lib/.complete ]]; then
        say "fetching Neo4j $VERSION community jars from Maven Central into $HOME_DIR/lib"
        write_pom
        rm -rf "${HOME_DIR:?}/lib.partial"
        mvn -B -f "$HOME_DIR/pom.xml" dependency:copy-dependencies \
            -DoutputDirectory="$HOME_DIR/lib.partial" -DincludeScope=runtime \
            > "$HOME_DIR/logs/maven.log" 2>&1 \
            || { tail -n 20 "$HOME_DIR/logs/maven.log" >&2
                 die "Maven could not fetch org.neo4j:neo4j:$VERSION (log: $HOME_DIR/logs/maven.log)"; }
        touch "$HOME_DIR/lib.partial/.complete"
        rm -rf "${HOME_DIR:?}/lib"
        mv "$HOME_DIR/lib.partial" "$HOME_DIR/lib"
    fi
    # The initial password only takes effect before the first start creates the system database.
    if [[ ! -d $HOME_DIR/data/databases/system ]]; then
        NEO4J_HOME=$HOME_DIR NEO4J_CONF=$HOME_DIR/conf \
            java -cp "$HOME_DIR/lib/*" org.neo4j.cli.AdminTool dbms set-initial-password \
            "$PASSWORD" > /dev/null || die "could not set the initial password"
    fi
    [[ ${1:-} == quiet ]] || say "Neo4j $VERSION installed in $HOME_DIR"
}

start() {
    if running; then
        echo "$URI"
        say "already running (pid $(pid)) at $URI"
        return 0
    fi
    bolt_open && die "port $PORT on 127.0.0.1 is taken by another process: stop it or set LISGRAPH_NEO4J_PORT"
    install quiet
    local t0 lines
    t0=$(date +%s%N)
    lines=$( [[ -f $LOG ]] && wc -l < "$LOG" || echo 0)
    local java_opts=(
        "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError
        -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
        --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
        -Dio.netty.tryReflectionSetAccessible=true -Djdk.nio.maxCachedBufferSize=1024
        -Dlog4j2.disable.jmx=true
    )
    rm -f "$PID_FILE"
    # setsid: the server outlives the shell (and a Ctrl-C in it); `exec` keeps the recorded pid.
    # shellcheck disable=SC2016  # $$ and $@ are the inner shell's
    setsid bash -c 'echo $$ > "$0"; exec "$@"' "$PID_FILE" \
        java "${java_opts[@]}" -cp "$HOME_DIR/lib/*" org.neo4j.server.CommunityEntryPoint \
        --home-dir="$HOME_DIR" --config-dir="$HOME_DIR/conf" \
        >> "$HOME_DIR/logs/console.log" 2>&1 < /dev/null &
    local deadline=$((SECONDS + START_TIMEOUT))
    until [[ -f $PID_FILE ]] && running && bolt_open \
            && tail -n +"$((lines + 1))" "$LOG" 2>/dev/null | grep -q "Started\.$"; do
        if [[ -f $PID_FILE ]] && ! kill -0 "$(pid)" 2>/dev/null; then
            tail -n 20 "$HOME_DIR/logs/console.log" "$LOG" >&2 || true
            die "Neo4j exited during start-up (logs in $HOME_DIR/logs)"
        fi
        ((SECONDS < deadline)) || die "Neo4j did not answer on $URI within ${START_TIMEOUT}s (logs in $HOME_DIR/logs)"
        sleep 0.2
    done
    local ms=$((($(date +%s%N) - t0) / 1000000))
    echo "$URI"
    say "Neo4j $VERSION started in $((ms / 1000)).$(printf %03d $((ms % 1000)))s (pid $(pid)) at $URI, user neo4j"
}

stop() {
    if ! running; then
        rm -f "$PID_FILE"
        say "not running"
        return 0
    fi
    local p
    p=$(pid)
    kill -TERM "$p"
    local deadline=$((SECONDS + 60))
    while kill -0 "$p" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            say "no exit after 60s: killing pid $p"
            kill -KILL "$p" 2>/dev/null || true
        fi
        sleep 0.2
    done
    rm -f "$PID_FILE"
    say "stopped (pid $p)"
}

status() {
    if running; then
        if bolt_open; then
            say "running (pid $(pid)), Neo4j $VERSION at $URI, home $HOME_DIR"
            echo "$URI"
            return 0
        fi
        say "starting (pid $(pid)), Bolt not answering yet on $URI"
        return 3
    fi
    if [[ -f $HOME_DIR/lib/.complete ]]; then
        say "installed in $HOME_DIR, not running: scripts/neo4j-server.sh start"
    else
        say "not installed: scripts/neo4j-server.sh install (or start)"
    fi
    return 3
}

case "${1:-}" in
    install) install ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
