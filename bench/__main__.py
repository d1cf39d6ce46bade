"""Run every bench module and print its results as they come."""

import importlib
import time

# Each module has run() -> Iterator[str], yielding the lines of its report.
MODULES = ("bench.bench_pages", "bench.bench_import", "bench.bench_registrations",
           "bench.bench_checkins", "bench.bench_scanner", "bench.bench_certificates",
           "bench.bench_rosters", "bench.bench_messages",
           "bench.bench_assessments", "bench.bench_paper_grid", "bench.bench_province")


def main() -> int:
    started = time.perf_counter()
    for name in MODULES:
        module = importlib.import_module(name)
        print(f"== {name}", flush=True)
        if not hasattr(module, "run"):
            # bench_messages prints as it goes, from main(): without this the run stopped
            # there and the benches after it never ran.
            module.main()
            continue
        for line in module.run():
            print(line, flush=True)
    print(f"== done in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
