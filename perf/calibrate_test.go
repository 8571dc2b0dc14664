package perf

import (
	"flag"
	"math"
	"testing"

	"github.com/conclab/conclab/scenarios"
)

// gateScale multiplies the work of BenchmarkCalibrate: `make gate-power`
// runs the same test binary as old with -gate.scale=1 and as new with
// -gate.scale=1.1 to inject a 10 % slowdown without touching shipped code.
var gateScale = flag.Float64("gate.scale", 1, "work multiplier of BenchmarkCalibrate (1.1 is 10 % more work an op)")

// calibrateWork is BenchmarkCalibrate's kernel iterations an op at scale 1:
// a few hundred microseconds.
const calibrateWork = 200_000

var calibrateSink uint64

// BenchmarkCalibrate is the benchmark gate's yardstick: the CPU kernel over
// calibrateWork × -gate.scale integers an op, so that its time per op grows
// with the scale and nothing else. It is not part of the gate; `make
// gate-power` measures with it how often the gate catches a known slowdown.
func BenchmarkCalibrate(b *testing.B) {
	if *gateScale <= 0 || math.IsInf(*gateScale, 0) || math.IsNaN(*gateScale) {
		b.Fatalf("-gate.scale=%v: want a positive factor", *gateScale)
	}
	work := int(math.Round(calibrateWork * *gateScale))
	for b.Loop() {
		calibrateSink += scenarios.SquareNumbers(0, work)
	}
	b.ReportMetric(*gateScale, "scale")
}
