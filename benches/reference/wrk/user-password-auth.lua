-- wrk script: USER_PASSWORD_AUTH sign-ins of the demo user of `cognito-emulator serve`.
--   wrk -t2 -c8 -d10s -s benches/reference/wrk/user-password-auth.lua http://127.0.0.1:9229/
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.InitiateAuth"
wrk.body = '{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"democlient0000000000000001",'
  .. '"AuthParameters":{"USERNAME":"demo","PASSWORD":"DemoPassw0rd!"}}'

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  non-2xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status))
end
