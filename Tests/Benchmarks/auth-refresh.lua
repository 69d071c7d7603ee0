-- wrk script: POST /auth/refresh, each connection chaining the rotated refresh token it gets
-- back. $REFRESH holds one refresh token per line; each wrk thread takes its own share (a
-- token used twice would be reuse and end its session).
local threads = {}
local counter = 0

setup = function(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

init = function(args)
  queue = {}
  local n = 0
  for line in io.lines(os.getenv("REFRESH")) do
    if n % tonumber(os.getenv("THREADS")) == id then queue[#queue + 1] = line end
    n = n + 1
  end
end

request = function()
  local token = table.remove(queue, 1)
  if token == nil then token = "rt_exhausted" end
  return wrk.format("POST", "/auth/refresh", { ["content-type"] = "application/json" },
    '{"refresh_token":"' .. token .. '"}')
end

response = function(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then queue[#queue + 1] = token end
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
