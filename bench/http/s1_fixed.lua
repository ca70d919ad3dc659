-- S1 (fixed id, for the nginx comparison of equal response sizes).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
