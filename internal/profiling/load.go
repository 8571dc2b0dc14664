package profiling

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"
)

// busyThreshold is the number of cores other processes must keep busy
// during a recording for the report to flag it: a quarter of a core.
const busyThreshold = 0.25

// A cpuMeter measures how much CPU the other processes of the machine used
// while this one recorded: the machine's busy time from /proc/stat minus
// this process's own CPU time and that of its waited-for children. The
// load average cannot tell the two apart, and a recording that keeps n
// cores busy raises it by n on its own.
type cpuMeter struct {
	ok         bool
	busy, self time.Duration
	start      time.Time
}

// startMeter starts a meter; it measures nothing where /proc/stat or
// getrusage is missing.
func startMeter() cpuMeter {
	busy, ok := machineBusy()
	self, sok := selfCPU()
	return cpuMeter{ok: ok && sok, busy: busy, self: self, start: time.Now()}
}

// otherCores returns the average number of cores other processes kept
// busy since the meter started, and false where it cannot tell.
func (m cpuMeter) otherCores() (float64, bool) {
	busy, ok := machineBusy()
	self, sok := selfCPU()
	wall := time.Since(m.start)
	if !m.ok || !ok || !sok || wall <= 0 {
		return 0, false
	}
	other := (busy - m.busy) - (self - m.self)
	return max(0, other.Seconds()/wall.Seconds()), true
}

// userHZ is the unit of /proc/stat: USER_HZ, 100 on every Linux that Go
// supports.
const userHZ = 100

// machineBusy sums the non-idle CPU time of every core from /proc/stat.
func machineBusy() (time.Duration, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, false
	}
	return parseStatCPU(sc.Text())
}

// parseStatCPU reads the first line of /proc/stat, "cpu user nice system
// idle iowait irq softirq steal guest guest_nice", and returns the time
// spent busy: everything but idle and iowait (guest time is already in
// user and nice).
func parseStatCPU(line string) (time.Duration, bool) {
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, false
	}
	var busy int64
	for i, s := range f[1:] {
		if i >= 8 {
			break
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, false
		}
		if i != 3 && i != 4 { // idle, iowait
			busy += v
		}
	}
	return time.Duration(busy) * time.Second / userHZ, true
}
