// Package check is a hunt corpus kernel: the caller returns on the first error
// and the other senders block forever on an unbuffered channel.
//
// It has the shape of moby#4395 (a goroutine sending its error on a channel
// that might never be drained), with several senders: CheckAll returns as soon
// as one check fails, and the remaining checks block sending their results.
package check

// CheckAll runs every check concurrently and returns the first error, or nil
// if all pass.
func CheckAll(checks []func() error) error {
	errc := make(chan error) // bug: unbuffered, senders outlive the caller
	for _, c := range checks {
		go func() { errc <- c() }()
	}
	for range checks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
