// Package pprofkit reads and draws pprof profiles, for any program: it
// knows nothing of conclab's catalogue, so that the verbs that run a
// user's module (scale, the benchmark gate) and the catalogue's own
// recorder (package profiling) share one analysis and one look.
//
// [ReadProfile] opens a profile; [AnalyzeCPU], [AnalyzeWait],
// [AnalyzeOverheads] and [AnalyzeWaitSites] read one (effective
// parallelism = sampled CPU seconds ÷ wall seconds, the top functions, the
// time waited on locks and where, the runtime's share of the CPU);
// [WriteFlameGraph] draws one as an SVG flame graph (interactive where a
// browser runs its inline script) and [WriteDiffFlameGraph] and
// [DiffFrames] show what changed between two; [SpeedupChart] draws
// speed-up against GOMAXPROCS. [WriteFile] writes a file atomically (a
// temporary file renamed into place), [ThisMachine] and [LoadAverage]
// describe the computer, and [BaseCSS] and [MarkdownHTML] are the style
// the HTML reports share.
//
// It imports no scenario and no verdict: the rules that judge a
// measurement live in the packages above it.
package pprofkit
