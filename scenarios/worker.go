package scenarios

// ServeIfWorker turns the current process into a process-pool worker when
// it was started as one, and returns otherwise. Call it first thing in main
// and in every TestMain of a package whose tests run the process-pool
// scenario: the pool re-executes its own binary to get its workers, as the
// standard library's os/exec tests do.
//
// Placeholder until the process-pool scenario lands.
func ServeIfWorker() {}
