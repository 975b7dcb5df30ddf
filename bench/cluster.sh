#!/usr/bin/env bash
# bench/cluster.sh: load run of N hub nodes on one PostgreSQL database, on loopback only.
#
# Builds hub once, creates a throwaway PostgreSQL database, starts --nodes `hub serve` processes
# on it (each its own port and HUB_NODE_ID), registers the id tags, and splits the fleet evenly:
# one `hub sim chargers` per node, all started together, node k's stations being SIM<k>-00001...
# with tags SIMTAG<k>00001... It prints one line per node and a total line: messages, msgs/s
# (the nodes' rates added: their fleets run side by side), latency, CPU of the hubs, of
# PostgreSQL and of the simulators, errors. Everything is stopped and dropped at the end.
#
#   bench/cluster.sh [--nodes N] [--count N] [--sessions K] [--meter-values M]
#                    [--meter-interval D] [--ramp-up D] [--timeout SECONDS] [--keep] [--hub BINARY]
set -euo pipefail

nodes=2 count=2000 sessions=1 meter_values=3 meter_interval=2s ramp_up=20s timeout_s=600 keep=0 hub_bin=""
pg_base=${BENCH_PG_BASE:-postgres://postgres@127.0.0.1:5432}
die() { echo "cluster: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--nodes) nodes=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	--sessions) sessions=$2; shift 2 ;;
	--meter-values) meter_values=$2; shift 2 ;;
	--meter-interval) meter_interval=$2; shift 2 ;;
	--ramp-up) ramp_up=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--hub) hub_bin=$2; shift 2 ;;
	-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
[[ "$nodes" =~ ^[1-9]$ ]] || die "--nodes must be 1..9"
[[ "$count" =~ ^[0-9]+$ && "$count" -ge "$nodes" ]] || die "--count must be at least --nodes"
for tool in jq curl psql /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool is required"; done

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hubcluster.XXXXXX")
pids=() pgdb=""
cleanup() {
	set +e
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do
		for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "$pgdb" ] && psql "$pg_base/postgres" -qAt -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1
	if [ "$keep" = 1 ]; then echo "cluster: files kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$hub_bin" ]; then cp "$hub_bin" "$tmp/hub"; else (cd "$repo" && go build -o "$tmp/hub" ./cmd/hub); fi
hard=$(ulimit -Hn) want=20000
[ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
ulimit -n "$want"
per=$((count / nodes))
[ "$per" -le $((want - 200)) ] || die "$per stations per node need more than $want open files"

pgdb="hubcluster_$$"
psql "$pg_base/postgres" -qAt -c "CREATE DATABASE $pgdb" >/dev/null || die "cannot create database $pgdb"
export HUB_DATABASE_URL="$pg_base/$pgdb?sslmode=disable" HUB_UNKNOWN_STATIONS=accept HUB_LOG_LEVEL=warn
export HUB_ADMIN_TOKEN="bench-$$-$RANDOM"
"$tmp/hub" migrate up >/dev/null 2>"$tmp/migrate.log" || { cat "$tmp/migrate.log" >&2; die "migrate failed"; }
for k in $(seq 1 "$nodes"); do
	seq 1 "$per" | awk -v k="$k" '{ printf "SIMTAG%d%05d\n", k, $1 }' | xargs -n 500 "$tmp/hub" tags add >/dev/null 2>>"$tmp/tags.log" ||
		{ cat "$tmp/tags.log" >&2; die "hub tags add failed"; }
done

ports=()
for k in $(seq 1 "$nodes"); do
	port=$(free_port)
	[ -n "$port" ] || die "no free port found"
	ports+=("$port")
	HUB_HTTP_ADDR="127.0.0.1:$port" HUB_NODE_ID="bench-$k" "$tmp/hub" serve >"$tmp/hub$k.out" 2>"$tmp/hub$k.log" &
	pids+=($!)
done
for k in $(seq 1 "$nodes"); do
	port=${ports[$((k - 1))]}
	for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
	curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$tmp/hub$k.log" >&2; die "node $k not ready"; }
done
sleep 2

tck=$(getconf CLK_TCK) load=$(cut -d' ' -f1 /proc/loadavg) pg0=$(pg_cpu)
declare -a cpu0
for k in $(seq 1 "$nodes"); do cpu0[$k]=$(cpu_ticks "${pids[$((k - 1))]}"); done

sims=()
for k in $(seq 1 "$nodes"); do
	timeout --signal=INT --kill-after=30 "$timeout_s" /usr/bin/time -v -o "$tmp/sim$k.time" \
		"$tmp/hub" sim chargers --url "ws://127.0.0.1:${ports[$((k - 1))]}/ocpp" --count "$per" --id-prefix "SIM$k-" \
		--tag-prefix "SIMTAG$k" --sessions "$sessions" --meter-values "$meter_values" --meter-interval "$meter_interval" \
		--ramp-up "$ramp_up" --json >"$tmp/report$k.json" 2>"$tmp/sim$k.log" &
	sims+=($!)
done
for s in "${sims[@]}"; do wait "$s" || true; done
pg_s=$(awk -v a="$pg0" -v b="$(pg_cpu)" -v t="$tck" 'BEGIN { printf "%.1f", (b - a) / t }')

total_msgs=0 total_rate=0 total_cpu=0 total_sim=0 worst_p99=0 errs=0
for k in $(seq 1 "$nodes"); do
	rep="$tmp/report$k.json"
	[ -s "$rep" ] || { cat "$tmp/sim$k.log" >&2; die "simulator $k printed no report"; }
	cpu=$(awk -v a="${cpu0[$k]}" -v b="$(cpu_ticks "${pids[$((k - 1))]}")" -v t="$tck" 'BEGIN { printf "%.1f", (b - a) / t }')
	sim=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.1f", u + s }' "$tmp/sim$k.time")
	read -r msgs rate p50 p99 mx e <<<"$(jq -r '[.messages, (.messages_per_second | round), (.latency_p50_ns / 1e4 | round / 100),
		(.latency_p99_ns / 1e4 | round / 100), (.latency_max_ns / 1e4 | round / 100),
		"\(.call_errors)/\(.schema_errors)/\(.timeouts)/\(.disconnects)/\(.dial_errors)"] | @tsv' "$rep")"
	sess=$(jq -r '"\(.sessions_completed)/\(.sessions_started)"' "$rep")
	warn=$(grep -c '"level":"WARN"' "$tmp/hub$k.log" || true) retries=$(jq -r '.dial_retries // 0' "$rep")
	echo "node=$k stations=$per sessions=$sess msgs=$msgs msgs/s=$rate p50=${p50}ms p99=${p99}ms max=${mx}ms hub_cpu_s=$cpu sim_cpu_s=$sim errors(call/schema/timeout/disc/dial)=$e dial_retries=$retries hub_warn=$warn"
	total_msgs=$((total_msgs + msgs)) total_rate=$((total_rate + rate))
	total_cpu=$(awk -v a="$total_cpu" -v b="$cpu" 'BEGIN { print a + b }')
	total_sim=$(awk -v a="$total_sim" -v b="$sim" 'BEGIN { print a + b }')
	worst_p99=$(awk -v a="$worst_p99" -v b="$p99" 'BEGIN { print (b > a) ? b : a }')
	errs=$((errs + $(jq -r '.call_errors + .schema_errors + .timeouts + .disconnects + .dial_errors' "$rep")))
done
echo "total nodes=$nodes load=$load stations=$((per * nodes)) msgs=$total_msgs msgs/s=$total_rate worst_p99=${worst_p99}ms hub_cpu_s=$total_cpu pg_cpu_s=$pg_s sim_cpu_s=$total_sim errors=$errs"
