-- wrk script: GET /auth/me/access with x-org, one signed-in user per request, from $TOKENS
-- (lines "access_token company_slug").
local sessions = {}
for line in io.lines(os.getenv("TOKENS")) do
  local token, org = line:match("^(%S+) (%S+)$")
  if token then sessions[#sessions + 1] = { token = token, org = org } end
end
math.randomseed(42)

request = function()
  local s = sessions[math.random(#sessions)]
  return wrk.format("GET", "/auth/me/access", { ["authorization"] = "Bearer " .. s.token, ["x-org"] = s.org })
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
