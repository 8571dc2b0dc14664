# conclab: the two commands a newcomer needs are `make profile` and `make test`.
# Everything else is for contributors and CI. Each target fetches what it
# needs through the Go module proxy (tools are pinned in go.mod as `tool`s).

GO      ?= go
PKGS    ?= ./...
CPUS    ?= 1,2,4
BENCHOUT ?= bench.txt

.PHONY: all test stress fuzz bench bench-gate bench-compare profile report compare-python lint ci test-cpus stress-short fuzz-short mutate clean help

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

## bench-gate: compare OLD and NEW benchmark files; fails on a significant regression beyond THRESHOLD.
bench-gate:
	scripts/bench-gate $(OLD) $(NEW)

## profile: the main job: CPU, mutex and block profiles per scenario and core count, and the report in profiles/.
profile:
	$(GO) run ./cmd/conclab profile

## report: rebuild profiles/report.md and report.html from the profiles on disk.
report:
	$(GO) run ./cmd/conclab report profiles

## compare-python: the article's own Python programs beside the Go scenarios, one table.
compare-python:
	scripts/compare-python

## lint: gofmt, the full go vet (its copylocks, lostcancel and waitgroup checks run only here), staticcheck.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) tool staticcheck $(PKGS)

## ci: the CI workflow's steps, in the same order, minus the artifact upload (a test keeps the two in step).
ci: lint test-cpus stress-short fuzz-short bench-compare profile

## test-cpus: the proof at GOMAXPROCS 1, 2 and 4.
test-cpus:
	$(GO) test -race -cpu $(CPUS) $(PKGS)

## stress-short: a few repeated runs, the cheap end of `make stress`.
stress-short:
	$(GO) test -race -count=3 $(PKGS)

## fuzz-short: each fuzz target for 3 seconds.
fuzz-short:
	$(MAKE) fuzz FUZZTIME=3s

## bench-compare: benchmarks of BASE (default: the merge base with origin/main, else HEAD~1) and of the work tree, gated by scripts/bench-gate.
bench-compare:
	scripts/bench-compare $(BASE)

## mutate: inject each concurrency bug (generated from the AST: a removed lock, Done, close, Signal, Release, ...; and a hand-written table) one at a time and report which test catches it.
mutate:
	scripts/mutate

clean:
	rm -rf profiles/*/ profiles/report.md profiles/report.html $(BENCHOUT)

help:
	@grep -E '^## ' Makefile | sed 's/^## /  /'
