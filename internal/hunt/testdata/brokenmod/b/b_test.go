package b

import "testing"

func TestF(t *testing.T) { F() }
