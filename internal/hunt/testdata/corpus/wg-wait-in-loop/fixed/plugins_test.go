package plugins

import "testing"

func TestInitRestoresAll(t *testing.T) {
	a, b := &Plugin{Name: "a"}, &Plugin{Name: "b"}
	New(a, b).Init()
	if !a.restored || !b.restored {
		t.Errorf("restored a=%v b=%v, want both", a.restored, b.restored)
	}
}
