package main

import (
	"context"
	"log"
	"os"
	"runtime"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// registerNode creates (or, after a restart of the stand-in, updates) the one Node, as a kubelet
// registers itself: Ready, capacity = allocatable, InternalIP = the host-side veth address and the
// port of the kubelet API, which the API server uses for pods/log. The API server's
// TaintNodesByCondition admission taints a new Node node.kubernetes.io/not-ready:NoSchedule; the
// node lifecycle controller (not run here) lifts it once the Node reports Ready, so the stand-in
// does that itself.
func (s *standin) registerNode(ctx context.Context) error {
	nodes := s.cs.CoreV1().Nodes()
	want := s.nodeObject()
	_, err := nodes.Get(ctx, s.nodeName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = nodes.Create(ctx, want, metav1.CreateOptions{FieldManager: managedBy})
		if err != nil {
			return err
		}
		log.Printf("node %s registered", s.nodeName)
	} else if err != nil {
		return err
	}
	if err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := nodes.Get(ctx, s.nodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		if n.Labels == nil {
			n.Labels = map[string]string{}
		}
		for k, v := range want.Labels {
			n.Labels[k] = v
		}
		var taints []corev1.Taint
		for _, t := range n.Spec.Taints {
			if t.Key != corev1.TaintNodeNotReady && t.Key != corev1.TaintNodeUnreachable {
				taints = append(taints, t)
			}
		}
		n.Spec.Taints = taints
		_, err = nodes.Update(ctx, n, metav1.UpdateOptions{FieldManager: managedBy})
		return err
	}); err != nil {
		return err
	}
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := nodes.Get(ctx, s.nodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		n.Status = want.Status
		_, err = nodes.UpdateStatus(ctx, n, metav1.UpdateOptions{FieldManager: managedBy})
		return err
	})
}

func (s *standin) nodeObject() *corev1.Node {
	now := metav1.Now()
	kernel := "unknown"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	cond := func(t corev1.NodeConditionType, st corev1.ConditionStatus, reason, msg string) corev1.NodeCondition {
		return corev1.NodeCondition{Type: t, Status: st, Reason: reason, Message: msg, LastHeartbeatTime: now, LastTransitionTime: now}
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: s.nodeName,
			Labels: map[string]string{
				"kubernetes.io/hostname":  s.nodeName,
				"kubernetes.io/os":        runtime.GOOS,
				"kubernetes.io/arch":      runtime.GOARCH,
				"beta.kubernetes.io/os":   runtime.GOOS,
				"beta.kubernetes.io/arch": runtime.GOARCH,
			},
		},
		Status: corev1.NodeStatus{
			Capacity:    s.nodeCapacity.DeepCopy(),
			Allocatable: s.nodeCapacity.DeepCopy(),
			Phase:       corev1.NodeRunning,
			Conditions: []corev1.NodeCondition{
				cond(corev1.NodeMemoryPressure, corev1.ConditionFalse, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
				cond(corev1.NodeDiskPressure, corev1.ConditionFalse, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
				cond(corev1.NodePIDPressure, corev1.ConditionFalse, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
				cond(corev1.NodeReady, corev1.ConditionTrue, "KubeletReady", "kubelet is posting ready status"),
			},
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: s.hostIP},
				{Type: corev1.NodeHostName, Address: s.nodeName},
			},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: int32(s.kubeletPort)}},
			NodeInfo: corev1.NodeSystemInfo{
				KubeletVersion:          s.kubeletVersion,
				OperatingSystem:         runtime.GOOS,
				Architecture:            runtime.GOARCH,
				KernelVersion:           kernel,
				OSImage:                 "rayjob-action test stack (stand-in kubelet)",
				ContainerRuntimeVersion: "standin://" + s.kubeletVersion,
			},
		},
	}
}
