package gate

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"time"
)

// Side is one of the two builds compared.
type Side int

const (
	// Old is the base.
	Old Side = iota
	// New is the change.
	New
)

func (s Side) String() string {
	if s == Old {
		return "old"
	}
	return "new"
}

// A Runner measures one benchmark once on one side and returns its time
// per op in nanoseconds.
type Runner interface {
	Run(ctx context.Context, side Side, name string) (float64, error)
}

// Plan says how [Sample] spends its rounds and time.
type Plan struct {
	Rule
	// MinRounds is the number of rounds before the first look.
	MinRounds int
	// Every is the number of rounds between looks after the first.
	Every int
	// MaxRounds is the most rounds any benchmark gets.
	MaxRounds int
	// Budget is the time sampling may take. A pair is not started when the
	// last pair of the same benchmark, taken again, would overrun it.
	Budget time.Duration
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log gets a line per look; nil for none.
	Log io.Writer
	// Rand draws which side runs first in each pair; nil is a source
	// seeded from the clock.
	Rand *rand.Rand
}

// DefaultPlan takes 8 rounds, then looks every 4, up to 40 rounds, within
// three minutes.
var DefaultPlan = Plan{Rule: DefaultRule, MinRounds: 8, Every: 4, MaxRounds: 40, Budget: 3 * time.Minute}

// Outcome is what [Sample] measured and decided.
type Outcome struct {
	Series   []*Series
	Findings []Finding
	// Rounds is the number of rounds started.
	Rounds int
	// Stopped says why sampling ended.
	Stopped string
	// Inconclusive lists the benchmarks left with too few pairs for any
	// result to be significant: the time budget ran out first.
	Inconclusive []string
}

// Failed reports whether any benchmark failed the gate.
func (o Outcome) Failed() bool {
	for _, f := range o.Findings {
		if f.Verdict == Fail {
			return true
		}
	}
	return false
}

// Sample measures the named benchmarks in rounds, one old/new pair of each
// undecided benchmark a round, which side runs first drawn at random for
// each pair, looks at the data after p.MinRounds rounds and then every p.Every,
// stops sampling each benchmark whose answer is clear (see the package
// comment), and decides the others when p.MaxRounds or p.Budget is reached.
// An error of the runner ends it.
//
// The random order is what makes the test exact when nothing changed:
// whatever the machine's load does over time, and whatever running first
// or second costs, which of the two measurements of a pair is old's is a
// fair coin, so each log ratio's sign is one too, and that is the null
// distribution of the signed-rank test. A fixed pattern (old first in odd
// rounds, new first in even ones) puts two runs of the same side next to
// each other, and a burst of load over both reads as a difference: on a
// loaded machine such A/A runs failed 2 times in 3.
func Sample(ctx context.Context, r Runner, names []string, p Plan) (Outcome, error) {
	now := p.Now
	if now == nil {
		now = time.Now
	}
	rng := p.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x9e3779b97f4a7c15))
	}
	start := now()
	out := Outcome{Series: make([]*Series, len(names))}
	decided := make([]*Finding, len(names))
	lastPair := make([]time.Duration, len(names))
	for i, n := range names {
		out.Series[i] = &Series{Name: n}
	}
	undecided := func() int {
		k := 0
		for _, d := range decided {
			if d == nil {
				k++
			}
		}
		return k
	}
sampling:
	for round := 1; ; round++ {
		if round > p.MaxRounds {
			out.Stopped = fmt.Sprintf("%d rounds, the most allowed", p.MaxRounds)
			break
		}
		out.Rounds = round
		for i, s := range out.Series {
			if decided[i] != nil {
				continue
			}
			if elapsed := now().Sub(start); elapsed+lastPair[i] > p.Budget {
				out.Stopped = fmt.Sprintf("time budget %v reached in round %d", p.Budget.Round(time.Second), round)
				break sampling
			}
			t0 := now()
			first, second := Old, New
			if rng.IntN(2) == 1 {
				first, second = New, Old
			}
			for _, side := range []Side{first, second} {
				ns, err := r.Run(ctx, side, s.Name)
				if err != nil {
					return out, fmt.Errorf("%s, %s side: %w", s.Name, side, err)
				}
				if side == Old {
					s.Old = append(s.Old, ns)
				} else {
					s.New = append(s.New, ns)
				}
			}
			lastPair[i] = now().Sub(t0)
		}
		if round < p.MinRounds || (round-p.MinRounds)%max(p.Every, 1) != 0 {
			continue
		}
		for i, f := range Assess(out.Series, p.Rule, false) {
			if decided[i] == nil && f.Verdict != Undecided {
				decided[i] = &f
			}
		}
		left := undecided()
		if p.Log != nil {
			fmt.Fprintf(p.Log, "bench-gate: round %d, %v: %d of %d benchmarks still undecided\n",
				round, now().Sub(start).Round(time.Second), left, len(names))
		}
		if left == 0 {
			out.Stopped = fmt.Sprintf("every answer clear after %d rounds", round)
			break
		}
	}
	final := Assess(out.Series, p.Rule, true)
	m := float64(len(names))
	for i := range final {
		if decided[i] != nil {
			final[i] = *decided[i]
			continue
		}
		if n := final[i].Pairs; math.Ldexp(1, -n)*m > p.Alpha {
			out.Inconclusive = append(out.Inconclusive, final[i].Name)
		}
	}
	out.Findings = final
	return out, nil
}
