package profiling

import "github.com/conclab/conclab/internal/verdict"

// busyThreshold is the number of cores other processes must keep busy
// during a recording for the report to flag it, and for its verdict to be
// inconclusive: the threshold of package verdict, measured by its Meter
// (the machine's busy time from /proc/stat minus this process tree's CPU
// time), so that compare-python and the report judge load alike.
const busyThreshold = verdict.MaxOtherCores
