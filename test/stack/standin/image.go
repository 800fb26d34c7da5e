package main

import (
	"fmt"
	"net"
	"strings"

	"github.com/distribution/reference"
	corev1 "k8s.io/api/core/v1"
)

// Images are never pulled: every image counts as present on the node, except these, decided by
// the image reference alone (test/stack/README.md, "Pod faults"):
//   - a reference that does not parse (e.g. upper case in the repository, "Ray:Latest"):
//     InvalidImageName, with the kubelet's message (it parses with github.com/distribution/reference,
//     as the kubelet does);
//   - a registry host ending in ".invalid" (RFC 2606: never resolves) is absent and its pull fails,
//     with the message containerd 2.x gives through the CRI, chosen by the host's first label:
//     "private"      -> pull access denied ... insufficient_scope: authorization failed
//     "unauthorized" -> ... unexpected status from HEAD request to ...: 401 Unauthorized
//     "unreachable"  -> ... dial tcp: lookup <host>: no such host
//     anything else  -> ... <ref>: not found (the registry answers 404 for the manifest)

type imageVerdict int

const (
	imagePresent imageVerdict = iota
	imageInvalid              // InvalidImageName
	imageAbsent               // must be pulled, and the pull fails
)

type imageCheck struct {
	verdict imageVerdict
	msg     string // InvalidImageName: the status message; imageAbsent: the CRI pull error
}

func checkImage(image string) imageCheck {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		// images.applyDefaultImageTag -> parsers.ParseImageName
		return imageCheck{imageInvalid, fmt.Sprintf("Failed to apply default image tag %q: couldn't parse image name %q: %v", image, image, err)}
	}
	domain := reference.Domain(named)
	host := domain
	if h, _, err := net.SplitHostPort(domain); err == nil {
		host = h
	}
	if !strings.HasSuffix(host, ".invalid") {
		return imageCheck{verdict: imagePresent}
	}
	// what containerd's CRI plugin resolves: the normalized reference with the default tag
	ref := reference.TagNameOnly(named).String()
	object := "latest"
	if d, ok := named.(reference.Digested); ok {
		object = d.Digest().String()
	} else if t, ok := reference.TagNameOnly(named).(reference.Tagged); ok {
		object = t.Tag()
	}
	manifestURL := fmt.Sprintf("https://%s/v2/%s/manifests/%s", domain, reference.Path(named), object)
	var code, detail string
	switch strings.SplitN(host, ".", 2)[0] {
	case "private":
		code, detail = "Unknown", "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
	case "unauthorized":
		code, detail = "Unknown", fmt.Sprintf("unexpected status from HEAD request to %s: 401 Unauthorized", manifestURL)
	case "unreachable":
		code, detail = "Unknown", fmt.Sprintf("failed to do request: Head %q: dial tcp: lookup %s: no such host", manifestURL, host)
	default:
		code, detail = "NotFound", ref+": not found"
	}
	return imageCheck{imageAbsent, fmt.Sprintf("rpc error: code = %s desc = failed to pull and unpack image %q: failed to resolve reference %q: %s", code, ref, ref, detail)}
}

// pullPolicy is the container's imagePullPolicy (defaulted by the API server; IfNotPresent if not).
func pullPolicy(c *corev1.Container) corev1.PullPolicy {
	if c.ImagePullPolicy == "" {
		return corev1.PullIfNotPresent
	}
	return c.ImagePullPolicy
}
