package scenarios_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/conclab/conclab/scenarios"
)

func TestMain(m *testing.M) {
	scenarios.ServeFaultyWorkerIfAsked()
	scenarios.ServeIfWorker()
	goleak.VerifyTestMain(m)
}
