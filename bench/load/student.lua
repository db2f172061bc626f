-- wrk script: whole questionnaires as a browser fills them, with the draft cookie the first
-- save set (the server keeps a draft by its cookie only). Without JavaScript each page is
-- fetched (GET) and sent (POST, answered 303); with it (`live`), the first page is fetched and
-- every page is sent by its live form, whose answer is the next page itself. Counts acknowledged
-- questionnaires (the last page's 303 to /thanks). Each questionnaire takes one of the codes
-- (several schools' student codes, comma-separated) at random.
--   wrk -t2 -c200 -d30s --latency -s student.lua http://127.0.0.1:3000 -- CODE[,CODE...] bodies.tsv [live]

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  codes = {}
  for code in string.gmatch(args[1], "[^,]+") do table.insert(codes, code) end
  variants = {}
  for line in io.lines(args[2]) do
    local pages = {}
    for page in string.gmatch(line, "[^\t]+") do table.insert(pages, page) end
    table.insert(variants, pages)
  end
  live = args[3] == "live"
  completed = 0
  failed = 0
  fetched = {}
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

-- The draft cookie of a code.
function cookie_of(code)
  return "orientir_draft_" .. string.gsub(code, "-", "")
end

-- Requests of a thread's connections interleave, so the state of each questionnaire travels with
-- it: the server's answer names the next page (Location) and the draft (Set-Cookie), and that
-- step waits in `ready` until some connection sends it. Like a browser, a page is first fetched
-- (GET, with the draft cookie) and then sent (POST); a live form's answer is the next page.
ready = {}

function request()
  local step = table.remove(ready)
  if step == nil then
    step = { page = 1, get = true, code = codes[math.random(#codes)] }
  end
  local code = step.code
  local path = "/s/" .. code .. "/p/" .. step.page
  -- A new questionnaire has no draft yet: its first save makes one and sets the cookie.
  local headers = {}
  if step.token then headers["Cookie"] = cookie_of(code) .. "=" .. step.token end
  if step.get then
    table.insert(fetched, step)
    return wrk.format("GET", path, headers, nil)
  end
  local pages = variants[math.random(#variants)]
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  if live then headers["X-Orientir-Live"] = "1" end
  return wrk.format("POST", "/respond/" .. code .. "/" .. step.page, headers, pages[step.page])
end

-- The next step from a redirect's or a live answer's address and cookie.
function advance(location, headers)
  local cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
  local code, page = string.match(location, "/s/([^/]+)/p/(%d+)$")
  local token = code and string.match(cookie, cookie_of(code) .. "=(%x+);")
  if token and page then
    -- A live form's answer is the page itself: it is sent next, not fetched again.
    table.insert(ready, { token = token, page = tonumber(page), code = code, get = not live })
  else
    failed = failed + 1
  end
end

function response(status, headers, body)
  local shown = headers["X-Orientir-Page"] or headers["x-orientir-page"]
  if status == 200 and shown then
    if string.find(shown, "#errors", 1, true) then
      failed = failed + 1
    else
      advance(shown, headers)
    end
    return
  end
  if status == 200 then
    -- A page was shown: send it next (the oldest fetched step).
    local step = table.remove(fetched, 1)
    if step then
      table.insert(ready, { token = step.token, page = step.page, code = step.code, get = false })
    end
    return
  end
  local location = headers["Location"] or headers["location"] or ""
  if status ~= 303 or string.find(location, "#errors", 1, true) then
    failed = failed + 1
    return
  end
  if string.find(location, "/thanks", 1, true) then
    completed = completed + 1
    return
  end
  advance(location, headers)
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("completed")
    bad = bad + t:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("completed questionnaires: %d (%.0f/s), refused or failed pages: %d\n", total, total / seconds, bad))
  io.write(string.format("page latency p50 %.1f ms, p99 %.1f ms\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
