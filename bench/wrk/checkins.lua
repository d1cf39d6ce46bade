-- POST /api/checkins with a DIFFERENT ticket and a fresh nonce on every request.
--
--   wrk -t T -c C -d 10s -s bench/wrk/checkins.lua http://127.0.0.1:PORT \
--       -- CODES_FILE TOKEN TAG T [RATE [OFFSET]]
--
-- CODES_FILE holds one signed ticket code per line (bench/checkin_data.py writes it);
-- thread k of T takes lines k+1, k+1+T, k+1+2T, ... so no two requests of a run carry
-- the same ticket (until a thread runs out of lines and starts over: `wrapped` counts
-- that). OFFSET (default 0) skips that many lines first, so consecutive runs on one
-- database can use different tickets. TOKEN is the scanner's API token, TAG makes this
-- run's nonces unique.
--
-- RATE (requests/s over all threads, optional): a fixed offered load. wrk has no -R,
-- so each thread keeps a schedule of send slots RATE/T per second apart and delay()
-- holds a connection until its slot; the connections must be enough that one is idle
-- at each slot (the achieved rate is printed, compare it with RATE). Latency is timed
-- by wrk from the moment the request is written.
--
-- done() prints machine-readable lines: RESULT, LATENCY, STATUS, ERRORS, WRAPPED, LANE
-- (answers from the check-in fast lane, marked by their Server-Timing header), and
-- SENT (requests written, answered or not: wrk stops without reading the answers of
-- the requests in flight, which the server still carries out).

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- main state: one entry per thread, for done()
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- thread state
local codes, pos, n = {}, 1, 0
sent = 0
local interval, next_slot = nil, nil
local tag = "w"
statuses = {}
wrapped = 0
lane = 0 -- answers marked by the check-in fast lane (Server-Timing header)

-- Installed as delay() by init() only with a RATE: wrk looks for delay() after init(),
-- and without it the closed loop pays no timer per request.
local function paced_delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - 100 then
    -- first request, or more than 100 ms behind: start afresh rather than burst
    next_slot = now
  end
  local slot = next_slot
  next_slot = next_slot + interval
  local wait = slot - now
  if wait <= 0 then
    return 0
  end
  return math.floor(wait + 0.5)
end

function init(args)
  local file, token, nthreads = args[1], args[2], tonumber(args[4] or "1")
  tag = args[3] or "w"
  local rate = tonumber(args[5] or "0")
  local offset = tonumber(args[6] or "0")
  local lines = {}
  for line in io.lines(file) do
    if #line > 0 then
      lines[#lines + 1] = line
    end
  end
  -- this thread's share, starting at OFFSET and going round the file once
  for i = 0, #lines - 1 do
    if i % nthreads == id then
      codes[#codes + 1] = lines[(offset + i) % #lines + 1]
    end
  end
  lines = nil
  n = #codes
  assert(n > 0, "no ticket codes for thread " .. id .. " in " .. file)
  wrk.method = "POST"
  wrk.path = "/api/checkins"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  if rate > 0 then
    interval = 1000.0 * nthreads / rate
    delay = paced_delay
  end
end

function request()
  local code = codes[pos]
  pos = pos + 1
  if pos > n then
    pos = 1
    wrapped = wrapped + 1
  end
  sent = sent + 1
  local body = '{"code":"' .. code .. '","nonce":"' .. tag .. "-" .. id .. "-" .. sent .. '"}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if headers["server-timing"] ~= nil then
    lane = lane + 1
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.3f rate=%.1f bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.bytes))
  io.write(string.format("LATENCY p50=%.3f p90=%.3f p99=%.3f max=%.3f mean=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
  local totals, wraps, written, lanes = {}, 0, 0, 0
  for _, thread in ipairs(threads) do
    written = written + (thread:get("sent") or 0)
    lanes = lanes + (thread:get("lane") or 0)
    local s = thread:get("statuses")
    for status, count in pairs(s) do
      totals[status] = (totals[status] or 0) + count
    end
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  local parts = {}
  for status, count in pairs(totals) do
    parts[#parts + 1] = status .. "=" .. count
  end
  table.sort(parts)
  io.write("STATUS " .. table.concat(parts, " ") .. "\n")
  local e = summary.errors
  io.write(string.format("ERRORS connect=%d read=%d write=%d status=%d timeout=%d\n",
    e.connect, e.read, e.write, e.status, e.timeout))
  io.write(string.format("WRAPPED %d\n", wraps))
  io.write(string.format("LANE %d\n", lanes))
  -- wrk calls request() once more in thread 1 before the run, to check it: not sent
  io.write(string.format("SENT %d\n", written - 1))
end
