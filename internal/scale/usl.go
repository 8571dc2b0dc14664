package scale

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// USL is a fit of Gunther's Universal Scalability Law to measured
// throughput,
//
//	X(n) = λn / (1 + σ(n−1) + κn(n−1)),
//
// where n is the number of cores (GOMAXPROCS), λ the throughput at n = 1,
// σ the contention (the share of the work that is serialised: Amdahl's
// law when κ = 0) and κ the coherency cost (each pair of cores paying to
// agree, which makes throughput fall past a peak).
type USL struct {
	// Lambda is the throughput at n = 1, in operations per second: the mean
	// of the n = 1 measurements, which fixes the curve's scale.
	Lambda float64 `json:"lambda"`
	// Sigma and Kappa are the fitted contention and coherency, both ≥ 0.
	Sigma float64 `json:"sigma"`
	Kappa float64 `json:"kappa"`
	// R2 is the coefficient of determination of the fit on the speed-ups;
	// RelRMSE the root-mean-square residual relative to the mean speed-up.
	R2      float64 `json:"r2"`
	RelRMSE float64 `json:"rel_rmse"`
	// Points is the number of measurements fitted; Cores the number of
	// distinct core counts among them.
	Points int `json:"points"`
	Cores  int `json:"cores"`
}

// Speedup is the fitted speed-up at n cores, X(n) ÷ λ.
func (u USL) Speedup(n float64) float64 {
	return uslSpeedup(u.Sigma, u.Kappa, n)
}

func uslSpeedup(sigma, kappa, n float64) float64 {
	return n / (1 + sigma*(n-1) + kappa*n*(n-1))
}

// Peak is the core count of the highest throughput, sqrt((1−σ)/κ), and
// that throughput; ok is false when the law has no peak (κ = 0 or σ ≥ 1:
// throughput only rises towards λ/σ, or never rises).
func (u USL) Peak() (n, throughput float64, ok bool) {
	if u.Kappa <= 0 || u.Sigma >= 1 {
		return 0, 0, false
	}
	n = math.Sqrt((1 - u.Sigma) / u.Kappa)
	return n, u.Lambda * u.Speedup(n), true
}

// MaxRelRMSE is the noise above which [FitUSL] refuses a fit: residuals
// larger than this fraction of the mean speed-up say the points do not
// follow any curve of the law.
const MaxRelRMSE = 0.15

// ErrTooFewCores is returned by [FitUSL] for fewer than three distinct
// core counts: two parameters through two points always fit, and say
// nothing.
var ErrTooFewCores = errors.New("fewer than three core counts: too few to fit the Universal Scalability Law")

// Throughput is one measurement: ops per second at n cores.
type Throughput struct {
	N     int
	PerOp float64 // ops per second
}

// FitUSL fits the law to the measurements by least squares on the
// speed-ups X(n)/λ, with λ the mean throughput at n = 1 and σ, κ ≥ 0: a
// grid over σ ∈ [0, 1] and κ on a log scale, refined by shrinking the grid
// around the best point. It needs n = 1 among the points and at least three
// distinct core counts, and refuses (with an error saying why) a fit whose
// residuals exceed [MaxRelRMSE].
func FitUSL(points []Throughput) (USL, error) {
	var cores []int
	var lambda float64
	var ones int
	for _, p := range points {
		if p.N < 1 || !(p.PerOp > 0) || math.IsInf(p.PerOp, 0) {
			return USL{}, fmt.Errorf("bad measurement: %v ops/s at n=%d", p.PerOp, p.N)
		}
		if !slices.Contains(cores, p.N) {
			cores = append(cores, p.N)
		}
		if p.N == 1 {
			lambda += p.PerOp
			ones++
		}
	}
	if len(cores) < 3 {
		return USL{}, ErrTooFewCores
	}
	if ones == 0 {
		return USL{}, errors.New("no measurement at n = 1 to fix the scale of the fit")
	}
	lambda /= float64(ones)
	ns := make([]float64, len(points))
	ss := make([]float64, len(points))
	var mean float64
	for i, p := range points {
		ns[i], ss[i] = float64(p.N), p.PerOp/lambda
		mean += ss[i]
	}
	mean /= float64(len(ss))
	sse := func(sigma, kappa float64) float64 {
		var e float64
		for i := range ns {
			d := ss[i] - uslSpeedup(sigma, kappa, ns[i])
			e += d * d
		}
		return e
	}
	// κ spans 1e-7 … 1 on a log scale, with 0 as its own point.
	bestS, bestLK, bestE := 0.0, math.Inf(-1), sse(0, 0)
	kappaOf := func(lk float64) float64 {
		if math.IsInf(lk, -1) {
			return 0
		}
		return math.Pow(10, lk)
	}
	sLo, sHi, kLo, kHi := 0.0, 1.0, -7.0, 0.0
	for range 12 {
		const steps = 40
		for i := 0; i <= steps; i++ {
			s := sLo + (sHi-sLo)*float64(i)/steps
			for j := -1; j <= steps; j++ {
				lk := math.Inf(-1)
				if j >= 0 {
					lk = kLo + (kHi-kLo)*float64(j)/steps
				}
				if e := sse(s, kappaOf(lk)); e < bestE {
					bestS, bestLK, bestE = s, lk, e
				}
			}
		}
		ds, dk := (sHi-sLo)/8, (kHi-kLo)/8
		sLo, sHi = max(0, bestS-ds), min(1, bestS+ds)
		if !math.IsInf(bestLK, -1) {
			kLo, kHi = bestLK-dk, min(0, bestLK+dk)
		}
	}
	u := USL{Lambda: lambda, Sigma: bestS, Kappa: kappaOf(bestLK), Points: len(points), Cores: len(cores)}
	var sst float64
	for _, s := range ss {
		sst += (s - mean) * (s - mean)
	}
	u.R2 = 1
	if sst > 0 {
		u.R2 = 1 - bestE/sst
	}
	u.RelRMSE = math.Sqrt(bestE/float64(len(ss))) / mean
	if u.RelRMSE > MaxRelRMSE {
		return u, fmt.Errorf("the points are too noisy for a fit: residuals %.0f%% of the mean speed-up (at most %.0f%%)", 100*u.RelRMSE, 100*MaxRelRMSE)
	}
	return u, nil
}
