package hunt

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTrimStack(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{
			"infrastructure frames go, the user's stay",
			"goroutine 7 [chan send]:\nexample.com/m.Send(...)\n\t/src/m/m.go:3\ntesting.tRunner(...)\n\t/go/src/testing/testing.go:1934",
			"goroutine 7 [chan send]:\nexample.com/m.Send(...)\n\t/src/m/m.go:3",
		},
		{
			"an ancestor with a user frame keeps its header",
			"goroutine 8 [chan receive]:\nexample.com/m.Recv(...)\n\t/src/m/m.go:9\n[originating from goroutine 7]:\nexample.com/m.TestRecv(...)\n\t/src/m/m_test.go:5",
			"goroutine 8 [chan receive]:\nexample.com/m.Recv(...)\n\t/src/m/m.go:9\n[originating from goroutine 7]:\nexample.com/m.TestRecv(...)\n\t/src/m/m_test.go:5",
		},
		{
			"an ancestor left with no frame loses its header",
			"goroutine 8 [chan receive]:\nexample.com/m.Recv(...)\n\t/src/m/m.go:9\n[originating from goroutine 1]:\ntesting.(*T).Run(...)\n\t/go/src/testing/testing.go:2000\nmain.main(...)\n\t_testmain.go:45\n[originating from goroutine 7]:\nexample.com/m.TestRecv(...)\n\t/src/m/m_test.go:5\n[originating from goroutine 1]:\ntesting.tRunner(...)\n\t/go/src/testing/testing.go:1934",
			"goroutine 8 [chan receive]:\nexample.com/m.Recv(...)\n\t/src/m/m.go:9\n[originating from goroutine 7]:\nexample.com/m.TestRecv(...)\n\t/src/m/m_test.go:5",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, trimStack(tc.in))
		})
	}
}
