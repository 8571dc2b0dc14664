package kernels_test

import (
	"testing"

	"github.com/conclab/conclab/internal/hunt/instrument/testdata/kernels"
)

func TestExternalLeak(t *testing.T) {
	var c kernels.Counter
	go func() {
		c.Inc()
		select {}
	}()
}

func TestExternalClean(t *testing.T) {
	var c kernels.Counter
	c.Inc()
}
