-- wrk script: POST /v1/pings with one fix per request (see pings.lua).
POINTS = 1
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pings.lua")
