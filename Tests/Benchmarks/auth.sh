# Auth's hot paths: /auth/me/access with a warm cache (Redis) and a cold one (no cache: every
# request aggregates with Core), refresh rotation, and sign-in next to the raw cost of one
# Argon2id hash (OWASP parameters). 10k companies in Core, 1,000 users. Sourced by ./kisum bench auth.
bench_auth() {
    local pg_port redis_port; pg_port="$(free_port)"; redis_port="$(free_port)"
    start_postgres "$tmp/pg" "$pg_port"
    start_redis "$tmp/redis" "$redis_port"
    bench_databases "$pg_port" core auth
    local password="bench-password-1"
    bench_seed_identity "$pg_port" "$password"

    local core_private core_public auth_private auth_public
    eval "$("$bin/kisum-ops" keys service)"; core_private="$PRIVATE"; core_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; auth_private="$PRIVATE"; auth_public="$PUBLIC"
    local core_port warm_port warm_mgmt cold_port cold_mgmt
    core_port="$(free_port)"; warm_port="$(free_port)"; warm_mgmt="$(free_port)"; cold_port="$(free_port)"; cold_mgmt="$(free_port)"
    KISUM_ENV=dev LOG_LEVEL=warning KISUM_MANAGEMENT_LISTEN="127.0.0.1:$core_port" CORE_DB_POOL_MAX=16 \
        CORE_DB_URL="postgres://kisum_core_app:r@127.0.0.1:$pg_port/kisum_core?sslmode=disable" \
        INTERNAL_SIGNING_KEY="$core_private" INTERNAL_TRUSTED_KEYS="auth=$auth_public" \
        AUTH_INTERNAL_URL="http://127.0.0.1:$warm_mgmt" "$bin/kisum-core" >"$tmp/core.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$core_port"

    # Two Auth instances on one database, with the same keys: one caching in Redis, one without.
    local kek integrity
    kek="$(head -c 32 /dev/urandom | base64)"; integrity="$(head -c 32 /dev/urandom | base64)"
    start_auth() {
        env KISUM_ENV=dev LOG_LEVEL=warning KISUM_PUBLIC_LISTEN="127.0.0.1:$1" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$2" \
            AUTH_DB_URL="postgres://kisum_auth_app:r@127.0.0.1:$pg_port/kisum_auth?sslmode=disable" AUTH_DB_POOL_MAX=16 \
            INTERNAL_SIGNING_KEY="$auth_private" INTERNAL_TRUSTED_KEYS="core=$core_public" \
            AUTH_KEY_ENCRYPTION_KEY="$kek" AUTH_CACHE_INTEGRITY_KEY="$integrity" \
            JWT_ISSUER="http://127.0.0.1:$warm_port" JWT_AUDIENCE=kisum CORE_INTERNAL_URL="http://127.0.0.1:$core_port" \
            ACCESS_TOKEN_TTL=1h LOGIN_RATE_LIMIT_PER_IP=100000 LOGIN_RATE_LIMIT_PER_EMAIL=10000 REFRESH_RATE_LIMIT_PER_IP=100000 \
            "${@:3}" "$bin/kisum-auth" >>"$tmp/auth.log" 2>&1 &
        pids+=($!)
    }
    start_auth "$warm_port" "$warm_mgmt" REDIS_URL="redis://127.0.0.1:$redis_port"
    wait_ready "http://127.0.0.1:$warm_mgmt"
    start_auth "$cold_port" "$cold_mgmt"
    wait_ready "http://127.0.0.1:$cold_mgmt"

    say "signing in 200 users"
    local i reply
    : >"$tmp/tokens"; : >"$tmp/refresh"
    for i in $(seq 1 200); do
        reply="$(curl -sf -H 'content-type: application/json' -d "{\"email\":\"u$i@bench.test\",\"password\":\"$password\"}" \
            "http://127.0.0.1:$warm_port/auth/login")"
        echo "$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$reply") c$i" >>"$tmp/tokens"
        sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p' <<<"$reply" >>"$tmp/refresh"
    done

    run_wrk "me/access warm (Redis)" "$ROOT/Tests/Benchmarks/auth-access.lua" "http://127.0.0.1:$warm_port" TOKENS="$tmp/tokens"
    run_wrk "me/access cold (no cache)" "$ROOT/Tests/Benchmarks/auth-access.lua" "http://127.0.0.1:$cold_port" TOKENS="$tmp/tokens"
    # Refresh tokens are single use: warm-up and measurement each get their own sessions.
    head -100 "$tmp/refresh" >"$tmp/refresh-warmup"; tail -100 "$tmp/refresh" >"$tmp/refresh-measured"
    env REFRESH="$tmp/refresh-warmup" THREADS=2 wrk -t2 -c32 -d5s -s "$ROOT/Tests/Benchmarks/auth-refresh.lua" "http://127.0.0.1:$warm_port" >/dev/null
    env REFRESH="$tmp/refresh-measured" THREADS=2 wrk -t2 -c32 -d20s -s "$ROOT/Tests/Benchmarks/auth-refresh.lua" \
        "http://127.0.0.1:$warm_port" | sed -n "s/^RESULT /refresh (c32, 20 s): /p"
    run_wrk "login" "$ROOT/Tests/Benchmarks/auth-login.lua" "http://127.0.0.1:$warm_port" PASSWORD="$password"
    "$bin/kisum-ops" auth hash-password --time --count 40
    echo "auth error log lines: $(grep -c '"level":"error"' "$tmp/auth.log" || true)"
    grep '"level":"error"' "$tmp/auth.log" | head -3 || true
}
