"""`make benchmark`'s reading of wrk and its verdict on the targets (the load itself is
measured by `make benchmark`, not by the tests)."""

from publishing import load_benchmark as bench

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/
  1 threads and 1 connections
RESULT 5000 5000000 800 1500 2500 0
"""


def test_wrk_output_becomes_rates_and_percentiles_in_ms():
    run = bench.parse_wrk(WRK_OUTPUT)
    assert run.rate == 1000
    assert (run.p50_ms, run.p95_ms, run.p99_ms) == (0.8, 1.5, 2.5)
    assert run.errors == 0


def _measured(cold_p95: float, warm_rate: float) -> dict:
    def run(p95: float, rate: float) -> bench.Run:
        return bench.Run(int(rate * 5), 5.0, p95 / 2, p95, p95 * 2, 0)

    def pages(p95: float, rate: float) -> dict:
        return {
            label: {
                1: run(1 if path is None and not html else p95, 100),
                8: run(1, 4000 if not html else rate),
            }
            for label, path, html in bench.PAGES
        }

    return {
        (1, "cold"): {"pages": pages(10, 100), "csv": (50, 100)},
        (1, "warm"): {"pages": pages(1, warm_rate), "csv": (50, 100)},
        (100, "cold"): {"pages": pages(cold_p95, 100), "csv": (150, 900)},
        (100, "warm"): {"pages": pages(1, warm_rate), "csv": (150, 900)},
    }


def test_the_report_says_which_targets_are_met_and_which_missed():
    good = "\n".join(bench.report(_measured(cold_p95=12, warm_rate=3000), 100))
    bad = "\n".join(bench.report(_measured(cold_p95=80, warm_rate=1000), 100))

    assert "MISSED" not in good
    assert "| list | " in good and "| static CSS file | " in good
    assert "MISSED cold, list: p95 80.0 ms ≤ 50 ms" in bad
    assert "MISSED cold, list: p95 growth 8.00 ≤ 1.5" in bad
    assert "MISSED warm, home: 25% ≥ 40%" in bad
    assert "met    CSV download: first byte 150 ms ≤ 200 ms" in bad
