#!/usr/bin/env bash
# bench/run.sh: one repeatable load run of the hub against `hub sim chargers`, on loopback only.
#
# Builds hub once, starts `hub serve` on a free 127.0.0.1 port with a fresh SQLite file (or a
# throwaway PostgreSQL database), registers the simulator's id tags, runs the fleet, samples
# the hub's memory and CPU from /proc, and prints one summary line. It stops by itself:
# the fleet's length is bounded by its flags and the whole run by --timeout.
#
#   bench/run.sh [--db sqlite|postgres] [--protocol ocpp1.6|ocpp2.0.1|mixed] [--count N]
#                [--sessions K] [--meter-values M] [--meter-interval D] [--hold D] [--ramp-up D]
#                [--timeout SECONDS] [--keep] [--hub BINARY]   (prebuilt hub instead of ./cmd/hub)
#                [--cpuprofile SECONDS]   (hub CPU and allocation profiles of the fleet's first SECONDS, kept as cpu.pprof and allocs.pprof)
#                [--locations K]   (register the stations and put every K of them in an OCPI location)
#                [--trace SECONDS]   (a hub execution trace of SECONDS from the fleet's 40th second, kept as trace.out)
#
# BENCH_SQLITE_QUERY (e.g. '?_pragma=temp_store(memory)') is appended to the SQLite URL, to try
# connection settings. See bench/README.md for what the columns mean.
set -euo pipefail

db=sqlite protocol=ocpp1.6 count=1000 sessions=1 meter_values=3 meter_interval=2s hold=10s ramp_up=0s
timeout_s=600 keep=0 hub_bin="" cpuprofile=0 locations=0 trace=0
pg_base=${BENCH_PG_BASE:-postgres://postgres@127.0.0.1:5432}

die() { echo "bench: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--db) db=$2; shift 2 ;;
	--protocol) protocol=$2; shift 2 ;;
	--count) count=$2; shift 2 ;;
	--sessions) sessions=$2; shift 2 ;;
	--meter-values) meter_values=$2; shift 2 ;;
	--meter-interval) meter_interval=$2; shift 2 ;;
	--hold) hold=$2; shift 2 ;;
	--ramp-up) ramp_up=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--hub) hub_bin=$2; shift 2 ;;
	--cpuprofile) cpuprofile=$2; keep=1; shift 2 ;;
	--locations) locations=$2; shift 2 ;;
	--trace) trace=$2; keep=1; shift 2 ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
case "$db" in sqlite|postgres) ;; *) die "--db must be sqlite or postgres" ;; esac
case "$protocol" in ocpp1.6|ocpp2.0.1|mixed) ;; *) die "--protocol must be ocpp1.6, ocpp2.0.1 or mixed" ;; esac
[[ "$count" =~ ^[0-9]+$ && "$count" -ge 1 ]] || die "--count must be a positive integer"
[[ "$locations" =~ ^[0-9]+$ ]] || die "--locations must be a number of stations per location (0: none)"
for tool in jq curl /usr/bin/time; do command -v "$tool" >/dev/null || die "$tool is required"; done

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$repo/bench/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hubbench.XXXXXX")
hub_pid="" pgdb=""

cleanup() {
	set +e
	if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
		kill -TERM "$hub_pid"
		for _ in $(seq 1 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
		kill -0 "$hub_pid" 2>/dev/null && kill -KILL "$hub_pid"
	fi
	if [ -n "$pgdb" ]; then
		psql "$pg_base/postgres" -qAt -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1
	fi
	if [ "$keep" = 1 ]; then echo "bench: files kept in $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build and limits -------------------------------------------------------------------
if [ -n "$hub_bin" ]; then
	cp "$hub_bin" "$tmp/hub" || die "cannot copy $hub_bin"
else
	(cd "$repo" && go build -o "$tmp/hub" ./cmd/hub) || die "go build ./cmd/hub failed"
fi
hard=$(ulimit -Hn)
want=20000
[ "$hard" != unlimited ] && [ "$hard" -lt "$want" ] && want=$hard
ulimit -n "$want" || die "cannot raise the open-file limit to $want"
[ "$count" -le $((want - 200)) ] || die "--count $count needs more than the $want open files a process may have"

# --- database ---------------------------------------------------------------------------
if [ "$db" = postgres ]; then
	command -v psql >/dev/null || die "psql is required for --db postgres"
	pgdb="hubbench_$$"
	psql "$pg_base/postgres" -qAt -c "CREATE DATABASE $pgdb" >/dev/null || die "cannot create database $pgdb"
	export HUB_DATABASE_URL="$pg_base/$pgdb?sslmode=disable"
else
	export HUB_DATABASE_URL="sqlite:$tmp/hub.db${BENCH_SQLITE_QUERY:-}"
fi
export HUB_UNKNOWN_STATIONS=accept HUB_LOG_LEVEL=warn HUB_ADMIN_TOKEN="bench-$$-$RANDOM"
[ "$cpuprofile" != 0 ] || [ "$trace" != 0 ] && export HUB_PPROF=true

port=$(free_port)
[ -n "$port" ] || die "no free port found"
export HUB_HTTP_ADDR="127.0.0.1:$port"

t0=$(date +%s)
seq 1 "$count" | awk '{ printf "SIMTAG%05d\n", $1 }' | xargs -n 500 "$tmp/hub" tags add >/dev/null 2>"$tmp/tags.log" ||
	{ cat "$tmp/tags.log" >&2; die "hub tags add failed"; }
if [ "$locations" -gt 0 ]; then
	seq 1 "$count" | awk '{ printf "SIM%05d\n", $1 }' | xargs -n 500 "$tmp/hub" stations add >/dev/null 2>"$tmp/stations.log" ||
		{ cat "$tmp/stations.log" >&2; die "hub stations add failed"; }
fi
tags_s=$(($(date +%s) - t0))

# --- hub ----------------------------------------------------------------------------------
"$tmp/hub" serve >"$tmp/hub.out" 2>"$tmp/hub.log" &
hub_pid=$!
for _ in $(seq 1 300); do
	curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
	kill -0 "$hub_pid" 2>/dev/null || { cat "$tmp/hub.log" >&2; die "hub serve exited"; }
	sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || die "hub not ready after 60 s"

# --- OCPI locations (--locations K): SIM00001..K in BENCH-00001, the next K in the next one, ...
loc_s=0
if [ "$locations" -gt 0 ]; then
	t0=$(date +%s)
	for ((first = 1; first <= count; first += locations)); do
		last=$((first + locations - 1)); [ "$last" -gt "$count" ] && last=$count
		ids=$(seq "$first" "$last" | awk '{ printf "%s\"SIM%05d\"", (NR > 1 ? "," : ""), $1 }')
		printf '{"id": "BENCH-%05d", "publish": true, "name": "Bench %d", "address": "1 Main Street", "city": "Pune",
			"country": "IND", "coordinates": {"latitude": "18.520430", "longitude": "73.856744"}, "time_zone": "Asia/Kolkata",
			"station_ids": [%s], "connector_defaults": {"*": {"standard": "IEC_62196_T2", "format": "SOCKET",
			"power_type": "AC_3_PHASE", "max_voltage": 230, "max_amperage": 32}}}' "$first" "$first" "$ids" |
			curl -fsS -o /dev/null -H "Authorization: Bearer $HUB_ADMIN_TOKEN" -H 'Content-Type: application/json' \
				--data-binary @- "http://127.0.0.1:$port/api/v1/locations" || die "creating location BENCH-$first failed"
	done
	loc_s=$(($(date +%s) - t0))
fi

tck=$(getconf CLK_TCK)
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# goroutines, heap in use and stack in use of the hub (bytes), from its /metrics
gomem() {
	curl -fs --max-time 2 "http://127.0.0.1:$port/metrics" 2>/dev/null | awk '
		/^go_goroutines / { g = $2 } /^go_memstats_heap_inuse_bytes / { h = $2 } /^go_memstats_stack_inuse_bytes / { s = $2 }
		END { printf "%d %d %d\n", g + 0, h + 0, s + 0 }'
}
# established OCPP sockets on the hub's side of the listener
conns() { ss -Htn state established "( sport = :$port )" 2>/dev/null | wc -l; }

sleep 2
idle_rss=$(rss_kib "$hub_pid")
load=$(cut -d' ' -f1 /proc/loadavg)
read -r idle_gr idle_heap idle_stack <<<"$(gomem)"
hub_cpu0=$(cpu_ticks "$hub_pid")
pg_cpu0=$(pg_cpu)

# --- fleet ----------------------------------------------------------------------------------
timeout --signal=INT --kill-after=30 "$timeout_s" /usr/bin/time -v -o "$tmp/sim.time" \
	"$tmp/hub" sim chargers --url "ws://127.0.0.1:$port/ocpp" --protocol "$protocol" --count "$count" --sessions "$sessions" \
	--meter-values "$meter_values" --meter-interval "$meter_interval" --hold "$hold" --hold-together --ramp-up "$ramp_up" \
	--json >"$tmp/report.json" 2>"$tmp/sim.log" &
sim_pid=$!
if [ "$cpuprofile" != 0 ]; then
	( sleep $((cpuprofile / 2)); curl -fs -H "Authorization: Bearer $HUB_ADMIN_TOKEN" "http://127.0.0.1:$port/debug/pprof/goroutine?debug=1" -o "$tmp/goroutines.txt" ) &
	curl -fs --max-time $((cpuprofile + 30)) -H "Authorization: Bearer $HUB_ADMIN_TOKEN" \
		"http://127.0.0.1:$port/debug/pprof/profile?seconds=$cpuprofile" -o "$tmp/cpu.pprof" &
	curl -fs --max-time $((cpuprofile + 30)) -H "Authorization: Bearer $HUB_ADMIN_TOKEN" \
		"http://127.0.0.1:$port/debug/pprof/allocs?seconds=$cpuprofile" -o "$tmp/allocs.pprof" &
fi
if [ "$trace" != 0 ]; then
	( sleep 40; curl -fs --max-time $((trace + 30)) -H "Authorization: Bearer $HUB_ADMIN_TOKEN" \
		"http://127.0.0.1:$port/debug/pprof/trace?seconds=$trace" -o "$tmp/trace.out" ) &
fi

# hold_rss: the last sample while the most stations were connected, i.e. the end of the
# hold (every station connected, sessions over): the steady-state cost of the fleet.
peak_rss=$idle_rss peak_conns=0 hold_rss=$idle_rss hold_mem="$idle_gr $idle_heap $idle_stack" scraped=0
while kill -0 "$sim_pid" 2>/dev/null; do
	r=$(rss_kib "$hub_pid") n=$(conns)
	[ "$r" -gt "$peak_rss" ] && peak_rss=$r
	if [ "$n" -ge "$peak_conns" ] && [ "$n" -gt 0 ]; then
		peak_conns=$n hold_rss=$r
		if [ $((SECONDS - scraped)) -ge 2 ]; then hold_mem=$(gomem) scraped=$SECONDS; fi
	fi
	kill -0 "$hub_pid" 2>/dev/null || { cat "$tmp/hub.log" >&2; die "hub died during the run"; }
	sleep 0.5
done
sim_rc=0
wait "$sim_pid" || sim_rc=$?
curl -fs --max-time 5 "http://127.0.0.1:$port/metrics" >"$tmp/metrics.txt" 2>/dev/null || true
hub_cpu=$(awk -v a="$hub_cpu0" -v b="$(cpu_ticks "$hub_pid")" -v t="$tck" 'BEGIN { printf "%.1f", (b - a) / t }')
pg_cpu_s=$(awk -v a="$pg_cpu0" -v b="$(pg_cpu)" -v t="$tck" -v db="$db" 'BEGIN { if (db == "postgres") printf "%.1f", (b - a) / t; else print "n/a" }')

[ -s "$tmp/report.json" ] || { cat "$tmp/sim.log" >&2; die "the simulator printed no report (exit $sim_rc)"; }
rep=$tmp/report.json
j() { jq -r "$1" "$rep"; }
sim_user=$(awk -F': ' '/User time/ { print $2 }' "$tmp/sim.time")
sim_sys=$(awk -F': ' '/System time/ { print $2 }' "$tmp/sim.time")
sim_cpu=$(awk -v u="$sim_user" -v s="$sim_sys" 'BEGIN { printf "%.1f", u + s }')
sim_rss=$(awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$tmp/sim.time")
connected=$(j .connected)
read -r hold_gr hold_heap hold_stack <<<"$hold_mem"
per_conn() { awk -v a="$1" -v b="$2" -v n="$peak_conns" -v d="$3" 'BEGIN { if (n > 0) printf "%.1f", (a - b) / n / d; else print "n/a" }'; }
per_station() { awk -v p="$1" -v i="$idle_rss" -v n="$peak_conns" 'BEGIN { if (n > 0) printf "%.1f", (p - i) / n; else print "n/a" }'; }
hub_warn=$(grep -c '"level":"WARN"' "$tmp/hub.log" || true)
hub_err=$(grep -c '"level":"ERROR"' "$tmp/hub.log" || true)
ms() { jq -r "$1 / 1e6 | . * 100 | round / 100" "$rep"; }
# per protocol: sessions completed/started, messages, p50 and p99 of the simulator's CALLs
by_protocol=$(jq -r '[(.protocols // {}) | to_entries[] | "\(.key):sessions=\(.value.sessions_completed)/\(.value.sessions_started),msgs=\(.value.messages),p50=\(.value.latency_p50_ns / 1e4 | round / 100)ms,p99=\(.value.latency_p99_ns / 1e4 | round / 100)ms,errors=\(.value.call_errors)/\(.value.schema_errors)/\(.value.timeouts)/\(.value.disconnects)"] | join(";")' "$rep")

printf 'db=%s protocol=%s load=%s stations=%s connected=%s peak_conns=%s sessions=%s/%s msgs=%s msgs/s=%.0f active_s=%.1f p50=%sms p99=%sms max=%sms hub_rss_idle=%dMiB hub_rss_hold=%dMiB hub_rss_peak=%dMiB kib_per_station(hold/peak)=%s/%s per_station(goroutines/heap_KiB/stack_KiB)=%s/%s/%s hub_cpu_s=%s pg_cpu_s=%s sim_cpu_s=%s sim_rss=%dMiB elapsed_s=%.1f errors(call/schema/timeout/disc/dial)=%s/%s/%s/%s/%s dial_retries=%s hub_log(warn/error)=%s/%s tags_setup_s=%s locations=%s locations_setup_s=%s by_protocol=%s\n' \
	"$db" "$protocol" "$load" "$(j .stations)" "$connected" "$peak_conns" "$(j .sessions_completed)" "$(j .sessions_started)" "$(j .messages)" \
	"$(j .messages_per_second)" "$(jq -r '.active_ns / 1e9' "$rep")" "$(ms .latency_p50_ns)" "$(ms .latency_p99_ns)" "$(ms .latency_max_ns)" \
	$((idle_rss / 1024)) $((hold_rss / 1024)) $((peak_rss / 1024)) "$(per_station "$hold_rss")" "$(per_station "$peak_rss")" \
	"$(per_conn "$hold_gr" "$idle_gr" 1)" "$(per_conn "$hold_heap" "$idle_heap" 1024)" "$(per_conn "$hold_stack" "$idle_stack" 1024)" "$hub_cpu" "$pg_cpu_s" "$sim_cpu" "$sim_rss" \
	"$(jq -r '.elapsed_ns / 1e9' "$rep")" "$(j .call_errors)" "$(j .schema_errors)" "$(j .timeouts)" "$(j .disconnects)" \
	"$(j .dial_errors)" "$(j '.dial_retries // 0')" "$hub_warn" "$hub_err" "$tags_s" "$locations" "$loc_s" "$by_protocol"
if [ "$(j '.errors | length')" != 0 ]; then
	echo "simulator errors (examples):" >&2
	j '.errors[]' | sed 's/^/  /' >&2
fi
if [ "$hub_warn$hub_err" != 00 ]; then
	echo "hub log, first warn/error lines:" >&2
	grep -E '"level":"(WARN|ERROR)"' "$tmp/hub.log" | head -5 | cut -c1-400 | sed 's/^/  /' >&2
fi
[ "$sim_rc" = 0 ] || echo "bench: simulator exited with status $sim_rc" >&2
