-- wrk script: random companies from $IDS, with the service credential in $TOKEN.
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local token = os.getenv("TOKEN")
local suffix = os.getenv("SUFFIX")
math.randomseed(42)

request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/internal/v1/companies/" .. id .. suffix, { ["x-kisum-service-token"] = token })
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
