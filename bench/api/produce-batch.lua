-- 100 records per POST
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local records = {}
for i = 1, 100 do
  records[i] = '{"key":"node-a","value":{"node":"node-a","metric":"cpu","timestamp":1764860400123,"value":' .. i .. '.5,"unit":"percent"}}'
end
wrk.body = '{"records":[' .. table.concat(records, ",") .. ']}'
