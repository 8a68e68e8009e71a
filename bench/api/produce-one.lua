-- one record per POST, the shape the agent sends
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"records":[{"key":"node-a","value":{"node":"node-a","metric":"cpu","timestamp":1764860400123,"value":12.5,"unit":"percent"}}]}'
