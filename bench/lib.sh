# bench/lib.sh: helpers shared by bench/run.sh and bench/cluster.sh (sourced, not run).

# free_port prints a free 127.0.0.1 port below the ephemeral range (32768+), so that the fleet's
# client ports never collide with it; nothing when none was found.
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
}

# cpu_ticks prints the user+system CPU ticks of process $1.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# pg_cpu prints PostgreSQL's CPU ticks: every live postgres process, plus the exited backends
# the postmaster reaped (its cutime/cstime).
pg_cpu() {
	local s=0 pid
	for pid in $(pgrep -u postgres 2>/dev/null); do
		s=$((s + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
	done
	pid=$(pgrep -u postgres -o postgres 2>/dev/null || true)
	[ -n "$pid" ] && s=$((s + $(awk '{ print $16 + $17 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
	echo "$s"
}
