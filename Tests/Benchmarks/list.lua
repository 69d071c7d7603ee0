-- wrk script: GET $LIST_PATH; with $TOKENS (lines "access_token company_slug") each request
-- also carries a random signed-in user's token and x-org (the enforced route), else none (the
-- unenforced twin).
local sessions = {}
local tokens = os.getenv("TOKENS")
if tokens and tokens ~= "" then
  for line in io.lines(tokens) do
    local token, org = line:match("^(%S+) (%S+)$")
    if token then sessions[#sessions + 1] = { token = token, org = org } end
  end
end
local path = os.getenv("LIST_PATH")
math.randomseed(42)

request = function()
  if #sessions == 0 then return wrk.format("GET", path) end
  local s = sessions[math.random(#sessions)]
  return wrk.format("GET", path, { ["authorization"] = "Bearer " .. s.token, ["x-org"] = s.org })
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
