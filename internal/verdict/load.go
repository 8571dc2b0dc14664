package verdict

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// MaxOtherCores is the most cores other programs may keep busy, on
// average, while samples are taken, for the samples to decide a claim. A
// quiet machine's daemons use a few hundredths of a core; one competing
// busy process uses a whole one.
const MaxOtherCores = 0.25

// Load is how busy other programs kept the machine while samples were
// taken: the machine's busy CPU time (from /proc/stat) minus the CPU time
// of this process and the children it waited for (from getrusage). The
// zero Load is an unknown load, which decides nothing either way.
type Load struct {
	// Other is the CPU time used by other programs; Wall the time it was
	// measured over.
	Other, Wall time.Duration
	// Known is false where the platform cannot tell (no /proc/stat).
	Known bool
}

// Cores is the average number of cores other programs kept busy, at
// most the machine's (/proc/stat counts in ticks of 10 ms, so a short
// measurement can overshoot a little).
func (l Load) Cores() float64 {
	if l.Wall <= 0 {
		return 0
	}
	return min(float64(runtime.NumCPU()), max(0, l.Other.Seconds()/l.Wall.Seconds()))
}

// Busy reports whether other programs kept more than MaxOtherCores busy.
func (l Load) Busy() bool { return l.Known && l.Cores() > MaxOtherCores }

// Add returns the load over both l's and m's time.
func (l Load) Add(m Load) Load {
	if !m.Known {
		return l
	}
	if !l.Known {
		return m
	}
	return Load{Other: l.Other + m.Other, Wall: l.Wall + m.Wall, Known: true}
}

// String says how busy other programs kept the machine: "other programs
// kept 1.32 of 2 cores busy".
func (l Load) String() string {
	if !l.Known {
		return "the load of other programs is unknown here"
	}
	return fmt.Sprintf("other programs kept %.2f of %d cores busy", l.Cores(), runtime.NumCPU())
}

// A Meter measures the load of other programs from Start to Stop.
type Meter struct {
	clock     clock
	start     time.Time
	busy, own time.Duration
	ok        bool
}

// clock is where a Meter reads the time, the machine's busy time and this
// process tree's: the system's, or a test's.
type clock struct {
	now  func() time.Time
	busy func() (time.Duration, bool)
	own  func() time.Duration
}

var system = clock{now: time.Now, busy: machineBusy, own: ownCPU}

// Start starts measuring.
func Start() *Meter { return startWith(system) }

func startWith(c clock) *Meter {
	m := &Meter{clock: c, start: c.now()}
	m.busy, m.ok = c.busy()
	m.own = c.own()
	return m
}

// Stop returns the load since Start. Children of this process count as
// its own once they have been waited for: stop the meter after waiting.
func (m *Meter) Stop() Load {
	wall := m.clock.now().Sub(m.start)
	busy, ok := m.clock.busy()
	if !ok || !m.ok {
		return Load{}
	}
	other := (busy - m.busy) - (m.clock.own() - m.own)
	return Load{Other: max(0, other), Wall: wall, Known: true}
}

// userHZ is the unit of /proc/stat's times: USER_HZ, 100 on every Linux
// architecture Go supports.
const userHZ = 100

// machineBusy returns the CPU time the whole machine has spent busy since
// boot, read from /proc/stat.
func machineBusy() (time.Duration, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return parseProcStat(f)
}

// parseProcStat reads the busy time of the "cpu" line of /proc/stat:
// user, nice, system, irq, softirq and steal (guest time is inside user),
// leaving out idle and iowait.
func parseProcStat(r io.Reader) (time.Duration, bool) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 9 || f[0] != "cpu" {
			continue
		}
		var ticks uint64
		for _, i := range []int{1, 2, 3, 6, 7, 8} { // user nice system _ _ irq softirq steal
			v, err := strconv.ParseUint(f[i], 10, 64)
			if err != nil {
				return 0, false
			}
			ticks += v
		}
		return time.Duration(ticks) * time.Second / userHZ, true
	}
	return 0, false
}
