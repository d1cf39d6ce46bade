-- GET the URL's path (e.g. /healthz) and report like checkins.lua: the RESULT, LATENCY,
-- STATUS and ERRORS lines that bench/bench_checkins.py reads.
--
--   wrk -t T -c C -d 10s -s bench/wrk/get.lua http://127.0.0.1:PORT/healthz

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.3f rate=%.1f bytes=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.bytes))
  io.write(string.format("LATENCY p50=%.3f p90=%.3f p99=%.3f max=%.3f mean=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
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
  io.write("WRAPPED 0\n")
end
