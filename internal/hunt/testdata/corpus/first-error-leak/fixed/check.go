// Package check is the fixed twin of a hunt corpus kernel (senders stranded
// after the first error, moby#4395): errc has room for every result, so no
// sender blocks after CheckAll returns.
package check

// CheckAll runs every check concurrently and returns the first error, or nil
// if all pass.
func CheckAll(checks []func() error) error {
	errc := make(chan error, len(checks))
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
