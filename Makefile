# conclab: the two commands a newcomer needs are `make profile` and `make test`.
# Everything else is for contributors and CI. Each target fetches what it
# needs through the Go module proxy (tools are pinned in go.mod as `tool`s).

GO      ?= go
PKGS    ?= ./...
CPUS    ?= 1,2,4
BENCHOUT ?= bench.txt

.PHONY: scale-calibrate all test stress fuzz bench bench-gate bench-compare gate-power profile report compare-python claims-stability lint ci test-cpus stress-short fuzz-short mutate hunt hunt-replay hunt-modules clean help browser-test

## all: lint, then test.
all: lint test

## test: every scenario's invariant under the race detector, leaks checked, negative controls included.
test:
	$(GO) test -race $(PKGS)

## stress: the flake hunt: 20 runs at GOMAXPROCS 1, 2 and 4 under -race, then a short fuzz of every target.
stress:
	$(GO) test -race -count=20 -cpu $(CPUS) $(PKGS)
	$(MAKE) fuzz

## fuzz: each fuzz target for FUZZTIME (default 10s).
FUZZTIME ?= 10s
fuzz:
	@scripts/fuzz-all $(FUZZTIME)

## bench: benchmarks across cores in benchstat's format, into $(BENCHOUT).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -cpu $(CPUS) -count $${COUNT:-1} ./perf/... | tee $(BENCHOUT)

## bench-gate: compare OLD and NEW benchmark files (-count 6 or more) by perf/gate's paired rule; fails on a significant slowdown (THRESHOLD, default 10 %).
bench-gate:
	scripts/bench-gate $(OLD) $(NEW)

## profile: the main job: CPU, mutex and block profiles per scenario and core count, and the report in profiles/.
profile:
	$(GO) run ./cmd/conclab profile

## report: rebuild profiles/report.md and report.html from the profiles on disk.
report:
	$(GO) run ./cmd/conclab report profiles

## browser-test: the report and the flame graphs in headless Chromium: no console errors, every graph and link resolves, click zooms, Search highlights. Installs Debian's chromium (apt-get, as root) when no browser is found; PNGS=DIR saves screenshots. (`make test` runs the same test where a browser is installed, and skips it elsewhere.)
BROWSERS = chromium chromium-browser google-chrome google-chrome-stable headless-shell
browser-test:
	@found=$${CONCLAB_BROWSER:-}; for b in $(BROWSERS); do [ -n "$$found" ] || ! command -v $$b >/dev/null || found=$$b; done; \
	if [ -z "$$found" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "browser-test: no browser (none of $(BROWSERS)); install chromium or set CONCLAB_BROWSER" >&2; exit 1; \
		fi; \
	fi
	$(GO) test -race -count=1 -v -run TestInABrowser ./internal/profiling/browsertest/ $(if $(PNGS),-args -browsertest.png $(abspath $(PNGS)))

## compare-python: the article's own Python programs beside the Go scenarios, one table.
compare-python:
	scripts/compare-python

## claims-stability: the comparison RUNS times (default 5); fails if any claim's verdict differs between runs (not in `make test`; about 11 min at the default nine reps).
claims-stability:
	scripts/claims-stability

## lint: gofmt, the full go vet (its copylocks, lostcancel and waitgroup checks run only here; hunt's runtime with its conclabhunt tag), staticcheck, actionlint on the workflows.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) vet -tags conclabhunt ./internal/hunt/instrument/rt/
	$(GO) tool staticcheck $(PKGS)
	$(GO) tool actionlint .github/workflows/*.yml docs/ci/*.yml

## ci: the CI workflow's steps, in the same order, minus the artifact upload (a test keeps the two in step).
ci: lint test-cpus stress-short fuzz-short bench-compare profile

## hunt: the long sweep of 'conclab hunt': the bug corpus (its table: kernel, detector, runs, seconds), runs with and
## without perturbation for the schedule-dependent kernels, the rare kernels' table, the replay table (see hunt-replay), and conclab's
## own packages, golang.org/x/sync and go.uber.org/goleak clean (about 12 min on 2 cores).
hunt:
	$(GO) test -race -timeout 60m -v -run 'TestCorpus|TestOldGoModule|TestPerturbationTable|TestRareTable|TestReplayTable|TestSweep' ./internal/hunt/ -args -hunt.long -hunt.replay

## hunt-replay: the replay table alone: each schedule-dependent or after-return kernel found from seed 1, then its printed
## replay command run 10 times; how many show the finding within 5 runs (a timing measurement, about 3.5 min; part of `make hunt`, not of `make test`).
hunt-replay:
	$(GO) test -race -count=1 -timeout 30m -v -run 'TestReplayTable' ./internal/hunt/ -args -hunt.replay

## hunt-modules: hunt the tests of eight real modules nobody here wrote (conc, ants, x/time, golang-lru, xsync, gobreaker, x/sync, goleak), each at a pinned version, from a scratch module under $TMPDIR, HUNT_TIME (60s) each, beside `go test -race` of the same packages: the table of docs/detectors.md (not in `make test`; about 20 min).
HUNT_TIME ?= 60s
hunt-modules:
	scripts/hunt-modules -time $(HUNT_TIME)

## test-cpus: the proof at GOMAXPROCS 1, 2 and 4.
test-cpus:
	$(GO) test -race -cpu $(CPUS) $(PKGS)

## stress-short: a few repeated runs, the cheap end of `make stress`.
stress-short:
	$(GO) test -race -count=3 $(PKGS)

## fuzz-short: each fuzz target for 3 seconds.
fuzz-short:
	$(MAKE) fuzz FUZZTIME=3s

## bench-compare: the gate (conclab gate -base BASE ./perf): perf's BenchmarkGate of BASE (default: the merge base with origin/main, else HEAD~1) against the work tree, sampled until clear within GATE_TIME (3m); fails on a significant slowdown (THRESHOLD, default 10 %).
bench-compare:
	scripts/bench-compare $(BASE)

## gate-power: measure the gate: the share of RUNS (20) decisions that fail for injected slowdowns of 0 (A/A), 5, 10, 20 and 50 %; about 3-4 min on a quiet 2-core machine.
RUNS ?= 20
gate-power:
	RUNS=$(RUNS) scripts/gate-power

## mutate: inject each concurrency bug (generated from the AST: a removed lock, Done, close, Signal, Release, ...; and a hand-written table) one at a time and report which test catches it (the test that caught it last time first).
mutate:
	scripts/mutate

## clean: remove the recordings, the report and the benchmark output.
clean:
	rm -rf profiles/*/ profiles/report.md profiles/report.html $(BENCHOUT)

## help: this list.
help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'

## scale-calibrate: conclab scale's verdicts on the generated corpus (internal/scale/testdata/calibrate: 11 causes × 3 intensities, seed 1 tuned, seeds 2 and 3 held out) at -cpu 1,2 and at the default -cpu, as confusion matrices; a timing measurement at -benchtime 1s, about 1.5 min per seed at -cpu 1,2 and 2.5 min at the default on 2 cores (not in `make test`).
CALIBRATE_CPUS ?= 1,2 default
scale-calibrate:
	@for cpu in $(CALIBRATE_CPUS); do $(GO) run ./internal/scale/testdata/calibrate -seeds 1,2,3 -cpu $$cpu $(if $(CALIBRATE_OUT),-out $(CALIBRATE_OUT)/cpu$$cpu) || exit 1; done
