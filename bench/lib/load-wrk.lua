-- The request script of bench/lib/load-client.ts when the load comes from wrk: every request is the next path of
-- the scenario's list (a file, one path a line, named by CW_PATHS; each wrk thread starts at its own place in it),
-- with the API key of CW_KEY. At the end one JSON line with the figures load-client.ts reads (latencies in
-- microseconds, as wrk keeps them).
local paths = {}
for line in io.lines(os.getenv("CW_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("CW_KEY")

local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local next = 0
function request()
  next = next + 1
  return wrk.format("GET", paths[((offset or 0) + next) % #paths + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"microseconds":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"failed":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout))
end
