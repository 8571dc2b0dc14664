package correctness

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/conclab/conclab/scenarios"
)

// The race detector is conclab's detector for Fault Race. These tests run
// racy programs in a child process built with -race, as runtime/race's
// output_test.go does, and match the report. Test names state the verdict:
// TestRace... must race, TestNoRace... must not.

// raceEnv makes the child's report deterministic: one P, no delay at exit,
// and stop at the first report so that its exit status is the race
// detector's (66), not the program's.
var raceEnv = []string{"GOMAXPROCS=1", "GORACE=atexit_sleep_ms=0 halt_on_error=1"}

// raceExit is the exit status of a program the race detector stopped.
const raceExit = 66

var dataRace = regexp.MustCompile(`(?m)^WARNING: DATA RACE$`)

// assertRace asserts that out is a race report naming racer, and that the
// child exited with the race detector's status.
func assertRace(t *testing.T, out string, code int, racer *regexp.Regexp) {
	t.Helper()
	assert.Equal(t, raceExit, code, "a program the race detector stopped exits 66; output:\n%s", out)
	assert.Regexp(t, dataRace, out, "the race detector reports a data race")
	assert.Regexp(t, racer, out, "the race report names the racing function")
}

// assertNoRace asserts that the child exited 0 with no race report.
func assertNoRace(t *testing.T, out string, code int) {
	t.Helper()
	assert.Equal(t, 0, code, "a race-free program exits 0; output:\n%s", out)
	assert.NotRegexp(t, dataRace, out, "no data race reported")
}

func TestRaceCounterUnprotected(t *testing.T) {
	bin := buildRace(t, "counterunprotected")
	out, code := runChild(t, bin, nil, raceEnv...)
	assertRace(t, out, code, regexp.MustCompile(`main\.increment\(\)`))
}

func TestNoRaceCounterMutex(t *testing.T) {
	bin := buildRace(t, "countermutex")
	out, code := runChild(t, bin, nil, raceEnv...)
	assertNoRace(t, out, code)
	assert.Contains(t, out, "counter: 50000", "five workers × 10000 increments, none lost")
}

func TestRaceForgottenJoin(t *testing.T) {
	bin := buildRace(t, "forgottenjoin")
	out, code := runChild(t, bin, nil, raceEnv...)
	assertRace(t, out, code, regexp.MustCompile(`main\.fetch\(\)`))
	assert.Regexp(t, `main\.main\(\)`, out, "the report names the reader, main, too")
}

func TestNoRaceJoinBeforeUse(t *testing.T) {
	bin := buildRace(t, "joinbeforeuse")
	out, code := runChild(t, bin, nil, raceEnv...)
	assertNoRace(t, out, code)
	assert.Contains(t, out, "result: 42")
}

// raceVariants returns every broken variant of the catalogue whose fault is
// a race, with its scenario.
func raceVariants() (vs []*scenarios.Variant, ss []*scenarios.Scenario) {
	for _, s := range scenarios.All() {
		for i := range s.Broken {
			if s.Broken[i].Fault == scenarios.Race {
				vs = append(vs, &s.Broken[i])
				ss = append(ss, s)
			}
		}
	}
	return vs, ss
}

// inScenarios matches a stack frame in package scenarios: the race is in the
// variant's code, not in the runner.
var inScenarios = regexp.MustCompile(`github\.com/conclab/conclab/scenarios\.`)

// TestRaceVariants runs every variant of Fault Race in the catalogue, built
// with -race, and requires the race detector to report it.
func TestRaceVariants(t *testing.T) {
	vs, _ := raceVariants()
	if len(vs) == 0 {
		t.Fatal("the catalogue has no variant of Fault Race: nothing proves the race detector fires on a scenario")
	}
	bin := buildRace(t, "variant")
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			out, code := runChild(t, bin, []string{v.Name}, raceEnv...)
			assertRace(t, out, code, inScenarios)
		})
	}
}

// TestNoRaceScenarios is the positive control of TestRaceVariants: the
// correct scenario behind each racy variant, built and run the same way,
// does not race.
func TestNoRaceScenarios(t *testing.T) {
	_, ss := raceVariants()
	bin := buildRace(t, "variant")
	seen := map[string]bool{}
	for _, s := range ss {
		if seen[s.Name] {
			continue
		}
		seen[s.Name] = true
		t.Run(s.Name, func(t *testing.T) {
			out, code := runChild(t, bin, []string{s.Name}, raceEnv...)
			assertNoRace(t, out, code)
		})
	}
}
