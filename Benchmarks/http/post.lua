-- POSTs one JSON body over and over; prints one RESULT line at the end.
-- Arguments (after `--` on the wrk command line):
--   1: the file holding the request body
--   2: optional think time in milliseconds between a response and the connection's
--      next request (may be fractional: each wait is the floor or the ceiling, drawn
--      so that the mean is the value given). Used to hold the load near a target
--      rate, since wrk itself has no rate option.
local think = 0

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
  think = tonumber(args[2] or "0")
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end

function delay()
  if think <= 0 then return 0 end
  local whole = math.floor(think)
  if math.random() < think - whole then return whole + 1 end
  return whole
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d requests=%d errors=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.requests, errors))
end
