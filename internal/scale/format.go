package scale

import (
	"fmt"
	"math"

	"github.com/conclab/conclab/internal/pprofkit"
)

// pct prints a fraction as a whole percentage: "41 %".
func pct(f float64) string {
	return fmt.Sprintf("%.0f %%", 100*f)
}

// num prints a count with up to three significant digits.
func num(f float64) string {
	if f == math.Trunc(f) && f < 1e6 {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.3g", f)
}

// bytesSize prints a byte count: "512 B", "1.2 kB", "3.4 MB".
func bytesSize(b float64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.3g GB", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.3g MB", b/1e6)
	case b >= 1e3:
		return fmt.Sprintf("%.3g kB", b/1e3)
	}
	return fmt.Sprintf("%.0f B", b)
}

// seconds prints a duration in seconds with three significant digits.
func seconds(s float64) string {
	v, unit := pprofkit.SecondsIn(s)
	return fmt.Sprintf("%.3g %s", v, unit)
}

// shortFunc drops a function's import path, keeping its package.
func shortFunc(name string) string {
	if name == "" {
		return "-"
	}
	return pprofkit.ShortName(name)
}
