package profiling_test

import (
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// period is the sampling period of the fake CPU profiles: 100 Hz, as Go's.
const period = 10 * time.Millisecond

// stack is count samples of one call stack, leaf first. A frame written
// "inner+outer" is one location where inner was inlined into outer.
type stack struct {
	frames []string
	count  int64
}

// builder makes profiles with one function and one location per name.
type builder struct {
	p     *profile.Profile
	funcs map[string]*profile.Function
	locs  map[string]*profile.Location
}

func newBuilder(types ...*profile.ValueType) *builder {
	return &builder{
		p:     &profile.Profile{SampleType: types, TimeNanos: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC).UnixNano()},
		funcs: map[string]*profile.Function{},
		locs:  map[string]*profile.Location{},
	}
}

func (b *builder) fn(name string) *profile.Function {
	if f, ok := b.funcs[name]; ok {
		return f
	}
	f := &profile.Function{ID: uint64(len(b.p.Function) + 1), Name: name, SystemName: name}
	b.funcs[name] = f
	b.p.Function = append(b.p.Function, f)
	return f
}

func (b *builder) loc(frame string) *profile.Location {
	if l, ok := b.locs[frame]; ok {
		return l
	}
	l := &profile.Location{ID: uint64(len(b.p.Location) + 1), Address: 0x1000 * uint64(len(b.p.Location)+1)}
	for name := range strings.SplitSeq(frame, "+") {
		l.Line = append(l.Line, profile.Line{Function: b.fn(name), Line: 1})
	}
	b.locs[frame] = l
	b.p.Location = append(b.p.Location, l)
	return l
}

func (b *builder) sample(frames []string, values ...int64) {
	s := &profile.Sample{Value: values}
	for _, f := range frames {
		s.Location = append(s.Location, b.loc(f))
	}
	b.p.Sample = append(b.p.Sample, s)
}

// fakeCPU returns a CPU profile lasting wall whose samples are stacks, as
// runtime/pprof writes them: samples/count and cpu/nanoseconds.
func fakeCPU(wall time.Duration, stacks ...stack) *profile.Profile {
	b := newBuilder(&profile.ValueType{Type: "samples", Unit: "count"}, &profile.ValueType{Type: "cpu", Unit: "nanoseconds"})
	b.p.DurationNanos = wall.Nanoseconds()
	b.p.PeriodType = &profile.ValueType{Type: "cpu", Unit: "nanoseconds"}
	b.p.Period = period.Nanoseconds()
	for _, s := range stacks {
		b.sample(s.frames, s.count, s.count*period.Nanoseconds())
	}
	return b.p
}

// wait is events contentions that waited delay in all, at one stack.
type wait struct {
	frames []string
	events int64
	delay  time.Duration
}

// fakeWait returns a mutex or block profile (contentions/count,
// delay/nanoseconds).
func fakeWait(wall time.Duration, waits ...wait) *profile.Profile {
	b := newBuilder(&profile.ValueType{Type: "contentions", Unit: "count"}, &profile.ValueType{Type: "delay", Unit: "nanoseconds"})
	b.p.DurationNanos = wall.Nanoseconds()
	b.p.PeriodType = &profile.ValueType{Type: "contentions", Unit: "count"}
	b.p.Period = 1
	for _, w := range waits {
		b.sample(w.frames, w.events, w.delay.Nanoseconds())
	}
	return b.p
}
