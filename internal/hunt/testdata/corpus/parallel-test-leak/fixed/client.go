// Package pubsub is the fixed twin of a hunt corpus kernel (goroutine leaked by
// a t.Parallel subtest): Subscribe validates the topic before it starts the
// listener.
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
	if topic == "" {
		return nil, ErrBadTopic
	}
	c := &Client{topic: topic, events: make(chan string), done: make(chan struct{})}
	go c.listen()
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
