// Package pubsub is a hunt corpus kernel: a goroutine leaked by one of several
// t.Parallel subtests.
//
// Subscribe starts the client's listener before it validates the topic and
// returns the error without stopping it. Only the "empty topic" case leaks;
// the other subtests run in parallel with it and clean up, so a leak checker
// must attribute the goroutine to the right test while others are still
// running.
package pubsub

import "errors"

// ErrBadTopic is returned for an empty topic.
var ErrBadTopic = errors.New("pubsub: empty topic")

// Client receives the events of one topic.
type Client struct {
	topic  string
	events chan string
	done   chan struct{}
	got    int
}

// Subscribe returns a client listening on topic.
func Subscribe(topic string) (*Client, error) {
	c := &Client{topic: topic, events: make(chan string), done: make(chan struct{})}
	go c.listen()
	if topic == "" {
		return nil, ErrBadTopic // bug: the listener started above is never stopped
	}
	return c, nil
}

func (c *Client) listen() {
	defer close(c.done)
	for range c.events {
		c.got++
	}
}

// Publish delivers one event to the client.
func (c *Client) Publish(ev string) { c.events <- ev }

// Close stops the listener and returns how many events it got.
func (c *Client) Close() int {
	close(c.events)
	<-c.done
	return c.got
}
