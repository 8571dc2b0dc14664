package pubsub

import (
	"errors"
	"testing"
)

func TestSubscribe(t *testing.T) {
	for _, tc := range []struct {
		name, topic string
		wantErr     error
	}{
		{"orders", "orders", nil},
		{"empty topic", "", ErrBadTopic},
		{"payments", "payments", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Subscribe(tc.topic)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Subscribe(%q) = %v, want %v", tc.topic, err, tc.wantErr)
			}
			if err != nil {
				return
			}
			c.Publish("e1")
			if n := c.Close(); n != 1 {
				t.Errorf("events = %d, want 1", n)
			}
		})
	}
}
