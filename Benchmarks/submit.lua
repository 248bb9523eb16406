-- wrk script: POSTs complete EIT part 1 forms, each with its own submission id.
-- The path comes from the environment (PRONGSAI_SURVEY_PATH); run with: wrk -s submit.lua URL
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  math.randomseed(os.time() + id * 7919)
  local answers = {}
  for n = 1, 15 do
    local q = "e" .. n
    if q == "e4" or q == "e8" or q == "e10" then
      table.insert(answers, q .. "=no")
    else
      table.insert(answers, q .. "=" .. tostring(math.random(1, 4)))
    end
  end
  body_tail = "&" .. table.concat(answers, "&")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  path = os.getenv("PRONGSAI_SURVEY_PATH")
end

function request()
  counter = counter + 1
  local submission = string.format("%08x%08x%08x%08x", id, counter, math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  return wrk.format(nil, path, nil, "submission=" .. submission .. body_tail)
end
