-- wrk script: GET $PATH_PREFIX/notes/{id} for a random note (1..1000); with $TOKENS (lines
-- "access_token company_slug") each request also carries a signed-in user's token and x-org.
local sessions = {}
local tokens = os.getenv("TOKENS")
if tokens and tokens ~= "" then
  for line in io.lines(tokens) do
    local token, org = line:match("^(%S+) (%S+)$")
    if token then sessions[#sessions + 1] = { token = token, org = org } end
  end
end
local prefix = os.getenv("PATH_PREFIX") or "/v1"
math.randomseed(42)

request = function()
  local path = prefix .. "/notes/" .. math.random(1000)
  if #sessions == 0 then return wrk.format("GET", path) end
  local s = sessions[math.random(#sessions)]
  return wrk.format("GET", path, { ["authorization"] = "Bearer " .. s.token, ["x-org"] = s.org })
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
