-- A signed-in coordinator reading the region: the pages (GET) and the server functions their
-- hydrated pages call (POST), in turn. Arguments: the session cookie, then the campaign ids
-- (earlier, current) and a school id.
local requests = {}
local i = 0

function init(args)
  local cookie, before, campaign, school = args[1], args[2], args[3], args[4]
  local get = { "/work", "/work/campaigns/" .. campaign .. "/matrix", "/work/campaigns/" .. campaign .. "/monitor",
    "/work/campaigns/" .. campaign .. "/schools/" .. school, "/work/change?before=" .. before .. "&after=" .. campaign,
    "/work/campaigns/" .. campaign .. "/quality", "/work/effectiveness",
    "/work/campaigns/" .. campaign .. "/schools/" .. school .. "/programme" }
  local post = { { "/api/work-matrix", "campaign=" .. campaign }, { "/api/work-monitor", "campaign=" .. campaign },
    { "/api/work-profile", "campaign=" .. campaign .. "&school=" .. school },
    { "/api/work-change", "before=" .. before .. "&after=" .. campaign }, { "/api/work-home", "" } }
  for _, path in ipairs(get) do
    table.insert(requests, wrk.format("GET", path, { ["Cookie"] = cookie }))
  end
  for _, fn in ipairs(post) do
    table.insert(requests, wrk.format("POST", fn[1],
      { ["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, fn[2]))
  end
end

function request()
  i = i + 1
  return requests[(i % #requests) + 1]
end

function response(status)
  if status ~= 200 then
    error("a coordinator's request answered " .. status)
  end
end
