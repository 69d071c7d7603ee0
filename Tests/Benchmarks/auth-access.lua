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

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
