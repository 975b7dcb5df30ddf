#!/usr/bin/env bash
# bench/crash.sh: crash safety of the hub under live traffic, on loopback only.
#
# Builds hub and bench/crashkit, starts `hub serve` (fresh SQLite file, or a private PostgreSQL
# instance in a temporary directory), registers an eMSP peer (crashkit emsp) whose tokens the
# stations use, puts the stations in a published location, and runs a fleet (crashkit fleet)
# whose stations reconnect and resend until their sessions complete. While sessions are live it
# kills the hub with SIGKILL and restarts it (--kills), and on PostgreSQL also restarts
# PostgreSQL itself with an immediate (crash) shutdown under load (--pg-restarts). Then it checks
# (crashkit check, through the admin API and SQL): every session completed, exactly one
# transaction per session and all Completed, one OCPI Session and one CDR per transaction, every
# outbox item delivered, and received by the eMSP once (a push in flight at a kill may arrive
# twice: delivery is at least once; such redeliveries are reported). Exits non-zero on a
# violation. It stops by itself: the fleet has a deadline and the whole run --timeout.
#
# --tokens local (the default) gives the stations hub id tags (their Sessions and CDRs are stored,
# not pushed); --tokens emsp has them use the eMSP's tokens, so Sessions and CDRs are pushed too.
#
#   bench/crash.sh [--db sqlite|postgres] [--count N] [--sessions K] [--meter-values M]
#                  [--interval D] [--kills N] [--pg-restarts N] [--tokens local|emsp]
#                  [--timeout SECONDS] [--keep]
set -euo pipefail

db=sqlite count=10 sessions=2 meter_values=4 interval=400ms kills=1 pg_restarts="" tokens=local timeout_s=180 keep=0
die() { echo "crash: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--db) db=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	--sessions) sessions=$2; shift 2 ;;
	--meter-values) meter_values=$2; shift 2 ;;
	--interval) interval=$2; shift 2 ;;
	--kills) kills=$2; shift 2 ;;
	--pg-restarts) pg_restarts=$2; shift 2 ;;
	--tokens) tokens=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$db" in sqlite|postgres) ;; *) die "--db must be sqlite or postgres" ;; esac
case "$tokens" in local|emsp) ;; *) die "--tokens must be local or emsp" ;; esac
[ -z "$pg_restarts" ] && { [ "$db" = postgres ] && pg_restarts=1 || pg_restarts=0; }
[ "$db" = sqlite ] && [ "$pg_restarts" != 0 ] && die "--pg-restarts needs --db postgres"
for v in count sessions meter_values kills pg_restarts timeout_s; do
	[[ "${!v}" =~ ^[0-9]+$ ]] || die "--${v//_/-} must be a non-negative integer"
done
[ "$count" -ge 1 ] && [ "$count" -le 9999 ] || die "--count must be 1..9999"
command -v curl >/dev/null || die "curl is required"
command -v jq >/dev/null || die "jq is required"

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hubcrash.XXXXXX")
chmod 755 "$tmp"
hub_pid="" peer_pid="" fleet_pid="" pg_bin="" pg_dir="" watchdog=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
	set +e
	[ -n "$watchdog" ] && { pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null; }
	for p in $fleet_pid $hub_pid $peer_pid; do
		kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	for p in $fleet_pid $hub_pid $peer_pid; do
		for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	[ -n "$pg_dir" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_dir" -m immediate -w stop >/dev/null 2>&1
	if [ "$keep" = 1 ]; then echo "crash: files kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the whole run is bounded: the watchdog stops the script after --timeout seconds
( sleep "$timeout_s"; echo "crash: timed out after ${timeout_s}s" >&2; kill -TERM $$ ) 2>/dev/null &
watchdog=$!

free_port() {
	for _ in $(seq 1 50); do
		local p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	die "no free port found"
}

echo "crash: building hub and crashkit"
(cd "$repo" && go build -o "$tmp/hub" ./cmd/hub && go build -o "$tmp/crashkit" ./bench/crashkit) || die "go build failed"

# --- database -------------------------------------------------------------------------------
if [ "$db" = postgres ]; then
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
	[ -x "$pg_bin/initdb" ] || pg_bin=$(dirname "$(command -v initdb || true)")
	[ -x "$pg_bin/initdb" ] || die "initdb not found (install postgresql)"
	pg_dir="$tmp/pg" pg_port=$(free_port)
	mkdir -p "$pg_dir" && { [ "$(id -u)" != 0 ] || chown postgres "$pg_dir"; }
	as_pg "$pg_bin/initdb" -D "$pg_dir" -A trust -U postgres >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
	pg_start() {
		as_pg "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 30 \
			-o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null ||
			{ cat "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
	}
	pg_start
	export HUB_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
else
	export HUB_DATABASE_URL="sqlite:$tmp/hub.db"
fi
port=$(free_port) peer_port=$(free_port)
export HUB_HTTP_ADDR="127.0.0.1:$port" HUB_PUBLIC_URL="http://127.0.0.1:$port" HUB_ADMIN_TOKEN="crash-$$-$RANDOM"
export HUB_LOG_LEVEL=${HUB_LOG_LEVEL:-warn} HUB_UNKNOWN_STATIONS=reject HUB_NODE_HEARTBEAT=1s
base="http://127.0.0.1:$port"
api() { curl -fsS -H "Authorization: Bearer $HUB_ADMIN_TOKEN" -H 'Content-Type: application/json' "$@"; }

start_hub() {
	"$tmp/hub" serve >>"$tmp/hub.out" 2>>"$tmp/hub.log" &
	hub_pid=$!
	for _ in $(seq 1 300); do
		curl -fs "$base/readyz" >/dev/null 2>&1 && return 0
		kill -0 "$hub_pid" 2>/dev/null || { tail -n 20 "$tmp/hub.log" >&2; die "hub serve exited"; }
		sleep 0.1
	done
	die "hub not ready after 30 s"
}
now_ms() { date +%s%3N; }

# --- set up: peer, hub, stations, partner, location -------------------------------------------
"$tmp/crashkit" emsp --addr "127.0.0.1:$peer_port" --count "$count" >"$tmp/peer.out" 2>"$tmp/peer.log" &
peer_pid=$!
start_hub
ids=$(seq 1 "$count" | awk '{ printf "CRASH%05d\n", $1 }')
for id in $ids; do api -X POST "$base/api/v1/stations" -d "{\"id\":\"$id\"}" >/dev/null; done
if [ "$tokens" = local ]; then
	for i in $(seq 1 "$count"); do
		api -X PUT "$base/api/v1/idtags/$(printf 'CRASHTAG%05d' "$i")" -d '{"status":"Accepted"}' >/dev/null
	done
fi
"$tmp/hub" partners register --versions-url "http://127.0.0.1:$peer_port/ocpi/emsp/versions" --token "crash-A" \
	>"$tmp/register.out" 2>&1 || { cat "$tmp/register.out" >&2; die "hub partners register failed"; }
for _ in $(seq 1 150); do
	[ "$(curl -fs "http://127.0.0.1:$peer_port/ocpi/emsp/stats" | jq .tokens_pushed)" = "$count" ] && break
	sleep 0.2
done
[ "$(curl -fs "http://127.0.0.1:$peer_port/ocpi/emsp/stats" | jq .tokens_pushed)" = "$count" ] || die "the eMSP could not push its tokens"
loc=$(printf '%s\n' $ids | jq -R . | jq -s '{id: "CRASH-LOC", publish: true, name: "Crash depot", address: "1 Loop Rd",
	city: "Pune", postal_code: "411001", country: "IND", coordinates: {latitude: "18.520400", longitude: "73.856700"},
	time_zone: "Asia/Kolkata", station_ids: .,
	connector_defaults: (map({key: ., value: {standard: "IEC_62196_T2", format: "SOCKET", power_type: "AC_3_PHASE",
		max_voltage: 230, max_amperage: 32}}) | from_entries)}')
api -X POST "$base/api/v1/locations" -d "$loc" >/dev/null || die "cannot create the location"

# --- run, disrupt, finish -----------------------------------------------------------------------
t0=$(date +%s)
"$tmp/crashkit" fleet --url "ws://127.0.0.1:$port/ocpp" --count "$count" --sessions "$sessions" \
	--meter-values "$meter_values" --interval "$interval" --deadline "$((timeout_s * 2 / 3))s" >"$tmp/fleet.json" 2>"$tmp/fleet.log" &
fleet_pid=$!
disruptions=""
run_ms=$(( ${interval%ms} * meter_values ))  # one session's length (interval in ms)
[[ "$interval" == *ms ]] || run_ms=$((meter_values * 1000))
step_ms=$(( run_ms * sessions / (kills + pg_restarts + 1) ))
[ "$step_ms" -ge 300 ] || step_ms=300
k=0 r=0
while [ $k -lt "$kills" ] || [ $r -lt "$pg_restarts" ]; do
	sleep "$(awk -v ms="$step_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
	kill -0 "$fleet_pid" 2>/dev/null || { echo "crash: the fleet finished before every disruption" >&2; break; }
	if [ $k -lt "$kills" ] && { [ $r -ge "$pg_restarts" ] || [ $k -le $r ]; }; then
		disruptions="$disruptions,$(now_ms)"
		kill -KILL "$hub_pid"; wait "$hub_pid" 2>/dev/null || true
		echo "crash: hub killed with SIGKILL at +$(( $(date +%s) - t0 ))s; restarting"
		start_hub
		k=$((k + 1))
	else
		disruptions="$disruptions,$(now_ms)"
		echo "crash: PostgreSQL crash-restarted (immediate) at +$(( $(date +%s) - t0 ))s under load"
		as_pg "$pg_bin/pg_ctl" -D "$pg_dir" -m immediate -w stop >/dev/null
		sleep 0.5
		pg_start
		disruptions="$disruptions,$(now_ms)"
		r=$((r + 1))
	fi
done
fleet_rc=0
wait "$fleet_pid" || fleet_rc=$?
fleet_pid=""
[ "$fleet_rc" = 0 ] || { echo "crash: fleet failed:" >&2; cat "$tmp/fleet.log" "$tmp/fleet.json" >&2; }
jq -c '{sessions_completed, sessions_expected, reconnects, retries, elapsed}' "$tmp/fleet.json" 2>/dev/null | sed 's/^/crash: fleet /'

# An item claimed just before PostgreSQL went away waits for its lease (2 min) before it is retried.
check_wait=60s
[ "$pg_restarts" -gt 0 ] && check_wait=150s
check_rc=0
"$tmp/crashkit" check --wait "$check_wait" --hub "$base" --token "$HUB_ADMIN_TOKEN" --database-url "$HUB_DATABASE_URL" \
	--emsp "http://127.0.0.1:$peer_port/ocpi/emsp" --fleet-report "$tmp/fleet.json" --disruptions "${disruptions#,}" \
	--pushed-cdrs="$([ "$tokens" = emsp ] && echo true || echo false)" || check_rc=$?
echo "crash: db=$db tokens=$tokens stations=$count sessions=$sessions kills=$k pg_restarts=$r in $(( $(date +%s) - t0 ))s"
if [ "$fleet_rc" != 0 ] || [ "$check_rc" != 0 ]; then
	echo "crash: FAILED (hub log: $tmp/hub.log)" >&2
	keep=1
	exit 1
fi
echo "crash: OK"
