package mirror

import (
	"os"
	"testing"
)

// fixture stands for an expensive shared set-up (a temp repository).
var fixture string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mirror-test-")
	if err != nil {
		panic(err)
	}
	fixture = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestSyncAndStop(t *testing.T) {
	if fixture == "" {
		t.Fatal("TestMain did not run")
	}
	m := Start()
	m.Sync()
	m.Stop()
}
