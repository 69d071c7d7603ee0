-- wrk script: GET / (a fixed answer), for the machine's HTTP ceiling and a bare route.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
