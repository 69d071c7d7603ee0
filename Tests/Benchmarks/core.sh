# Platform Core's entitlement reads: 10k companies, random company per request, a valid
# service credential on every request (as Auth sends). Sourced by ./kisum bench core.
bench_core() {
    local pg_port; pg_port="$(free_port)"
    start_postgres "$tmp/pg" "$pg_port"
    local admin="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
    echo m >"$tmp/m"; echo r >"$tmp/r"
    "$bin/kisum-ops" db provision kisum_core --admin-url "$admin" --migrator-password-file "$tmp/m" --runtime-password-file "$tmp/r" >/dev/null
    "$bin/kisum-ops" db migrate core --url "postgres://kisum_core_migrator:m@127.0.0.1:$pg_port/kisum_core?sslmode=disable" >/dev/null
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_core" -f "$ROOT/Tests/Benchmarks/core-seed.sql"
    psql -qAt "postgres://postgres@127.0.0.1:$pg_port/kisum_core" -c "SELECT company_id FROM company_entitlement_versions" >"$tmp/ids"
    eval "$("$bin/kisum-ops" keys service)"
    echo "$PRIVATE" >"$tmp/auth.key"
    local port; port="$(free_port)"
    KISUM_ENV=staging LOG_LEVEL=warning KISUM_MANAGEMENT_LISTEN="127.0.0.1:$port" \
        CORE_DB_URL="postgres://kisum_core_app:r@127.0.0.1:$pg_port/kisum_core?sslmode=disable" CORE_DB_POOL_MAX=16 \
        INTERNAL_SIGNING_KEY="$("$bin/kisum-ops" keys service | sed -n 's/^PRIVATE=//p')" INTERNAL_TRUSTED_KEYS="auth=$PUBLIC" \
        AUTH_INTERNAL_URL="http://127.0.0.1:1" "$bin/kisum-core" >"$tmp/core.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$port"
    local scenario token
    for scenario in entitlements entitlement-version; do
        token="$("$bin/kisum-ops" keys service-token --service auth --callee core --key-file "$tmp/auth.key")"
        run_wrk "$scenario" "$ROOT/Tests/Benchmarks/core-entitlements.lua" "http://127.0.0.1:$port" \
            TOKEN="$token" IDS="$tmp/ids" SUFFIX="/$scenario"
    done
}
