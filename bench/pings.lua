-- wrk script behind pings_batch.lua and pings_single.lua: POST /v1/pings with POINTS fixes per request,
-- each request as one of the benchmark's drivers, and a check of every reply.
--
-- Environment:
--   BENCH_PINGS_TOKENS   file with one driver device token per line (run.sh creates the drivers)
--   BENCH_PINGS_THREADS  wrk's -t (thread k takes tokens k, k+T, k+2T, … so threads never share a driver)
--   BENCH_PINGS_T0       optional: no timestamp before this (epoch ms) — the last run's max_t + 1, so a
--                        driver's fixes keep increasing from one wrk run to the next
--
-- The fixes are what the filter accepts (src/tracking/ping_filter.hpp): each driver walks slowly round a
-- circle of radius 15 m somewhere in Monaco (43.73 N, 7.42 E), so two of its fixes are never more than
-- 30 m apart (a jump is only checked beyond 50 m); accuracy 5–15 m; ISO 8601 times with milliseconds, 1 ms
-- apart and strictly increasing per driver, from max(now, the driver's last time + 1): near the current
-- time, ahead of it only by as much as the load compresses the drivers' tracks (must stay < 5 min).
--
-- Within a thread a request takes the next driver in turn: with at least as many drivers as connections a
-- driver rarely has two requests in flight (if it does, the older batch may be answered `late`: stored,
-- the live position just does not move back). Every reply is read: status, and accepted / late /
-- duplicates / stored / rejected of a 200; done() prints one line that run.sh checks:
--   pings: responses=… non200=… points=… stored=… accepted=… late=… duplicates=… rejected=… max_t=…
-- (points = fixes in the requests that were answered 200). nginx's baseline answers the same bytes.

local POINTS = POINTS or 1
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

local RADIUS_M, STEPS = 15, 600  -- one lap of ~94 m in 600 fixes

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_PINGS_THREADS") or "1")
  local floor_t = tonumber(os.getenv("BENCH_PINGS_T0") or "0") or 0
  local path = os.getenv("BENCH_PINGS_TOKENS") or error("BENCH_PINGS_TOKENS is not set")
  local all = {}
  for line in io.lines(path) do
    if #line > 0 then all[#all + 1] = line end
  end
  drivers = {}
  for i = thread_no, #all, nthreads do
    local k = #drivers + 1
    local d = { last_t = floor_t - 1, step = (k * 97) % STEPS, frags = {},
                headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. all[i] } }
    -- This driver's circle: a centre on a grid of ~100 m cells across Monaco.
    local clat, clon = 43.7250 + (i % 16) * 0.0009, 7.4100 + math.floor(i / 16) % 16 * 0.0012
    local battery = 95 - i % 60
    for s = 0, STEPS - 1 do
      local a = 2 * math.pi * s / STEPS
      local lat = clat + RADIUS_M * math.cos(a) / 111320
      local lon = clon + RADIUS_M * math.sin(a) / (111320 * math.cos(math.rad(clat)))
      d.frags[s] = string.format('","lat":%.7f,"lon":%.7f,"speed":1.4,"heading":%d,"accuracy":%d,"battery":%d}',
                                 lat, lon, math.floor(math.deg(a) + 90) % 360, 5 + (s * 7 + i) % 11, battery)
    end
    drivers[k] = d
  end
  if #drivers == 0 then error("no driver token for thread " .. thread_no) end
  ms = {}
  for m = 0, 999 do ms[m] = string.format(".%03dZ", m) end
  seconds = {}  -- epoch second -> "YYYY-MM-DDTHH:MM:SS"
  buf = {}
  next_driver = 0
  responses, non200, points, stored, accepted, late, duplicates, rejected, max_t = 0, 0, 0, 0, 0, 0, 0, 0, 0
  first_error = ""
end

function request()
  next_driver = next_driver % #drivers + 1
  local d = drivers[next_driver]
  local t = math.max(os.time() * 1000, d.last_t + 1)
  local n = 0
  for p = 1, POINTS do
    local sec = math.floor(t / 1000)
    local prefix = seconds[sec]
    if not prefix then
      prefix = os.date("!%Y-%m-%dT%H:%M:%S", sec)
      seconds[sec] = prefix
    end
    buf[n + 1] = (p == 1) and '[{"t":"' or ',{"t":"'
    buf[n + 2] = prefix
    buf[n + 3] = ms[t - sec * 1000]
    buf[n + 4] = d.frags[d.step]
    n = n + 4
    d.step = (d.step + 1) % STEPS
    t = t + 1
  end
  buf[n + 1] = "]"
  d.last_t = t - 1
  if d.last_t > max_t then max_t = d.last_t end
  return wrk.format("POST", "/v1/pings", d.headers, table.concat(buf, "", 1, n + 1))
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then
    non200 = non200 + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body or "", 1, 200) end
    return
  end
  points = points + POINTS
  stored = stored + (tonumber(string.match(body, '"stored":(%d+)')) or 0)
  accepted = accepted + (tonumber(string.match(body, '"accepted":(%d+)')) or 0)
  late = late + (tonumber(string.match(body, '"late":(%d+)')) or 0)
  duplicates = duplicates + (tonumber(string.match(body, '"duplicates":(%d+)')) or 0)
  if not string.find(body, '"rejected":[]', 1, true) then
    local _, k = string.gsub(body, '"reason"', "")
    rejected = rejected + k
    if first_error == "" then first_error = "200 " .. string.sub(body, 1, 200) end
  end
end

function done(summary, latency, requests)
  local sum = { responses = 0, non200 = 0, points = 0, stored = 0, accepted = 0, late = 0, duplicates = 0,
                rejected = 0 }
  local top, err = 0, ""
  for _, thread in ipairs(threads) do
    for k in pairs(sum) do sum[k] = sum[k] + thread:get(k) end
    top = math.max(top, thread:get("max_t"))
    if err == "" then err = thread:get("first_error") end
  end
  io.write(string.format("pings: responses=%d non200=%d points=%d stored=%d accepted=%d late=%d " ..
                         "duplicates=%d rejected=%d max_t=%d\n", sum.responses, sum.non200, sum.points,
                         sum.stored, sum.accepted, sum.late, sum.duplicates, sum.rejected, top))
  if err ~= "" then io.write("pings: first bad reply: ", (string.gsub(err, "\n", " ")), "\n") end
end
