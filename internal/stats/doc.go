// Package stats holds the rank statistics behind conclab's verdicts: the
// Wilcoxon signed-rank test of paired differences, the Hodges–Lehmann
// estimate of their median with its confidence interval, and the
// Benjamini–Hochberg adjustment for many tests at once. The PR gate
// (perf/gate) and the verdict engine (internal/verdict) both use them.
package stats
