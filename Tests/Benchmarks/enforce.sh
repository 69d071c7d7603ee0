# The shared access layer at a service: the canary's note read unenforced and enforced (token,
# x-org, module and permission) — warm, with Redis stopped, and with the change feed cut (an
# nginx in front of Auth refusing /access-feed, so every decision asks Auth) — next to nginx's
# `return 200` on loopback (this machine's HTTP ceiling), a bare Hummingbird route, one core's
# RSA-2048 sign rate, and Auth's own paths (JWKS, /auth/me/access, refresh, login) at the same
# level. Every row: wrk -t2 -c64, 5 s warm-up,
# 20 s measured, LOG_LEVEL as given (info as deployed, then warning). Sourced by ./kisum bench enforce.
bench_enforce() {
    command -v nginx >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
    local pg_port redis_port; pg_port="$(free_port)"; redis_port="$(free_port)"
    # pg_stat_statements (with planning time) shows what each Auth row costs the database.
    PG_EXTRA_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" \
        start_postgres "$tmp/pg" "$pg_port"
    start_redis "$tmp/redis" "$redis_port"
    bench_databases "$pg_port" core auth canary admin
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_auth" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
    local password="bench-password-1"
    bench_seed_identity "$pg_port" "$password"
    # The canary's route needs core_app.projects.read: a custom role per company holding it.
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_auth" -c "
        INSERT INTO roles (id, company_id, key, name, permissions)
            SELECT md5('role' || i)::uuid, md5(i::text)::uuid, 'projects', 'Projects', ARRAY['core_app.projects.read'] FROM generate_series(1, 1000) i;
        INSERT INTO membership_roles (membership_id, role_id) SELECT md5('membership' || i)::uuid, md5('role' || i)::uuid FROM generate_series(1, 1000) i;
        INSERT INTO users (id, email, password_hash, platform_roles)
            SELECT md5('bench-admin')::uuid, 'admin@bench.test', password_hash, '{platform_admin}' FROM users WHERE email = 'u1@bench.test';"
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_canary" -c \
        "INSERT INTO canary_notes (body) SELECT 'note ' || i FROM generate_series(1, 1000) i; ANALYZE;"

    local core_private core_public auth_private auth_public canary_private canary_public admin_public
    eval "$("$bin/kisum-ops" keys service)"; core_private="$PRIVATE"; core_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; auth_private="$PRIVATE"; auth_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; canary_private="$PRIVATE"; canary_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; echo "$PRIVATE" >"$tmp/admin.key"; admin_public="$PUBLIC"
    local core_port auth_port auth_mgmt nginx_port gate_port
    core_port="$(free_port)"; auth_port="$(free_port)"; auth_mgmt="$(free_port)"; nginx_port="$(free_port)"; gate_port="$(free_port)"
    KISUM_ENV=dev LOG_LEVEL=warning KISUM_MANAGEMENT_LISTEN="127.0.0.1:$core_port" CORE_DB_POOL_MAX=16 \
        CORE_DB_URL="postgres://kisum_core_app:r@127.0.0.1:$pg_port/kisum_core?sslmode=disable" \
        INTERNAL_SIGNING_KEY="$core_private" INTERNAL_TRUSTED_KEYS="auth=$auth_public" \
        AUTH_INTERNAL_URL="http://127.0.0.1:$auth_mgmt" "$bin/kisum-core" >"$tmp/core.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$core_port"
    # start_auth NAME PUBLIC_PORT MGMT_PORT LOG_LEVEL: instances share the database and keys.
    local key_encryption cache_integrity
    key_encryption="$(head -c 32 /dev/urandom | base64)"; cache_integrity="$(head -c 32 /dev/urandom | base64)"
    start_auth() {
        env KISUM_ENV=dev LOG_LEVEL="$4" KISUM_PUBLIC_LISTEN="127.0.0.1:$2" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$3" \
            AUTH_DB_URL="postgres://kisum_auth_app:r@127.0.0.1:$pg_port/kisum_auth?sslmode=disable" AUTH_DB_POOL_MAX=16 \
            REDIS_URL="redis://127.0.0.1:$redis_port" \
            INTERNAL_SIGNING_KEY="$auth_private" INTERNAL_TRUSTED_KEYS="core=$core_public,canary=$canary_public,admin=$admin_public" \
            AUTH_KEY_ENCRYPTION_KEY="$key_encryption" AUTH_CACHE_INTEGRITY_KEY="$cache_integrity" \
            JWT_ISSUER="http://127.0.0.1:$auth_port" JWT_AUDIENCE=kisum CORE_INTERNAL_URL="http://127.0.0.1:$core_port" \
            ACCESS_TOKEN_TTL=1h LOGIN_RATE_LIMIT_PER_IP=100000 LOGIN_RATE_LIMIT_PER_EMAIL=10000 REFRESH_RATE_LIMIT_PER_IP=100000 \
            "$bin/kisum-auth" >"$tmp/auth-$1.log" 2>&1 &
        pids+=($!)
        wait_ready "http://127.0.0.1:$3"
    }
    # The warning-level instance serves the canaries (feed and fallbacks); each level's Auth rows
    # are measured on the instance at that level.
    local auth_info_port auth_info_mgmt
    auth_info_port="$(free_port)"; auth_info_mgmt="$(free_port)"
    start_auth warning "$auth_port" "$auth_mgmt" warning
    start_auth info "$auth_info_port" "$auth_info_mgmt" info
    local hello_port; hello_port="$(free_port)"
    "$bin/bench-hello" "$hello_port" >"$tmp/hello.log" 2>&1 &
    pids+=($!)

    # nginx: the ceiling (return 200), and a gate in front of Auth that cuts the feed.
    mkdir -p "$tmp/nginx"
    cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    upstream auth { server 127.0.0.1:$auth_mgmt; keepalive 16; }
    server { listen 127.0.0.1:$nginx_port; location / { return 200 "ok"; } }
    server {
        listen 127.0.0.1:$gate_port;
        location /internal/v1/access-feed { return 503; }
        location / { proxy_pass http://auth; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
CONF
    nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx/out.log" 2>&1 &
    pids+=($!)

    say "signing in 1000 users (200 for load, 2 × 200 whose sessions are revoked to time propagation, 400 for refresh)"
    local i reply
    : >"$tmp/all-tokens"; : >"$tmp/all-refresh"
    for i in $(seq 1 1000); do
        reply="$(curl -sf -H 'content-type: application/json' -d "{\"email\":\"u$i@bench.test\",\"password\":\"$password\"}" \
            "http://127.0.0.1:$auth_port/auth/login")"
        echo "$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$reply") c$i" >>"$tmp/all-tokens"
        sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p' <<<"$reply" >>"$tmp/all-refresh"
    done
    local admin_token
    admin_token="$(curl -sf -H 'content-type: application/json' -d "{\"email\":\"admin@bench.test\",\"password\":\"$password\"}" \
        "http://127.0.0.1:$auth_port/auth/login" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
    # start_admin PORT MGMT LOG_LEVEL: Admin's gate on the access layer, following the warning Auth.
    start_admin() {
        env KISUM_ENV=dev LOG_LEVEL="$3" KISUM_PUBLIC_LISTEN="127.0.0.1:$1" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$2" \
            ADMIN_DB_URL="postgres://kisum_admin_app:r@127.0.0.1:$pg_port/kisum_admin?sslmode=disable" ADMIN_DB_POOL_MAX=16 \
            INTERNAL_SIGNING_KEY="$(cat "$tmp/admin.key")" \
            AUTH_INTERNAL_URL="http://127.0.0.1:$auth_mgmt" AUTH_JWKS_URL="http://127.0.0.1:$auth_port/.well-known/jwks.json" \
            JWT_ISSUER="http://127.0.0.1:$auth_port" JWT_AUDIENCE=kisum CORE_INTERNAL_URL="http://127.0.0.1:$core_port" \
            OPERATIONS_TARGETS="core=http://127.0.0.1:$core_port" \
            "$bin/kisum-admin" >"$tmp/admin-$3.log" 2>&1 &
        pids+=($!)
        wait_ready "http://127.0.0.1:$2"
    }
    # Refresh tokens are single use: each level's warm-up and measurement get their own sessions.
    sed -n '601,700p' "$tmp/all-refresh" >"$tmp/refresh-info-warmup"; sed -n '701,800p' "$tmp/all-refresh" >"$tmp/refresh-info"
    sed -n '801,900p' "$tmp/all-refresh" >"$tmp/refresh-warning-warmup"; sed -n '901,1000p' "$tmp/all-refresh" >"$tmp/refresh-warning"
    sed -n '1,200p' "$tmp/all-tokens" >"$tmp/tokens"
    sed -n '201,400p' "$tmp/all-tokens" >"$tmp/revoke-direct"
    sed -n '401,600p' "$tmp/all-tokens" >"$tmp/revoke-cut"

    # start_canary NAME PORT MGMT AUTH_URL LOG_LEVEL
    start_canary() {
        env KISUM_ENV=dev LOG_LEVEL="$5" KISUM_PUBLIC_LISTEN="127.0.0.1:$2" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$3" \
            CANARY_DB_URL="postgres://kisum_canary_app:r@127.0.0.1:$pg_port/kisum_canary?sslmode=disable" CANARY_DB_POOL_MAX=16 \
            REDIS_URL="redis://127.0.0.1:$redis_port" \
            INTERNAL_SIGNING_KEY="$canary_private" INTERNAL_TRUSTED_KEYS="canary=$canary_public" \
            AUTH_INTERNAL_URL="$4" AUTH_JWKS_URL="http://127.0.0.1:$auth_port/.well-known/jwks.json" \
            JWT_ISSUER="http://127.0.0.1:$auth_port" JWT_AUDIENCE=kisum \
            "$bin/kisum-canary" >"$tmp/canary-$1.log" 2>&1 &
        pids+=($!)
        wait_ready "http://127.0.0.1:$3"
    }
    local level port mgmt cut_port cut_mgmt
    run_wrk64 "nginx return 200 (ceiling)" "$ROOT/Tests/Benchmarks/plain.lua" "http://127.0.0.1:$nginx_port"
    run_wrk64 "bare Hummingbird hello-world (release)" "$ROOT/Tests/Benchmarks/plain.lua" "http://127.0.0.1:$hello_port/"
    echo "openssl speed rsa2048, one core: $(openssl speed -seconds 10 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print $6}') signatures/s"
    for level in info warning; do
        port="$(free_port)"; mgmt="$(free_port)"; cut_port="$(free_port)"; cut_mgmt="$(free_port)"
        start_canary "direct-$level" "$port" "$mgmt" "http://127.0.0.1:$auth_mgmt" "$level"
        local canary_pid="${pids[${#pids[@]}-1]}"
        start_canary "cut-$level" "$cut_port" "$cut_mgmt" "http://127.0.0.1:$gate_port" "$level"
        run_wrk64 "[$level] canary GET /health (trivial route)" "$ROOT/Tests/Benchmarks/plain.lua" "http://127.0.0.1:$port/health"
        run_wrk64 "[$level] note read, unenforced (no token sent)" "$ROOT/Tests/Benchmarks/canary-notes.lua" "http://127.0.0.1:$port" PATH_PREFIX=/v1
        # The same requests as the enforced row (token and x-org sent, not checked): what the
        # layer costs, apart from the larger request it is sent.
        profile "$level-unenforced" "$canary_pid"
        run_wrk64 "[$level] note read, unenforced, same request" "$ROOT/Tests/Benchmarks/canary-notes.lua" "http://127.0.0.1:$port" \
            PATH_PREFIX=/v1 TOKENS="$tmp/tokens"
        profile "$level-enforced" "$canary_pid"
        run_wrk64 "[$level] note read, enforced, warm" "$ROOT/Tests/Benchmarks/canary-notes.lua" "http://127.0.0.1:$port" \
            PATH_PREFIX=/v1/enforced TOKENS="$tmp/tokens"
        # BENCH_ROWS=notes: only the note rows above (with BENCH_PERF, to profile the access layer).
        [ "${BENCH_ROWS:-all}" = notes ] && continue
        stop_redis "$tmp/redis"
        run_wrk64 "[$level] note read, unenforced, Redis stopped" "$ROOT/Tests/Benchmarks/canary-notes.lua" "http://127.0.0.1:$port" PATH_PREFIX=/v1
        run_wrk64 "[$level] note read, enforced, Redis stopped" "$ROOT/Tests/Benchmarks/canary-notes.lua" "http://127.0.0.1:$port" \
            PATH_PREFIX=/v1/enforced TOKENS="$tmp/tokens"
        start_redis "$tmp/redis" "$redis_port"
        run_wrk64 "[$level] note read, enforced, feed cut (Auth per request)" "$ROOT/Tests/Benchmarks/canary-notes.lua" \
            "http://127.0.0.1:$cut_port" PATH_PREFIX=/v1/enforced TOKENS="$tmp/tokens"
        local a_port
        if [ "$level" = info ]; then a_port="$auth_info_port"; else a_port="$auth_port"; fi
        local admin_port admin_mgmt
        admin_port="$(free_port)"; admin_mgmt="$(free_port)"
        start_admin "$admin_port" "$admin_mgmt" "$level"
        run_wrk64 "[$level] admin GET /admin/v1/audit?limit=20 (gate from memory, one admin_db read)" "$ROOT/Tests/Benchmarks/bearer-get.lua" \
            "http://127.0.0.1:$admin_port/admin/v1/audit?limit=20" TOKEN="$admin_token"
        run_wrk64 "[$level] auth GET /.well-known/jwks.json (trivial route)" "$ROOT/Tests/Benchmarks/plain.lua" \
            "http://127.0.0.1:$a_port/.well-known/jwks.json"
        statements_reset
        run_wrk64 "[$level] auth GET /auth/me/access, warm" "$ROOT/Tests/Benchmarks/auth-access.lua" "http://127.0.0.1:$a_port" \
            TOKENS="$tmp/tokens"
        statements_top "[$level] /auth/me/access"
        env REFRESH="$tmp/refresh-$level-warmup" THREADS=2 wrk -t2 -c64 -d5s -s "$ROOT/Tests/Benchmarks/auth-refresh.lua" \
            "http://127.0.0.1:$a_port" >/dev/null
        statements_reset
        env REFRESH="$tmp/refresh-$level" THREADS=2 wrk -t2 -c64 -d20s -s "$ROOT/Tests/Benchmarks/auth-refresh.lua" \
            "http://127.0.0.1:$a_port" | sed -n "s|^RESULT |[$level] auth POST /auth/refresh (c64, 20 s): |p"
        statements_top "[$level] /auth/refresh"
        run_wrk64 "[$level] auth POST /auth/login" "$ROOT/Tests/Benchmarks/auth-login.lua" "http://127.0.0.1:$a_port" PASSWORD="$password"
        echo "[$level] enforced decisions from memory: $(curl -sf "http://127.0.0.1:$mgmt/metrics" | sed -n 's/^kisum_access_decisions_from_memory_total //p') of $(curl -sf "http://127.0.0.1:$mgmt/metrics" | sed -n 's/^kisum_access_decisions_total //p')"
    done
    [ "${BENCH_ROWS:-all}" = notes ] && return 0
    say "propagation: session revoked in Auth → refused at the canary (200 each)"
    "$bin/kisum-ops" auth measure-propagation --url "http://127.0.0.1:$auth_mgmt" --key-file "$tmp/admin.key" \
        --route "http://127.0.0.1:$port/v1/enforced/notes/1" --tokens "$tmp/revoke-direct" | sed -n 's/^RESULT /propagation, feed healthy: /p'
    "$bin/kisum-ops" auth measure-propagation --url "http://127.0.0.1:$auth_mgmt" --key-file "$tmp/admin.key" \
        --route "http://127.0.0.1:$cut_port/v1/enforced/notes/1" --tokens "$tmp/revoke-cut" | sed -n 's/^RESULT /propagation, feed cut: /p'
    echo "error log lines: auth $(cat "$tmp"/auth-*.log | grep -c '"level":"error"' || true), admin $(cat "$tmp"/admin-*.log | grep -c '"level":"error"' || true), canary $(cat "$tmp"/canary-*.log | grep -c '"level":"error"' || true)"
}

# statements_reset / statements_top LABEL: auth_db's statements during one row (pg_stat_statements:
# calls, mean execution and planning time, the five with the most total time).
statements_reset() { psql -qAt "postgres://postgres@127.0.0.1:$pg_port/kisum_auth" -c "SELECT pg_stat_statements_reset()" >/dev/null; }
statements_top() {
    psql -qAt -F ' | ' "postgres://postgres@127.0.0.1:$pg_port/kisum_auth" -c "
        SELECT calls, round(mean_exec_time::numeric, 3) || ' ms exec', round(mean_plan_time::numeric, 3) || ' ms plan',
               left(regexp_replace(query, '\s+', ' ', 'g'), 90)
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'kisum_auth')
        ORDER BY total_exec_time + total_plan_time DESC LIMIT 5" | sed "s|^|$1 statements: |"
}

# profile NAME PID: with BENCH_PERF=DIR, samples PID's stacks (perf, 299 Hz) during the next
# row's measured 20 s into DIR/NAME.data (read with `perf report -i`).
profile() {
    [ -n "${BENCH_PERF:-}" ] || return 0
    command -v perf >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
    mkdir -p "$BENCH_PERF"
    (sleep 6; perf record -q -F 299 -g -p "$2" -o "$BENCH_PERF/$1.data" -- sleep 15 >/dev/null 2>&1) &
}

# run_wrk64 NAME SCRIPT URL [ENV...]: 5 s warm-up, then 20 s measured at 64 connections.
run_wrk64() {
    local name="$1" script="$2" url="$3"; shift 3
    env "$@" wrk -t2 -c64 -d5s -s "$script" "$url" >/dev/null
    env "$@" wrk -t2 -c64 -d20s -s "$script" "$url" | sed -n "s|^RESULT |$name (c64, 20 s): |p"
}
