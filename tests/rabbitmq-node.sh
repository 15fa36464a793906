#!/usr/bin/env bash
# Runs a PRIVATE, throw-away RabbitMQ node for tests and local development.
#
# Usage:
#   tests/rabbitmq-node.sh start  DIR AMQP_PORT   start (or reuse) the node; last stdout line = AMQP URI
#   tests/rabbitmq-node.sh stop   DIR             stop that node (idempotent)
#   tests/rabbitmq-node.sh status DIR             exit 0 if the node is running, 3 if not
#   tests/rabbitmq-node.sh ctl    DIR ARGS...     run rabbitmqctl against that node (e.g. `ctl DIR list_queues`)
#
# Isolation (so it never touches a RabbitMQ the developer already runs on 5672):
#   * all state lives under DIR: mnesia/ (data, quorum, feature flags), log/, rabbitmq.conf,
#     enabled_plugins, the pid file, and the Erlang cookie (HOME is set to DIR);
#   * node name   lmis<AMQP_PORT>@localhost           (unique per port)
#   * AMQP        127.0.0.1:AMQP_PORT only             (user guest/guest, vhost /)
#   * Erlang dist 127.0.0.1:(AMQP_PORT+20000) only     (5672 -> 25672 mirrors RabbitMQ's own default)
#   * no plugins at all (in particular no management plugin / port 15672);
#   * epmd: shared per machine on 127.0.0.1:4369 (or $ERL_EPMD_PORT). If none runs, the node
#     starts one bound to loopback; `stop` kills it only if no node is registered any more
#     and it was started by this script.
# The data of a node is kept across stop/start as long as DIR and AMQP_PORT stay the same
# (the mnesia directory is named after the node, which is derived from the port).
#
# Works as root (the Debian /usr/sbin wrappers are bypassed: they would `su` to the rabbitmq
# user, which cannot write DIR, and would use /var/lib/rabbitmq's cookie) and as a normal user.
#
# Environment (optional):
#   RABBITMQ_NODE_START_TIMEOUT  seconds to wait for the node to be ready (default 60)
#   RABBITMQ_NODE_STOP_TIMEOUT   seconds to wait for the node to stop     (default 60)
#   RABBITMQ_SCRIPTS_DIR         where rabbitmq-server/rabbitmqctl live (default /usr/lib/rabbitmq/bin)
set -euo pipefail

readonly PROG="${0##*/}"
readonly DIST_PORT_OFFSET=20000
# Default port range the RabbitMQ CLI tools use for their own (short-lived) Erlang distribution.
readonly CLI_DIST_PORT_MIN=35672 CLI_DIST_PORT_MAX=35682
START_TIMEOUT="${RABBITMQ_NODE_START_TIMEOUT:-60}"
STOP_TIMEOUT="${RABBITMQ_NODE_STOP_TIMEOUT:-60}"

die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }
info() { printf '%s: %s\n' "$PROG" "$*" >&2; }

usage() {
    cat >&2 <<EOF
usage: $PROG start  DIR AMQP_PORT
       $PROG stop   DIR
       $PROG status DIR
       $PROG ctl    DIR RABBITMQCTL_ARGS...
EOF
    exit 2
}

# Locate the real (non-wrapper) RabbitMQ scripts.
find_bin_dir() {
    local d
    for d in "${RABBITMQ_SCRIPTS_DIR:-}" /usr/lib/rabbitmq/bin /usr/local/lib/rabbitmq/bin; do
        if [[ -n "$d" && -x "$d/rabbitmq-server" && -x "$d/rabbitmqctl" ]]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    die "cannot find rabbitmq-server/rabbitmqctl (install the Debian package 'rabbitmq-server' or set RABBITMQ_SCRIPTS_DIR)"
}

is_valid_port() { [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 )); }

# True if something accepts TCP connections on 127.0.0.1:$1 (also catches 0.0.0.0 listeners).
port_open() {
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash, on purpose.
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" >/dev/null 2>&1
}

# Sets DIR (absolute), AMQP_PORT, DIST_PORT, NODE and every RabbitMQ/Erlang env var the
# server and the CLI tools need, so that both agree on node name, cookie and files.
setup_env() {
    local dir="$1" port="$2"
    mkdir -p -- "$dir" || die "cannot create directory '$dir'"
    DIR="$(cd -- "$dir" && pwd -P)"
    AMQP_PORT=$((10#$port))
    DIST_PORT=$((AMQP_PORT + DIST_PORT_OFFSET))
    NODE="lmis${AMQP_PORT}@localhost"
    BIN_DIR="$(find_bin_dir)"
    LOG_DIR="$DIR/log"
    PID_FILE="$DIR/rabbitmq.pid"
    NODE_LOG="$LOG_DIR/$NODE.log"
    STARTUP_LOG="$LOG_DIR/startup.log"

    # Drop any RABBITMQ_* settings inherited from the caller's shell (they could point at the
    # system node's config/data); everything the node needs is set explicitly below.
    local v
    while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^RABBITMQ_' || true)

    # Cookie + anything else Erlang/the CLI write into $HOME stay inside DIR.
    export HOME="$DIR"
    # Do not read /etc/rabbitmq/{rabbitmq-env.conf,rabbitmq.conf,conf.d,advanced.config,enabled_plugins}.
    export RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf"
    export RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf"
    export RABBITMQ_CONFIG_FILES="$DIR/conf.d/*.conf"
    export RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins"
    # Empty list = no plugins (no management listener on 15672, no prometheus on 15692).
    export RABBITMQ_ENABLED_PLUGINS=""
    # Data, logs, pid file under DIR instead of /var/lib/rabbitmq and /var/log/rabbitmq.
    export RABBITMQ_MNESIA_BASE="$DIR/mnesia"
    export RABBITMQ_LOG_BASE="$LOG_DIR"
    export RABBITMQ_PID_FILE="$PID_FILE"
    export ERL_CRASH_DUMP="$LOG_DIR/erl_crash.dump"
    # Unique node name; short names so "@localhost" is valid.
    export RABBITMQ_NODENAME="$NODE"
    export RABBITMQ_USE_LONGNAME=false
    # AMQP only on loopback and on the requested port.
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT="$AMQP_PORT"
    # Erlang distribution: fixed port derived from AMQP_PORT, loopback only.
    export RABBITMQ_DIST_PORT="$DIST_PORT"
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    # The CLI tools' own distribution listener: loopback only as well.
    export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    # An epmd started by this node listens on loopback only (no effect if epmd already runs).
    export ERL_EPMD_ADDRESS=127.0.0.1
    # Marker inherited by the node and by the epmd it spawns, so `stop` can tell "our" epmd.
    export LMIS_RABBITMQ_NODE_DIR="$DIR"
    # The URI printed by `start` relies on these (only applied when the database is first created).
    export RABBITMQ_DEFAULT_USER=guest RABBITMQ_DEFAULT_PASS=guest RABBITMQ_DEFAULT_VHOST=/
}

# Reads the port a DIR was started with (written by `start`).
read_port() {
    local f="$1/amqp_port" p
    [[ -f "$f" ]] || return 1
    p="$(<"$f")"
    is_valid_port "$p" || die "corrupt port file '$f'"
    printf '%s\n' "$p"
}

# The pid in the pid file, if that process is alive and really is this DIR's node
# (guards against stale pid files and pid reuse).
node_pid() {
    local pid
    [[ -f "$PID_FILE" ]] || return 1
    pid="$(tr -dc '0-9' <"$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/environ" ]]; then
        tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "RABBITMQ_MNESIA_BASE=$DIR/mnesia" || return 1
    fi
    printf '%s\n' "$pid"
}

node_running() {
    timeout 30 "$BIN_DIR/rabbitmq-diagnostics" -n "$NODE" -q check_running >/dev/null 2>&1
}

show_logs() {
    local f
    for f in "$STARTUP_LOG" "$NODE_LOG"; do
        [[ -s "$f" ]] || { printf -- '--- %s: no output yet ---\n' "$f" >&2; continue; }
        printf -- '--- last lines of %s ---\n' "$f" >&2
        tail -n 40 -- "$f" >&2
    done
}

# Take a per-DIR lock so concurrent start/stop calls on the same DIR do not race.
lock_dir() {
    exec 9>"$DIR/.lock"
    flock -w "$((START_TIMEOUT + STOP_TIMEOUT))" 9 || die "timed out waiting for lock on $DIR/.lock"
}

# Do not leak a node that failed to become ready within the timeout.
kill_half_started() {
    local launcher="$1" pid i
    pid="$(node_pid)" || pid=""
    kill -TERM ${pid:+"$pid"} "$launcher" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        { [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; } || kill -0 "$launcher" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL ${pid:+"$pid"} "$launcher" 2>/dev/null || true
}

cmd_start() {
    [[ $# -eq 2 ]] || usage
    is_valid_port "$2" || die "invalid AMQP_PORT '$2'"
    local port=$((10#$2))
    (( port + DIST_PORT_OFFSET <= 65535 )) \
        || die "AMQP_PORT must be <= $((65535 - DIST_PORT_OFFSET)) (distribution port is AMQP_PORT+$DIST_PORT_OFFSET)"
    (( port + DIST_PORT_OFFSET < CLI_DIST_PORT_MIN || port + DIST_PORT_OFFSET > CLI_DIST_PORT_MAX )) \
        || die "AMQP_PORT $port would put the distribution port into the CLI tools' range $CLI_DIST_PORT_MIN-$CLI_DIST_PORT_MAX"
    setup_env "$1" "$port"
    lock_dir

    # One node per DIR: refuse to start a second one with another port.
    local old_port
    if old_port="$(read_port "$DIR")" && [[ "$old_port" != "$AMQP_PORT" ]] && node_pid >/dev/null; then
        die "$DIR is in use by a running node on port $old_port; stop it first"
    fi

    # Already running (e.g. start called twice): just report the URI.
    if node_pid >/dev/null && node_running; then
        info "node $NODE already running"
        printf 'amqp://guest:guest@127.0.0.1:%s/\n' "$AMQP_PORT"
        return 0
    fi
    if node_pid >/dev/null; then
        die "a process of node $NODE (pid $(node_pid)) exists but the node is not healthy; run '$PROG stop $DIR' first"
    fi

    port_open "$AMQP_PORT" && die "port $AMQP_PORT is already in use on 127.0.0.1"
    port_open "$DIST_PORT" && die "distribution port $DIST_PORT (AMQP_PORT+$DIST_PORT_OFFSET) is already in use on 127.0.0.1"

    mkdir -p -- "$LOG_DIR" "$DIR/mnesia" "$DIR/conf.d"
    rm -f -- "$PID_FILE"
    printf '%s\n' "$AMQP_PORT" >"$DIR/amqp_port"
    # Keep the cookie across restarts: the CLI must use the same one as the running node.
    if [[ ! -s "$DIR/.erlang.cookie" ]]; then
        (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' >"$DIR/.erlang.cookie")
    fi
    chmod 400 "$DIR/.erlang.cookie"  # Erlang refuses cookies readable by others.
    : >"$DIR/rabbitmq-env.conf"
    printf '[].\n' >"$DIR/enabled_plugins"
    cat >"$DIR/rabbitmq.conf" <<EOF
# Generated by $PROG; regenerated on every start.
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
loopback_users.guest = true
log.console = false
log.file.level = info
EOF

    info "starting $NODE (AMQP 127.0.0.1:$AMQP_PORT, dist 127.0.0.1:$DIST_PORT, dir $DIR)"
    local t0=$SECONDS
    printf '==== %s: %s starting %s\n' "$(date '+%F %T')" "$PROG" "$NODE" >>"$STARTUP_LOG"
    # Foreground mode in a new session instead of -detached: we get its stdout/stderr in
    # startup.log (early boot errors never reach the node log) and Ctrl-C in the caller's
    # terminal does not reach it. fd 9 (our lock) must not be inherited.
    (cd "$DIR" && exec setsid "$BIN_DIR/rabbitmq-server" </dev/null >>"$STARTUP_LOG" 2>&1 9>&-) &
    local launcher=$!

    # await_startup fails fast (exit 69) while the node is not registered yet, so poll it.
    while :; do
        if timeout 30 "$BIN_DIR/rabbitmqctl" -n "$NODE" -q await_startup --timeout 10 >/dev/null 2>&1 \
            && port_open "$AMQP_PORT"; then
            break
        fi
        if ! kill -0 "$launcher" 2>/dev/null && ! node_pid >/dev/null; then
            show_logs
            die "node $NODE exited during startup (see $LOG_DIR)"
        fi
        if (( SECONDS - t0 >= START_TIMEOUT )); then
            show_logs
            kill_half_started "$launcher"
            maybe_kill_epmd
            die "node $NODE not ready after ${START_TIMEOUT}s (logs in $LOG_DIR)"
        fi
        sleep 0.5
    done
    info "node $NODE ready after $((SECONDS - t0))s"
    printf 'amqp://guest:guest@127.0.0.1:%s/\n' "$AMQP_PORT"
}

# Kill the epmd this script's nodes started, but only once no node is registered with it.
maybe_kill_epmd() {
    local names p ours=""
    names="$(epmd -names 2>/dev/null)" || return 0   # no epmd running
    if grep -q '^name ' <<<"$names"; then
        return 0                                      # other nodes still use it
    fi
    for p in /proc/[0-9]*; do
        [[ "$(cat "$p/comm" 2>/dev/null)" == epmd ]] || continue
        if tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -q '^LMIS_RABBITMQ_NODE_DIR='; then
            ours=1
        fi
    done
    if [[ -n "$ours" ]]; then
        epmd -kill >/dev/null 2>&1 || true
    fi
}

cmd_stop() {
    [[ $# -eq 1 ]] || usage
    [[ -d "$1" ]] || { info "no such directory '$1'; nothing to stop"; return 0; }
    local port
    if ! port="$(read_port "$1")"; then
        info "no node was started in '$1'; nothing to stop"
        return 0
    fi
    setup_env "$1" "$port"
    lock_dir

    local pid="" t0=$SECONDS
    pid="$(node_pid)" || pid=""
    if [[ -z "$pid" ]] && ! port_open "$AMQP_PORT"; then
        info "node $NODE is not running"
        maybe_kill_epmd
        return 0
    fi
    info "stopping $NODE"
    # Graceful stop of exactly this node (by name); rabbitmqctl waits for the pid to exit.
    if [[ -n "$pid" ]]; then
        timeout "$STOP_TIMEOUT" "$BIN_DIR/rabbitmqctl" -n "$NODE" -q stop "$PID_FILE" >/dev/null 2>&1 || true
    else
        timeout "$STOP_TIMEOUT" "$BIN_DIR/rabbitmqctl" -n "$NODE" -q stop >/dev/null 2>&1 || true
    fi
    # Wait (bounded) until the process is gone and the port is closed; escalate if needed.
    local sent_term="" sent_kill=""
    while { [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; } || port_open "$AMQP_PORT"; do
        local elapsed=$((SECONDS - t0))
        if [[ -n "$pid" && -z "$sent_term" ]] && (( elapsed >= STOP_TIMEOUT )); then
            info "graceful stop timed out; sending SIGTERM to $pid"
            kill -TERM "$pid" 2>/dev/null || true
            sent_term=1
        elif [[ -n "$pid" && -z "$sent_kill" ]] && (( elapsed >= STOP_TIMEOUT + 15 )); then
            info "sending SIGKILL to $pid"
            kill -KILL "$pid" 2>/dev/null || true
            sent_kill=1
        elif (( elapsed >= STOP_TIMEOUT + 25 )); then
            die "node $NODE did not stop: port $AMQP_PORT still open (not ours to kill if no pid: $PID_FILE)"
        fi
        sleep 0.3
    done
    rm -f -- "$PID_FILE"
    maybe_kill_epmd
    info "node $NODE stopped after $((SECONDS - t0))s"
}

cmd_status() {
    [[ $# -eq 1 ]] || usage
    local port
    if [[ ! -d "$1" ]] || ! port="$(read_port "$1")"; then
        info "not running (no node was started in '$1')"
        exit 3
    fi
    setup_env "$1" "$port"
    if node_pid >/dev/null && node_running; then
        info "node $NODE running (pid $(node_pid)), amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
        return 0
    fi
    info "node $NODE not running"
    exit 3
}

cmd_ctl() {
    [[ $# -ge 2 ]] || usage
    local port
    if [[ ! -d "$1" ]] || ! port="$(read_port "$1")"; then
        die "no node was started in '$1'"
    fi
    setup_env "$1" "$port"
    shift
    exec "$BIN_DIR/rabbitmqctl" -n "$NODE" "$@"
}

[[ $# -ge 1 ]] || usage
cmd="$1"
shift
case "$cmd" in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    ctl) cmd_ctl "$@" ;;
    -h | --help | help) usage ;;
    *) printf '%s: unknown command %s\n' "$PROG" "$cmd" >&2; usage ;;
esac
