//go:build kr_legacy || kr_v14 || kr_v16plus

// Empty assembly file: lets the Go compiler accept the body-less go:linkname declarations in
// validate_legacy.go (controllers/ray.validateRayJobSpec) and validate_v14plus.go
// (controllers/ray.setDefaults).
