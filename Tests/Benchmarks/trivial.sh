# What the platform's middleware and logging cost: Auth's JWKS route (the daemon's trivial route)
# at LOG_LEVEL=info (lines to a file, and to /dev/null) and warning against a bare Hummingbird hello-world route, three rounds in
# alternating order, each row wrk -t2 -c64, 3 s warm-up, 10 s measured. A quick loop for work
# on the middleware; the table of record is ./kisum bench enforce. BENCH_PERF=DIR samples each
# Auth during its first round (perf, 299 Hz). Sourced by ./kisum bench trivial.
bench_trivial() {
    local pg_port; pg_port="$(free_port)"
    start_postgres "$tmp/pg" "$pg_port"
    bench_databases "$pg_port" auth
    local auth_private auth_public
    eval "$("$bin/kisum-ops" keys service)"; auth_private="$PRIVATE"; auth_public="$PUBLIC"
    local key_encryption cache_integrity
    key_encryption="$(head -c 32 /dev/urandom | base64)"; cache_integrity="$(head -c 32 /dev/urandom | base64)"
    local -A ports
    local level
    # info-null: at info, its lines to /dev/null (what formatting costs without the file's I/O).
    for level in info info-null warning; do
        local public mgmt out="$tmp/auth-$level.log"; public="$(free_port)"; mgmt="$(free_port)"; ports[$level]="$public"
        [ "$level" = info-null ] && out=/dev/null
        env KISUM_ENV=dev LOG_LEVEL="${level%-null}" KISUM_PUBLIC_LISTEN="127.0.0.1:$public" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$mgmt" \
            AUTH_DB_URL="postgres://kisum_auth_app:r@127.0.0.1:$pg_port/kisum_auth?sslmode=disable" \
            INTERNAL_SIGNING_KEY="$auth_private" INTERNAL_TRUSTED_KEYS="admin=$auth_public" \
            AUTH_KEY_ENCRYPTION_KEY="$key_encryption" AUTH_CACHE_INTEGRITY_KEY="$cache_integrity" \
            JWT_ISSUER="http://127.0.0.1:$public" JWT_AUDIENCE=kisum CORE_INTERNAL_URL="http://127.0.0.1:9" \
            "$bin/kisum-auth" >"$out" 2>&1 &
        pids+=($!)
        eval "auth_pid_${level//-/_}=$!"
        for _ in $(seq 300); do curl -sf "http://127.0.0.1:$public/.well-known/jwks.json" >/dev/null && break; sleep 0.1; done
    done
    local hello_port; hello_port="$(free_port)"
    "$bin/bench-hello" "$hello_port" >"$tmp/hello.log" 2>&1 &
    pids+=($!)
    sleep 1
    local round
    for round in 1 2 3; do
        quick_wrk "round $round: bare Hummingbird hello-world" "http://127.0.0.1:$hello_port/"
        for level in info info-null warning; do
            if [ "$round" = 1 ] && [ -n "${BENCH_PERF:-}" ]; then
                local pid_var="auth_pid_${level//-/_}"; profile "jwks-$level" "${!pid_var}"
            fi
            quick_wrk "round $round: [$level] auth GET /.well-known/jwks.json" "http://127.0.0.1:${ports[$level]}/.well-known/jwks.json"
        done
    done
    echo "log lines: info $(wc -l <"$tmp/auth-info.log"), warning $(wc -l <"$tmp/auth-warning.log")"
}

# quick_wrk NAME URL: 3 s warm-up, 10 s measured at 64 connections.
quick_wrk() {
    wrk -t2 -c64 -d3s -s "$ROOT/Tests/Benchmarks/plain.lua" "$2" >/dev/null
    wrk -t2 -c64 -d10s -s "$ROOT/Tests/Benchmarks/plain.lua" "$2" | sed -n "s|^RESULT |$1 (c64, 10 s): |p"
}

# profile NAME PID: with BENCH_PERF=DIR, samples PID's stacks during the next 10 s row.
profile() {
    command -v perf >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
    mkdir -p "$BENCH_PERF"
    (sleep 4; perf record -q -F 499 -g -p "$2" -o "$BENCH_PERF/$1.data" -- sleep 8 >/dev/null 2>&1) &
}
