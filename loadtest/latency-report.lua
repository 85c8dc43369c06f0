-- wrk script: prints the slowest and the 99th-percentile latency in milliseconds, for the chaos scenarios.
done = function(summary, latency, requests)
    io.write(string.format("max latency %.1f ms\n", latency.max / 1000))
    io.write(string.format("p99 latency %.1f ms\n", latency:percentile(99) / 1000))
end
