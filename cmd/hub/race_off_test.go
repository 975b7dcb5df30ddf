//go:build !race

package main

// raceEnabled tells tests that build the hub binary to build it with -race too.
const raceEnabled = false
