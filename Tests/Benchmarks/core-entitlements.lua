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

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
