package stopper

import "testing"

// TestStopWithWorker stops a worker that tries one last task on its way out.
func TestStopWithWorker(t *testing.T) {
	s := New()
	s.RunWorker(func() {
		<-s.ShouldStop()
		s.StartTask()
	})
	s.Stop()
	if s.tasks != 0 {
		t.Errorf("tasks = %d, want 0 after Stop", s.tasks)
	}
}
