-- wrk script: whole questionnaires as a browser with the wasm loaded fills them: the start page
-- is rendered by the server (GET), then the page fetches the questionnaire's rules and the first
-- page (server functions), saves each page with one server-function call that answers with the
-- next page, and shows the thank-you page (server function). Counts acknowledged questionnaires
-- (a save answered with the thank-you page as its target).
--   wrk -t2 -c200 -d30s --latency -s hydrated.lua http://127.0.0.1:3000 -- CODE bodies.jsonl

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  code = args[1]
  variants = {}
  for line in io.lines(args[2]) do
    local pages = {}
    for page in string.gmatch(line, "[^\t]+") do table.insert(pages, page) end
    table.insert(variants, pages)
  end
  completed = 0
  failed = 0
  cookie_name = "orientir_draft_" .. string.gsub(code, "-", "")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

-- Steps waiting to be sent, and the steps without state of their own that are in flight (their
-- answers say nothing about the questionnaire, so the oldest one is taken to be answered).
ready = {}
inflight = {}
local after = { start = "rules", rules = "section", section = "save" }
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function request()
  local step = table.remove(ready)
  if step == nil then
    step = { kind = "start", page = 1 }
  end
  if step.kind ~= "save" then
    table.insert(inflight, step)
  end
  if step.kind == "start" then
    return wrk.format("GET", "/s/" .. code, nil, nil)
  elseif step.kind == "rules" then
    return wrk.format("POST", "/api/respond-rules", form, "code=" .. code)
  elseif step.kind == "section" then
    return wrk.format("POST", "/api/respond-section", form, "code=" .. code .. "&page=1")
  elseif step.kind == "thanks" then
    return wrk.format("POST", "/api/respond-thanks", form, "code=" .. code)
  end
  local pages = variants[math.random(#variants)]
  local body = '{"code":"' .. code .. '","page":' .. step.page .. ',"fields":' .. pages[step.page] .. '}'
  -- The draft is kept by its cookie, which the first save sets (as a browser sends it along).
  local headers = { ["Content-Type"] = "application/json" }
  if step.token then headers["Cookie"] = cookie_name .. "=" .. step.token end
  return wrk.format("POST", "/api/respond-save", headers, body)
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    return
  end
  local target = string.match(body, '"target":"([^"]*)"')
  if target == nil then
    local step = table.remove(inflight, 1)
    if step and after[step.kind] then
      table.insert(ready, { kind = after[step.kind], token = step.token, page = 1 })
    end
    return
  end
  if string.find(target, "#errors", 1, true) then
    failed = failed + 1
  elseif string.find(target, "/thanks", 1, true) then
    completed = completed + 1
    table.insert(ready, { kind = "thanks" })
  else
    local page = tonumber(string.match(target, "/p/(%d+)$"))
    local cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
    local token = string.match(cookie, cookie_name .. "=(%x+);")
    if page and token then
      table.insert(ready, { kind = "save", token = token, page = page })
    else
      failed = failed + 1
    end
  end
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
