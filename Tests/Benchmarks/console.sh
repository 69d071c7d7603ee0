# What the operations console costs while it watches the whole local platform: the release
# kisum-console in a detached 80x24 tmux terminal, refreshing every 2 s, against the daemons of
# `./kisum up` (which must be running: ./kisum up --detach); after 10 s of warm-up, its CPU over
# 60 s (pidstat, per second) and its resident memory. Sourced by ./kisum bench console.
bench_console() {
    [ -f "$STATE/console-targets.json" ] || die "the local platform is not set up: run ./kisum up --detach first"
    command -v tmux >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; }
    command -v pidstat >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sysstat >/dev/null; }
    local session="kisum-bench-console-$$" pid
    tmux new-session -d -s "$session" -x 80 -y 24 \
        "TERM=xterm-256color $bin/kisum-console --state $STATE --runbooks $ROOT/runbooks --interval 2"
    sleep 2
    pid="$(pgrep -n -x kisum-console)"
    [ -n "$pid" ] || { tmux kill-session -t "$session" 2>/dev/null; die "kisum-console did not start"; }
    sleep 8
    local cpu rss
    cpu="$(LC_ALL=C pidstat -u -p "$pid" 1 60 | awk '/^Average/ {print $8}')"
    rss="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
    echo "console, 80x24, 2 s refresh, $(python3 -c "import json;print(len(json.load(open('$STATE/console-targets.json'))['targets']))" 2>/dev/null || echo '?') targets: CPU ${cpu}% of one core (60 s average), RSS $((rss / 1024)) MB"
    tmux capture-pane -p -t "$session" | head -n 14
    tmux kill-session -t "$session"
}
