-- wrk script: GET the URL's path with one bearer token ($TOKEN), e.g. an Admin read.
request = function()
  return wrk.format("GET", nil, { ["authorization"] = "Bearer " .. os.getenv("TOKEN") })
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
