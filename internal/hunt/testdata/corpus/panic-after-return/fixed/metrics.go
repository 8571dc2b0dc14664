// Package metrics is the fixed twin of a hunt corpus kernel: a goroutine that panics after its
// test returned.
//
// New starts a reporter that computes a first sample and hands it to the
// sink; a Metrics made without a sink (the test does not care for samples)
// has a nil one, and the reporter, still computing when the test function
// returns, dereferences it: the panic comes after the test has passed.
package metrics

// A Sink receives samples.
type Sink interface{ Record(v int) }

// Metrics reports samples to a sink.
type Metrics struct {
	sink Sink
}

// New starts a reporter whose first sample takes rounds rounds.
func New(sink Sink, rounds int) *Metrics {
	m := &Metrics{sink: sink}
	go m.report(rounds)
	return m
}

func (m *Metrics) report(rounds int) {
	sum := 0
	for i := 0; i < rounds; i++ {
		sum += i % 7
	}
	if m.sink != nil {
		m.sink.Record(sum)
	}
}
