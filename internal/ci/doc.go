// Package ci keeps the CI workflow (.github/workflows/ci.yml) and `make ci`
// in step: its test fails when a step runs a command that `make ci` does
// not, or in another order, so that a red CI always reproduces locally with
// one command.
package ci
