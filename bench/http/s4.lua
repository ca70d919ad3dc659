-- S4: GET /stats (counts by unit × status × light over the whole ledger).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
