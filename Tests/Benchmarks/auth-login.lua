-- wrk script: POST /auth/login for u1..u1000@bench.test with $PASSWORD.
local password = os.getenv("PASSWORD")
math.randomseed(7)

request = function()
  return wrk.format("POST", "/auth/login", { ["content-type"] = "application/json" },
    '{"email":"u' .. math.random(1000) .. '@bench.test","password":"' .. password .. '"}')
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
