//go:build kr_legacy

// Empty assembly file: lets the Go compiler accept the body-less
// go:linkname declaration in validate_legacy.go.
