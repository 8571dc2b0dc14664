package pprofkit

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Machine is the set of facts about the computer a recording was made on
// that the report prints.
type Machine struct {
	// CPU is the processor's model name, or GOARCH where it is unknown.
	CPU string `json:"cpu"`
	// Cores is runtime.NumCPU(): the logical CPUs the process could use.
	Cores int `json:"cores"`
	// Go is the version of the Go toolchain that built the recorder.
	Go string `json:"go"`
	// OS and Arch are GOOS and GOARCH.
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// ThisMachine returns the facts of the machine the program runs on.
func ThisMachine() Machine {
	return Machine{
		CPU:   cpuModel(),
		Cores: runtime.NumCPU(),
		Go:    runtime.Version(),
		OS:    runtime.GOOS,
		Arch:  runtime.GOARCH,
	}
}

// Label is a short name for the machine: "2 × Intel(R) Xeon(R) ...".
func (m Machine) Label() string {
	return fmt.Sprintf("%d × %s", m.Cores, m.CPU)
}

// LoadAverage returns the one-minute load average from /proc/loadavg, or 0
// where there is none: how many threads wanted a core, on average, just
// before a recording.
func LoadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return v
}

// cpuModel reads the model name from /proc/cpuinfo on Linux.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return runtime.GOARCH
}
