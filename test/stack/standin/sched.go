package main

import (
	"context"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	resourcehelper "k8s.io/component-helpers/resource"
	schedcorev1 "k8s.io/component-helpers/scheduling/corev1"
	"k8s.io/component-helpers/scheduling/corev1/nodeaffinity"
	"k8s.io/klog/v2"
)

// The scheduler part: kube-scheduler 1.36's default profile reduced to what can fail on a
// one-node cluster without volumes. Filters run in the scheduler's order and stop at the first one
// that fails (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit); the messages are
// the scheduler's (framework.FitError.Error() plus the DefaultPreemption PostFilter's).

type schedState struct {
	mu      sync.Mutex
	assumed map[types.UID]*corev1.Pod // bound by us, not yet seen bound in the informer
	unsched map[types.UID]int64       // Pods that did not fit: generation at the failed attempt
}

const (
	reasonNodeUnschedulable = "node(s) were unschedulable"
	reasonUntoleratedTaint  = "node(s) had untolerated taint(s)"
	reasonNodeAffinity      = "node(s) didn't match Pod's node affinity/selector"
)

// schedulePod binds pod to the node if it fits, or records why not, like kube-scheduler.
func (s *standin) schedulePod(ctx context.Context, pod *corev1.Pod) error {
	s.sched.mu.Lock()
	defer s.sched.mu.Unlock()
	if gen, ok := s.sched.unsched[pod.UID]; ok && gen == pod.Generation {
		return nil // waits for a cluster event (a Pod on the node gone, node change) or the periodic flush
	}
	if len(pod.Spec.SchedulingGates) > 0 {
		s.sched.unsched[pod.UID] = pod.Generation
		return s.setPodScheduled(ctx, pod, corev1.PodReasonSchedulingGated, "Scheduling is blocked due to non-empty scheduling gates")
	}
	node, err := s.nodes.Get(s.nodeName)
	if apierrors.IsNotFound(err) {
		msg := "no nodes available to schedule pods"
		s.schedRec.Eventf(pod, nil, corev1.EventTypeWarning, "FailedScheduling", "Scheduling", "%s", msg)
		s.sched.unsched[pod.UID] = pod.Generation
		return s.setPodScheduled(ctx, pod, corev1.PodReasonUnschedulable, msg)
	}
	if err != nil {
		return err
	}
	used, count := s.nodeUsage(pod.UID, nil)
	reasons, unresolvable := s.filter(pod, node, used, count)
	if len(reasons) == 0 {
		err := s.cs.CoreV1().Pods(pod.Namespace).Bind(ctx, &corev1.Binding{
			ObjectMeta: metav1.ObjectMeta{Namespace: pod.Namespace, Name: pod.Name, UID: pod.UID},
			Target:     corev1.ObjectReference{Kind: "Node", Name: s.nodeName},
		}, metav1.CreateOptions{})
		if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
			return nil // gone, or bound meanwhile
		}
		if err != nil {
			return fmt.Errorf("bind %s/%s to %s: %w", pod.Namespace, pod.Name, s.nodeName, err)
		}
		bound := pod.DeepCopy()
		bound.Spec.NodeName = s.nodeName
		s.sched.assumed[pod.UID] = bound
		delete(s.sched.unsched, pod.UID)
		s.schedRec.Eventf(pod, nil, corev1.EventTypeNormal, "Scheduled", "Binding", "Successfully assigned %v/%v to %v", pod.Namespace, pod.Name, s.nodeName)
		log.Printf("pod %s/%s: bound to %s", pod.Namespace, pod.Name, s.nodeName)
		return nil
	}
	msg := s.fitError(pod, node, reasons, unresolvable)
	log.Printf("pod %s/%s: unschedulable: %s", pod.Namespace, pod.Name, msg)
	s.schedRec.Eventf(pod, nil, corev1.EventTypeWarning, "FailedScheduling", "Scheduling", "%s", msg)
	s.sched.unsched[pod.UID] = pod.Generation
	return s.setPodScheduled(ctx, pod, corev1.PodReasonUnschedulable, msg)
}

// setPodScheduled writes PodScheduled=False with reason and message (if not already so).
func (s *standin) setPodScheduled(ctx context.Context, pod *corev1.Pod, reason, msg string) error {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Reason == reason && c.Message == msg {
			return nil
		}
	}
	err := s.updateStatus(ctx, pod, func(st *corev1.PodStatus, _ *corev1.Pod) {
		setCondition(st, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: reason, Message: msg})
	})
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// requeueUnschedulable lets every Pod that did not fit try again (kube-scheduler moves them back
// to its active queue on cluster events that may make them fit).
func (s *standin) requeueUnschedulable(why string) {
	s.sched.mu.Lock()
	if len(s.sched.unsched) == 0 {
		s.sched.mu.Unlock()
		return
	}
	uids := s.sched.unsched
	s.sched.unsched = map[types.UID]int64{}
	s.sched.mu.Unlock()
	pods, _ := s.pods.List(labels.Everything())
	n := 0
	for _, p := range pods {
		if _, ok := uids[p.UID]; ok && p.Spec.NodeName == "" {
			s.queue.Add(podKey(p))
			n++
		}
	}
	if n > 0 {
		log.Printf("scheduler: %d unschedulable pod(s) queued again (%s)", n, why)
	}
}

// nodeUsage sums the requests of the Pods on the node that hold resources (not terminal), except
// exclude and the Pods in skip (preemption victims), and counts them.
func (s *standin) nodeUsage(exclude types.UID, skip map[types.UID]bool) (corev1.ResourceList, int) {
	used := corev1.ResourceList{}
	count := 0
	seen := map[types.UID]bool{}
	add := func(p *corev1.Pod) {
		if p.UID == exclude || skip[p.UID] || seen[p.UID] {
			return
		}
		seen[p.UID] = true
		count++
		for name, q := range resourcehelper.PodRequests(p, resourcehelper.PodResourcesOptions{}) {
			cur := used[name]
			cur.Add(q)
			used[name] = cur
		}
	}
	pods, _ := s.pods.List(labels.Everything())
	for _, p := range pods {
		if p.Spec.NodeName == s.nodeName && !isTerminal(p) {
			add(p)
		}
	}
	for uid, p := range s.sched.assumed {
		cur, err := s.pods.Pods(p.Namespace).Get(p.Name)
		if err != nil || cur.UID != uid || cur.Spec.NodeName != "" {
			delete(s.sched.assumed, uid) // the informer caught up (or the Pod is gone)
			continue
		}
		add(p)
	}
	return used, count
}

// filter runs the scheduler's filters that can fail here, in its order, and stops at the first
// failure: the reasons and whether preemption cannot help (UnschedulableAndUnresolvable).
func (s *standin) filter(pod *corev1.Pod, node *corev1.Node, used corev1.ResourceList, count int) ([]string, bool) {
	logger := klog.Background()
	// NodeUnschedulable
	if node.Spec.Unschedulable && !schedcorev1.TolerationsTolerateTaint(logger, pod.Spec.Tolerations,
		&corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule}, false) {
		return []string{reasonNodeUnschedulable}, true
	}
	// TaintToleration
	if _, untolerated := schedcorev1.FindMatchingUntoleratedTaint(logger, node.Spec.Taints, pod.Spec.Tolerations, func(t *corev1.Taint) bool {
		return t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute
	}, false); untolerated {
		return []string{reasonUntoleratedTaint}, true
	}
	// NodeAffinity (nodeSelector and required node affinity)
	if ok, _ := nodeaffinity.GetRequiredNodeAffinity(pod).Match(node); !ok {
		return []string{reasonNodeAffinity}, true
	}
	// NodeResourcesFit
	return fitsRequest(resourcehelper.PodRequests(pod, resourcehelper.PodResourcesOptions{}), node.Status.Allocatable, used, count)
}

// fitsRequest is NodeResourcesFit's check: reasons "Too many pods", "Insufficient <resource>";
// unresolvable when a request exceeds what the node has at all.
func fitsRequest(req, alloc, used corev1.ResourceList, count int) ([]string, bool) {
	var reasons []string
	unresolvable := false
	if allowed := alloc.Pods().Value(); int64(count+1) > allowed {
		reasons = append(reasons, "Too many pods")
	}
	check := func(name corev1.ResourceName, r, a, u int64) {
		if r > 0 && r > a-u {
			reasons = append(reasons, "Insufficient "+string(name))
			if r > a {
				unresolvable = true
			}
		}
	}
	milli := func(l corev1.ResourceList, n corev1.ResourceName) int64 { q := l[n]; return q.MilliValue() }
	val := func(l corev1.ResourceList, n corev1.ResourceName) int64 { q := l[n]; return q.Value() }
	check(corev1.ResourceCPU, milli(req, corev1.ResourceCPU), milli(alloc, corev1.ResourceCPU), milli(used, corev1.ResourceCPU))
	check(corev1.ResourceMemory, val(req, corev1.ResourceMemory), val(alloc, corev1.ResourceMemory), val(used, corev1.ResourceMemory))
	check(corev1.ResourceEphemeralStorage, val(req, corev1.ResourceEphemeralStorage), val(alloc, corev1.ResourceEphemeralStorage), val(used, corev1.ResourceEphemeralStorage))
	var scalars []string
	for name := range req {
		switch name {
		case corev1.ResourceCPU, corev1.ResourceMemory, corev1.ResourceEphemeralStorage, corev1.ResourcePods:
			continue
		}
		scalars = append(scalars, string(name))
	}
	sort.Strings(scalars)
	for _, n := range scalars {
		name := corev1.ResourceName(n)
		check(name, val(req, name), val(alloc, name), val(used, name))
	}
	return reasons, unresolvable
}

// fitError is framework.FitError.Error() for one node, with the DefaultPreemption PostFilter's
// message: preemption cannot help an unresolvable failure; otherwise its dry run looks for
// lower-priority Pods on the node whose removal would make room (the stand-in never evicts them).
func (s *standin) fitError(pod *corev1.Pod, node *corev1.Node, reasons []string, unresolvable bool) string {
	msg := "0/1 nodes are available: " + histogram(reasons) + "."
	var post string
	switch {
	case pod.Spec.PreemptionPolicy != nil && *pod.Spec.PreemptionPolicy == corev1.PreemptNever:
		post = "preemption: not eligible due to preemptionPolicy=Never."
	case unresolvable:
		post = "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
	default:
		prio := schedcorev1.PodPriority(pod)
		victims := map[types.UID]bool{}
		pods, _ := s.pods.List(labels.Everything())
		for _, p := range pods {
			if p.Spec.NodeName == s.nodeName && !isTerminal(p) && schedcorev1.PodPriority(p) < prio {
				victims[p.UID] = true
			}
		}
		if len(victims) == 0 {
			post = "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
			break
		}
		used, count := s.nodeUsage(pod.UID, victims)
		if r, _ := fitsRequest(resourcehelper.PodRequests(pod, resourcehelper.PodResourcesOptions{}), node.Status.Allocatable, used, count); len(r) > 0 {
			post = "preemption: 0/1 nodes are available: " + histogram(r) + "."
		} else {
			log.Printf("pod %s/%s: kube-scheduler would preempt %d lower-priority pod(s); the stand-in does not", pod.Namespace, pod.Name, len(victims))
			post = "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
		}
	}
	return msg + " " + post
}

// histogram: "1 <reason>" per reason (one node), sorted, joined as the scheduler does.
func histogram(reasons []string) string {
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		out = append(out, "1 "+r)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// setCondition sets a pod condition, keeping its lastTransitionTime unless the status changes.
func setCondition(st *corev1.PodStatus, c corev1.PodCondition) {
	now := metav1.Now()
	for i := range st.Conditions {
		if st.Conditions[i].Type != c.Type {
			continue
		}
		if st.Conditions[i].Status != c.Status || st.Conditions[i].LastTransitionTime.IsZero() {
			st.Conditions[i].LastTransitionTime = now
		}
		st.Conditions[i].Status, st.Conditions[i].Reason, st.Conditions[i].Message = c.Status, c.Reason, c.Message
		return
	}
	c.LastTransitionTime = now
	st.Conditions = append(st.Conditions, c)
}
