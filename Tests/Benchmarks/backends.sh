# The six business backends on the shared access layer: for each, one authorized list route
# (20 rows of the caller's company) enforced and warm — a signed-in member of one of 200
# companies, token and x-org — against the same daemon's unenforced twin (the same handlers
# under /bench-twin on its management listener, every request granted one company without a
# check: BENCH_UNENFORCED_TWIN_COMPANY). One run; every row wrk -t2 -c64, 5 s warm-up, 20 s
# measured, three rounds in alternating order; LOG_LEVEL=info as deployed. Sourced by ./kisum bench backends.
bench_backends() {
    local pg_port redis_port; pg_port="$(free_port)"; redis_port="$(free_port)"
    start_postgres "$tmp/pg" "$pg_port"
    start_redis "$tmp/redis" "$redis_port"
    local backends="basic finance market touring venue ai"
    # shellcheck disable=SC2086
    bench_databases "$pg_port" core auth $backends
    local password="bench-password-1"
    bench_seed_identity "$pg_port" "$password"
    # Companies 1..1000 (the users' own) get every add-on, so each backend's module is entitled.
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_core" -c "
        INSERT INTO company_addons (company_id, addon_key, status, period_start, period_end)
            SELECT md5(i::text)::uuid, a, 'active', now() - interval '30 days', now() + interval '335 days'
            FROM generate_series(1, 1000) i, unnest(ARRAY['finance_addon', 'market_addon', 'touring_addon', 'venue_addon', 'ai_addon']) a;
        UPDATE company_entitlement_versions SET version = 2 WHERE company_id IN (SELECT md5(i::text)::uuid FROM generate_series(1, 1000) i);"
    psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_auth" -c "
        UPDATE company_entitlement_versions SET version = 2 WHERE company_id IN (SELECT md5(i::text)::uuid FROM generate_series(1, 1000) i);"
    # 20 rows per company (1..200) in each listed table.
    local rows="FROM generate_series(1, 200) c, generate_series(1, 20) n"
    local company="md5(c::text)::uuid" author="md5('user' || c)::uuid"
    bench_sql() { psql -q "postgres://postgres@127.0.0.1:$pg_port/kisum_$1" -c "$2; ANALYZE;"; }
    bench_sql basic "INSERT INTO contacts (id, company_id, name, email, created_by)
        SELECT gen_random_uuid(), $company, 'Contact ' || n, 'c' || n || '@example.org', $author $rows"
    bench_sql finance "INSERT INTO transactions (id, company_id, amount_minor, currency, category, booked_on, created_by)
        SELECT gen_random_uuid(), $company, 1000 * n, 'EUR', 'tickets', date '2026-11-01' + n, $author $rows"
    bench_sql market "INSERT INTO listings (id, company_id, title, currency, status, created_by)
        SELECT gen_random_uuid(), $company, 'Listing ' || n, 'EUR', 'draft', $author $rows"
    bench_sql touring "INSERT INTO tours (id, company_id, name, created_by) SELECT gen_random_uuid(), $company, 'Tour ' || n, $author $rows"
    bench_sql venue "INSERT INTO venues (id, company_id, name, capacity, created_by)
        SELECT gen_random_uuid(), $company, 'Venue ' || n, 500, $author $rows"
    bench_sql ai "INSERT INTO ai_usage_records (id, company_id, user_id, day, task, provider, model, input_tokens, output_tokens,
                                                 cost_micros, outcome, duration_ms)
        SELECT gen_random_uuid(), $company, $author, current_date, 'summarize', 'local', 'local-extractive-1', 100, 20, 0, 'ok', 3 $rows"

    local core_private core_public auth_private auth_public backend_private backend_public
    eval "$("$bin/kisum-ops" keys service)"; core_private="$PRIVATE"; core_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; auth_private="$PRIVATE"; auth_public="$PUBLIC"
    eval "$("$bin/kisum-ops" keys service)"; backend_private="$PRIVATE"; backend_public="$PUBLIC"
    local trusted="core=$core_public" name
    for name in $backends; do trusted="$trusted,$name=$backend_public"; done
    local core_port auth_port auth_mgmt
    core_port="$(free_port)"; auth_port="$(free_port)"; auth_mgmt="$(free_port)"
    KISUM_ENV=dev LOG_LEVEL=warning KISUM_MANAGEMENT_LISTEN="127.0.0.1:$core_port" CORE_DB_POOL_MAX=16 \
        CORE_DB_URL="postgres://kisum_core_app:r@127.0.0.1:$pg_port/kisum_core?sslmode=disable" \
        INTERNAL_SIGNING_KEY="$core_private" INTERNAL_TRUSTED_KEYS="auth=$auth_public" \
        AUTH_INTERNAL_URL="http://127.0.0.1:$auth_mgmt" "$bin/kisum-core" >"$tmp/core.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$core_port"
    KISUM_ENV=dev LOG_LEVEL=warning KISUM_PUBLIC_LISTEN="127.0.0.1:$auth_port" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$auth_mgmt" \
        AUTH_DB_URL="postgres://kisum_auth_app:r@127.0.0.1:$pg_port/kisum_auth?sslmode=disable" AUTH_DB_POOL_MAX=16 \
        REDIS_URL="redis://127.0.0.1:$redis_port" INTERNAL_SIGNING_KEY="$auth_private" INTERNAL_TRUSTED_KEYS="$trusted" \
        AUTH_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" AUTH_CACHE_INTEGRITY_KEY="$(head -c 32 /dev/urandom | base64)" \
        JWT_ISSUER="http://127.0.0.1:$auth_port" JWT_AUDIENCE=kisum CORE_INTERNAL_URL="http://127.0.0.1:$core_port" \
        ACCESS_TOKEN_TTL=1h LOGIN_RATE_LIMIT_PER_IP=100000 LOGIN_RATE_LIMIT_PER_EMAIL=10000 \
        "$bin/kisum-auth" >"$tmp/auth.log" 2>&1 &
    pids+=($!)
    wait_ready "http://127.0.0.1:$auth_mgmt"

    say "signing in 200 users (one per company with rows)"
    local i reply
    : >"$tmp/tokens"
    for i in $(seq 1 200); do
        reply="$(curl -sf -H 'content-type: application/json' -d "{\"email\":\"u$i@bench.test\",\"password\":\"$password\"}" \
            "http://127.0.0.1:$auth_port/auth/login")"
        echo "$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$reply") c$i" >>"$tmp/tokens"
    done
    # The twin's requests: the same tokens (same request size), each company's id as x-org.
    paste -d' ' <(cut -d' ' -f1 "$tmp/tokens") \
        <(psql -tAq "postgres://postgres@127.0.0.1:$pg_port/postgres" -c "SELECT md5(i::text)::uuid FROM generate_series(1, 200) i") \
        >"$tmp/twin-tokens"

    local path port mgmt prefix pid
    for name in $backends; do
        case "$name" in
            basic) path="/v1/contacts?limit=20" ;;
            finance) path="/v1/transactions?limit=20" ;;
            market) path="/v1/listings?mine=true&limit=20" ;;
            touring) path="/v1/tours?limit=20" ;;
            venue) path="/v1/venues?limit=20" ;;
            ai) path="/v1/usage/records?limit=20" ;;
        esac
        prefix="$(tr '[:lower:]' '[:upper:]' <<<"$name")"
        port="$(free_port)"; mgmt="$(free_port)"
        env KISUM_ENV=dev LOG_LEVEL=info KISUM_PUBLIC_LISTEN="127.0.0.1:$port" KISUM_MANAGEMENT_LISTEN="127.0.0.1:$mgmt" \
            "${prefix}_DB_URL=postgres://kisum_${name}_app:r@127.0.0.1:$pg_port/kisum_$name?sslmode=disable" "${prefix}_DB_POOL_MAX=16" \
            INTERNAL_SIGNING_KEY="$backend_private" AUTH_INTERNAL_URL="http://127.0.0.1:$auth_mgmt" \
            AUTH_JWKS_URL="http://127.0.0.1:$auth_port/.well-known/jwks.json" JWT_ISSUER="http://127.0.0.1:$auth_port" JWT_AUDIENCE=kisum \
            AI_PROVIDER=local BENCH_UNENFORCED_TWIN_COMPANY="$(psql -tAq "postgres://postgres@127.0.0.1:$pg_port/postgres" -c "SELECT md5('1')::uuid")" \
            "$bin/kisum-$name" >"$tmp/$name.log" 2>&1 &
        pid=$!; pids+=("$pid")
        wait_ready "http://127.0.0.1:$mgmt"
        # Both must answer 200 with rows before they are measured.
        curl -sf "http://127.0.0.1:$mgmt/bench-twin$path" | grep -q '"items":\[{' || die "$name: the twin lists nothing"
        read -r token org < "$tmp/tokens"
        curl -sf -H "authorization: Bearer $token" -H "x-org: $org" "http://127.0.0.1:$port$path" | grep -q '"items":\[{' \
            || die "$name: the enforced route lists nothing"
        # Three rounds, the order alternating (twin first, then enforced first, then twin
        # first); the table takes each row's median. Both read the same companies' rows: the
        # twin is sent the same tokens with each company's id as x-org, which it grants unchecked.
        local round
        for round in 1 2 3; do
            if [ "$round" = 2 ]; then
                run_wrk64 "$name round $round GET ${path%%\?*}, enforced, warm" "$ROOT/Tests/Benchmarks/list.lua" "http://127.0.0.1:$port" \
                    LIST_PATH="$path" TOKENS="$tmp/tokens"
            fi
            run_wrk64 "$name round $round GET ${path%%\?*}, unenforced twin" "$ROOT/Tests/Benchmarks/list.lua" "http://127.0.0.1:$mgmt" \
                LIST_PATH="/bench-twin$path" TOKENS="$tmp/twin-tokens"
            if [ "$round" != 2 ]; then
                run_wrk64 "$name round $round GET ${path%%\?*}, enforced, warm" "$ROOT/Tests/Benchmarks/list.lua" "http://127.0.0.1:$port" \
                    LIST_PATH="$path" TOKENS="$tmp/tokens"
            fi
        done
        kill "$pid" 2>/dev/null || true
    done | tee "$tmp/results"
    backends_medians "$tmp/results"
}

# backends_medians FILE: per backend, the median of the three rounds' throughput and p99 for
# the twin and the enforced route, and their ratios (the table of BENCHMARKS.md).
backends_medians() {
    echo "medians of three rounds: backend | twin req/s | enforced req/s | enforced/twin | twin p99 ms | enforced p99 ms | p99 ratio"
    awk '
        function median(a, b, c) { return (a <= b) ? ((b <= c) ? b : ((a <= c) ? c : a)) : ((a <= c) ? a : ((b <= c) ? c : b)) }
        / round / {
            kind = ($0 ~ /unenforced twin/) ? "twin" : "enforced"
            name = $1; n = ++count[name, kind]
            for (i = 1; i <= NF; i++) {
                if ($i ~ /^rps=/) rps[name, kind, n] = substr($i, 5) + 0
                if ($i ~ /^p99_ms=/) p99[name, kind, n] = substr($i, 8) + 0
            }
            if (!(name in seen)) { seen[name] = 1; order[++names] = name }
        }
        END {
            for (k = 1; k <= names; k++) {
                b = order[k]
                if (count[b, "twin"] < 3 || count[b, "enforced"] < 3) { print b ": fewer than three rounds"; continue }
                tr = median(rps[b, "twin", 1], rps[b, "twin", 2], rps[b, "twin", 3])
                er = median(rps[b, "enforced", 1], rps[b, "enforced", 2], rps[b, "enforced", 3])
                tp = median(p99[b, "twin", 1], p99[b, "twin", 2], p99[b, "twin", 3])
                ep = median(p99[b, "enforced", 1], p99[b, "enforced", 2], p99[b, "enforced", 3])
                printf "%s | %d | %d | %.0f %% | %.1f | %.1f | %.2fx\n", b, tr, er, 100 * er / tr, tp, ep, ep / tp
            }
        }' "$1"
}

# run_wrk64 NAME SCRIPT URL [ENV...]: 5 s warm-up, then 20 s measured at 64 connections.
run_wrk64() {
    local name="$1" script="$2" url="$3"; shift 3
    env "$@" wrk -t2 -c64 -d5s -s "$script" "$url" >/dev/null
    env "$@" wrk -t2 -c64 -d20s -s "$script" "$url" | sed -n "s|^RESULT |$name (c64, 20 s): |p"
}
