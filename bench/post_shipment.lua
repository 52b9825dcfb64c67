-- wrk script: every request is POST /v1/shipments with a new external_order_id, so every request
-- creates a shipment (an existing external_order_id would be answered 200 from the existing row).
-- The API key comes from the environment: LASTMILE_KEY.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_no", #threads)
end

function init(args)
  counter = 0
  run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. (os.getenv("LASTMILE_KEY") or ""),
  }
end

local template = '{"external_order_id":"bench-%s-%d-%d","service_level":"standard",' ..
  '"recipient":{"name":"Marie Dupont","phone":"+33612345678","email":"marie@example.com"},' ..
  '"address":{"line1":"12 Avenue de la Costa","city":"Monaco","postal_code":"98000","country":"MC",' ..
  '"lat":43.7384,"lon":7.4246},' ..
  '"promised":{"start":"2026-11-23T09:00:00Z","end":"2026-11-23T12:00:00Z"},' ..
  '"parcels":[{"barcode":"PKG-1","weight_kg":1.2}]}'

function request()
  counter = counter + 1
  local body = string.format(template, run_id, thread_no, counter)
  return wrk.format("POST", "/v1/shipments", headers, body)
end
