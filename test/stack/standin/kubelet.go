package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// The kubelet part: one pod worker per Pod bound to the node (podRun), one loop per container
// (init containers one after the other, then the others side by side), and a status writer that
// coalesces the containers' changes into pod status updates. Messages, reasons and events are the
// kubelet's (pkg/kubelet/images, kuberuntime, kubelet_pods.go, status/generate.go in 1.36).

const (
	// On a container that runs no process (the Ray container of a head Pod, worker Ray containers,
	// containers without a command): play a container that exits with this code (0-255).
	envExitCode = "RAYJOB_STANDIN_EXIT_CODE"
	// ...after running (Ready) this long (a Go duration, e.g. "20s"; default: at once).
	envExitAfter = "RAYJOB_STANDIN_EXIT_AFTER"
	// ...having written this to its log (default: one line naming the trigger).
	envExitLog = "RAYJOB_STANDIN_EXIT_LOG"
)

type ctrKind int

const (
	kindSim     ctrKind = iota // no process: Running until the Pod goes away (or the exit trigger)
	kindHead                   // Ray container of a head Pod: the real Ray head stands for it
	kindProcess                // has a command: run for real
)

type ctrState struct {
	idx       int
	init      bool
	spec      corev1.Container
	kind      ctrKind
	exitCode  *int          // RAYJOB_STANDIN_EXIT_CODE
	exitAfter time.Duration // RAYJOB_STANDIN_EXIT_AFTER
	exitLog   string        // RAYJOB_STANDIN_EXIT_LOG

	// guarded by podRun.mu
	st       corev1.ContainerStatus
	attempt  int // index of the current (or last) attempt = restartCount
	lastTerm *corev1.ContainerStateTerminated

	pullFailures     int
	pullBackoffUntil time.Time
}

type podRun struct {
	ns, name, uid string
	pod           *corev1.Pod // spec as bound
	nodeType      string
	ip, netns     string
	head          headSpec
	ctx           context.Context
	cancel        context.CancelFunc
	dirty         chan struct{}
	procs         sync.WaitGroup // live container processes
	writeMu       sync.Mutex     // one status write at a time

	mu          sync.Mutex
	pgids       []int
	done        bool // stopping: no new processes
	terminating bool
	init, ctrs  []*ctrState
	startTime   metav1.Time
}

func podDesc(p *corev1.Pod) string { return fmt.Sprintf("%s_%s(%s)", p.Name, p.Namespace, p.UID) }

func (s *standin) scaled(d time.Duration) time.Duration {
	return time.Duration(float64(d) * s.timeScale).Round(time.Millisecond)
}

// resync is how often the kubelet retries a Pod whose container cannot be created
// (InvalidImageName, ErrImageNeverPull, CreateContainerConfigError): its pod worker back-off, 10 s.
func (s *standin) resync() time.Duration {
	if d := s.scaled(10 * time.Second); d > time.Second {
		return d
	}
	return time.Second
}

// kubelet back-off (image pulls, container restarts): 10 s doubling up to 300 s, scaled.
func (s *standin) backoff(n int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < n && d < 300*time.Second; i++ {
		d *= 2
	}
	if d > 300*time.Second {
		d = 300 * time.Second
	}
	return s.scaled(d)
}

const (
	syncDelay = time.Second            // the kubelet's next sync after a container exits
	pullTime  = 500 * time.Millisecond // Pulling -> the failed pull
	errHold   = 2 * time.Second        // ErrImagePull shown before ImagePullBackOff
)

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func containerID(uid, name string, attempt int) string {
	h := sha256.Sum256([]byte(uid + "/" + name + "/" + strconv.Itoa(attempt)))
	return "standin://" + hex.EncodeToString(h[:])
}

// attemptOf finds the attempt a container ID stands for.
func attemptOf(uid, name, id string, restartCount int32) (int, bool) {
	for a := 0; a <= int(restartCount)+1; a++ {
		if containerID(uid, name, a) == id {
			return a, true
		}
	}
	return 0, false
}

func (s *standin) criLogPath(ns, pod, uid, ctr string, attempt int) string {
	return filepath.Join(s.workDir, "pods", fmt.Sprintf("%s_%s_%s", ns, pod, uid), ctr, fmt.Sprintf("%d.log", attempt))
}

// ------------------------------------------------------------------------------------------
// Pod lifecycle

func (s *standin) syncPod(ctx context.Context, ns, name, uid string) error {
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) || (err == nil && string(pod.UID) != uid) {
		s.forgetRun(uid, "pod deleted")
		return nil
	}
	if err != nil {
		return err
	}
	if pod.Spec.NodeName == "" {
		if pod.DeletionTimestamp != nil || isTerminal(pod) {
			return nil
		}
		if pod.Spec.SchedulerName != "" && pod.Spec.SchedulerName != schedulerName {
			return nil // another scheduler's Pod: kube-scheduler leaves it alone
		}
		return s.schedulePod(ctx, pod)
	}
	if pod.Spec.NodeName != s.nodeName {
		return nil
	}
	if pod.DeletionTimestamp != nil {
		s.terminatePod(pod)
		return nil
	}
	if isTerminal(pod) {
		return nil
	}
	s.mu.Lock()
	_, have := s.runs[uid]
	s.mu.Unlock()
	if !have {
		s.startPod(pod)
	}
	return nil
}

func (s *standin) startPod(pod *corev1.Pod) {
	nodeType := pod.Labels[headLabelKey]
	isRay := nodeType == "head" || nodeType == "worker"
	ctx, cancel := context.WithCancel(context.Background())
	run := &podRun{
		ns: pod.Namespace, name: pod.Name, uid: string(pod.UID), pod: pod.DeepCopy(), nodeType: nodeType,
		ip: s.hostIP, ctx: ctx, cancel: cancel, dirty: make(chan struct{}, 1), startTime: metav1.Now(),
	}
	if isRay {
		run.head = s.headFor(pod)
		run.ip = run.head.ip
		if nodeType == "head" {
			run.netns = run.head.netns
		}
	}
	mk := func(i int, c corev1.Container, init bool) *ctrState {
		cs := &ctrState{idx: i, init: init, spec: c, kind: kindSim}
		switch {
		case init:
		case isRay && nodeType == "head" && i == 0:
			cs.kind = kindHead // the real Ray head stands for it
		case len(c.Command) > 0 && !isRay:
			cs.kind = kindProcess
		case len(c.Command) > 0 && nodeType == "head":
			cs.kind = kindProcess // e.g. the SidecarMode submitter, in the head's network namespace
		}
		if cs.kind != kindProcess && !init {
			for _, e := range c.Env {
				switch e.Name {
				case envExitCode:
					if n, err := strconv.Atoi(strings.TrimSpace(e.Value)); err == nil && n >= 0 && n <= 255 {
						cs.exitCode = &n
					} else {
						log.Printf("pod %s/%s container %s: ignoring %s=%q (want 0-255)", pod.Namespace, pod.Name, c.Name, envExitCode, e.Value)
					}
				case envExitAfter:
					if d, err := time.ParseDuration(strings.TrimSpace(e.Value)); err == nil {
						cs.exitAfter = d
					} else {
						log.Printf("pod %s/%s container %s: ignoring %s=%q (want a Go duration)", pod.Namespace, pod.Name, c.Name, envExitAfter, e.Value)
					}
				case envExitLog:
					cs.exitLog = e.Value
				}
			}
			if cs.exitCode != nil {
				cs.kind = kindSim
			}
		}
		waiting := "ContainerCreating"
		if init || len(pod.Spec.InitContainers) > 0 {
			waiting = "PodInitializing"
		}
		f := false
		cs.st = corev1.ContainerStatus{Name: c.Name, Image: c.Image, Started: &f,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting}}}
		return cs
	}
	for i, c := range pod.Spec.InitContainers {
		run.init = append(run.init, mk(i, c, true))
	}
	for i, c := range pod.Spec.Containers {
		run.ctrs = append(run.ctrs, mk(i, c, false))
	}
	// Started by an earlier stand-in (restarted since): take over the status it wrote.
	resume := pod.Status.PodIP != ""
	if resume {
		run.ip = pod.Status.PodIP
		if pod.Status.StartTime != nil {
			run.startTime = *pod.Status.StartTime
		}
		adopt := func(states []*ctrState, statuses []corev1.ContainerStatus) {
			for _, c := range states {
				for _, st := range statuses {
					if st.Name == c.spec.Name {
						c.st = *st.DeepCopy()
						c.attempt = int(st.RestartCount)
						c.lastTerm = st.LastTerminationState.Terminated
					}
				}
			}
		}
		adopt(run.init, pod.Status.InitContainerStatuses)
		adopt(run.ctrs, pod.Status.ContainerStatuses)
	}
	s.mu.Lock()
	s.runs[run.uid] = run
	s.mu.Unlock()
	log.Printf("pod %s/%s: starting on %s ip=%s (ray=%q%s%s)", run.ns, run.name, s.nodeName, run.ip, nodeType,
		map[bool]string{true: ", netns " + run.netns, false: ""}[run.netns != ""], map[bool]string{true: ", resumed", false: ""}[resume])
	go s.statusWriter(run)
	go s.podWorker(run, resume)
}

func (s *standin) podWorker(run *podRun, resume bool) {
	s.markDirty(run)
	for _, c := range run.init {
		if resume && c.st.State.Terminated != nil && c.st.State.Terminated.ExitCode == 0 {
			continue
		}
		if !s.initContainer(run, c) {
			return
		}
	}
	for _, c := range run.ctrs {
		if resume {
			switch t := c.st.State.Terminated; {
			case c.st.State.Running != nil:
				continue // running (a process an earlier stand-in ran is gone)
			case t != nil && !shouldRestart(run.pod, c, int(t.ExitCode)):
				continue // finished
			case t != nil: // exited, to be restarted: restart now
				c.lastTerm = t
				c.attempt++
			case c.lastTerm != nil: // in CrashLoopBackOff: restart now
				c.attempt++
			}
		}
		go s.containerLoop(run, c)
	}
	s.queue.Add("ns/" + run.ns) // the pod (with its IP) may now back services
}

// initContainer plays an init container: its image and env are checked like any container's, then
// it counts as completed at once (init container commands are not run).
func (s *standin) initContainer(run *podRun, c *ctrState) bool {
	if !s.ensureImage(run, c) {
		return false
	}
	if _, ok := s.ensureConfig(run, c); !ok {
		return false
	}
	cid := containerID(run.uid, c.spec.Name, c.attempt)
	s.event(run, c, corev1.EventTypeNormal, "Created", "Container created")
	s.event(run, c, corev1.EventTypeNormal, "Started", "Container started")
	now := metav1.Now()
	t := true
	s.update(run, c, func() {
		c.st.ContainerID, c.st.ImageID, c.st.Ready, c.st.Started = cid, c.spec.Image, true, &t
		c.st.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 0, Reason: "Completed", StartedAt: now, FinishedAt: now, ContainerID: cid}}
	})
	return true
}

// containerLoop plays one regular container: image, config, start, exit, restart with back-off.
func (s *standin) containerLoop(run *podRun, c *ctrState) {
	for {
		if !s.ensureImage(run, c) {
			return
		}
		env, ok := s.ensureConfig(run, c)
		if !ok {
			return
		}
		term := s.startAttempt(run, c, env)
		if term == nil || run.ctx.Err() != nil {
			return // stopped (the Pod is going away)
		}
		if !shouldRestart(run.pod, c, int(term.ExitCode)) {
			log.Printf("pod %s/%s container %s: exited %d (%s), not restarted (restartPolicy %s)", run.ns, run.name, c.spec.Name, term.ExitCode, term.Reason, run.pod.Spec.RestartPolicy)
			return
		}
		// the kubelet notices the exit on its next sync; the first exit restarts at once, later ones
		// wait out the crash back-off (10 s, 20 s, ... 300 s; scaled)
		if !sleepCtx(run.ctx, syncDelay) {
			return
		}
		if c.attempt > 0 {
			d := s.backoff(c.attempt)
			msg := fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", d, c.spec.Name, podDesc(run.pod))
			log.Printf("pod %s/%s container %s: exited %d, CrashLoopBackOff: %s", run.ns, run.name, c.spec.Name, term.ExitCode, msg)
			s.update(run, c, func() {
				c.st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: msg}}
				c.st.LastTerminationState = corev1.ContainerState{Terminated: term}
			})
			s.event(run, c, corev1.EventTypeWarning, "BackOff", "Back-off restarting failed container %s in pod %s", c.spec.Name, podDesc(run.pod))
			if !sleepCtx(run.ctx, d) {
				return
			}
		} else {
			log.Printf("pod %s/%s container %s: exited %d, restarting", run.ns, run.name, c.spec.Name, term.ExitCode)
		}
		run.mu.Lock()
		c.lastTerm = term
		c.attempt++
		run.mu.Unlock()
	}
}

// shouldRestart: the container's restartPolicy (sidecar-style per-container override) or the Pod's.
func shouldRestart(pod *corev1.Pod, c *ctrState, code int) bool {
	policy := pod.Spec.RestartPolicy
	if c.spec.RestartPolicy != nil {
		policy = corev1.RestartPolicy(*c.spec.RestartPolicy)
	}
	switch policy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return code != 0
	default:
		return true
	}
}

// ensureImage returns once the container's image is present (false if the Pod goes away first),
// playing the kubelet's image manager meanwhile.
func (s *standin) ensureImage(run *podRun, c *ctrState) bool {
	image := c.spec.Image
	chk := checkImage(image)
	policy := pullPolicy(&c.spec)
	switch {
	case chk.verdict == imageInvalid:
		for {
			s.setWaiting(run, c, "InvalidImageName", chk.msg)
			s.event(run, c, corev1.EventTypeWarning, "InspectFailed", "%s", chk.msg)
			s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", "InvalidImageName")
			if !sleepCtx(run.ctx, s.resync()) {
				return false
			}
		}
	case chk.verdict == imageAbsent && policy == corev1.PullNever:
		msg := fmt.Sprintf("Container image %q is not present with pull policy of Never", image)
		for {
			s.setWaiting(run, c, "ErrImageNeverPull", msg)
			s.event(run, c, corev1.EventTypeWarning, "ErrImageNeverPull", "%s", msg)
			s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", "ErrImageNeverPull")
			if !sleepCtx(run.ctx, s.resync()) {
				return false
			}
		}
	case chk.verdict == imageAbsent:
		for {
			if now := time.Now(); now.Before(c.pullBackoffUntil) {
				s.setWaiting(run, c, "ImagePullBackOff", fmt.Sprintf("Back-off pulling image %q: ErrImagePull: %s", image, chk.msg))
				s.event(run, c, corev1.EventTypeNormal, "BackOff", "Back-off pulling image %q", image)
				s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", "ImagePullBackOff")
				if !sleepCtx(run.ctx, c.pullBackoffUntil.Sub(now)) {
					return false
				}
			}
			s.event(run, c, corev1.EventTypeNormal, "Pulling", "Pulling image %q", image)
			if !sleepCtx(run.ctx, pullTime) {
				return false
			}
			s.event(run, c, corev1.EventTypeWarning, "Failed", "Failed to pull image %q: %v", image, chk.msg)
			s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", "ErrImagePull")
			s.setWaiting(run, c, "ErrImagePull", chk.msg)
			c.pullFailures++
			d := s.backoff(c.pullFailures)
			if d < errHold+time.Second {
				d = errHold + time.Second
			}
			c.pullBackoffUntil = time.Now().Add(d)
			log.Printf("pod %s/%s container %s: ErrImagePull (%d), back-off until +%s: %s", run.ns, run.name, c.spec.Name, c.pullFailures, d, chk.msg)
			if !sleepCtx(run.ctx, errHold) {
				return false
			}
		}
	case policy == corev1.PullAlways:
		s.event(run, c, corev1.EventTypeNormal, "Pulling", "Pulling image %q", image)
		t0 := time.Now()
		if !sleepCtx(run.ctx, 100*time.Millisecond) {
			return false
		}
		d := time.Since(t0).Truncate(time.Millisecond)
		s.event(run, c, corev1.EventTypeNormal, "Pulled", "Successfully pulled image %q in %v (%v including waiting). Image size: %v bytes.", image, d, d, 0)
	default:
		s.event(run, c, corev1.EventTypeNormal, "Pulled", "Container image %q already present on machine", image)
	}
	return run.ctx.Err() == nil
}

// ensureConfig resolves the container's environment; while that fails the container waits with
// CreateContainerConfigError and the kubelet retries.
func (s *standin) ensureConfig(run *podRun, c *ctrState) ([]string, bool) {
	for {
		pod := run.pod.DeepCopy()
		pod.Spec.NodeName = s.nodeName
		pod.Status.PodIP, pod.Status.PodIPs = run.ip, []corev1.PodIP{{IP: run.ip}}
		pod.Status.HostIP = s.hostIP
		env, err := s.resolveEnv(run.ctx, pod, &c.spec)
		if err == nil {
			return env, true
		}
		if run.ctx.Err() != nil {
			return nil, false
		}
		msg := err.Error()
		s.setWaiting(run, c, "CreateContainerConfigError", msg)
		s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", msg)
		log.Printf("pod %s/%s container %s: CreateContainerConfigError: %s", run.ns, run.name, c.spec.Name, msg)
		if !sleepCtx(run.ctx, s.resync()) {
			return nil, false
		}
	}
}

// startAttempt starts attempt c.attempt of the container and blocks until it exits; nil if the
// Pod goes away first (its stopper records the end).
func (s *standin) startAttempt(run *podRun, c *ctrState, env []string) *corev1.ContainerStateTerminated {
	cid := containerID(run.uid, c.spec.Name, c.attempt)
	s.event(run, c, corev1.EventTypeNormal, "Created", "Container created")
	if c.kind == kindProcess {
		return s.runProcess(run, c, env, cid)
	}
	started := metav1.Now()
	logPath := s.criLogPath(run.ns, run.name, run.uid, c.spec.Name, c.attempt)
	if c.kind == kindSim {
		_ = os.MkdirAll(filepath.Dir(logPath), 0o755)
		_ = os.WriteFile(logPath, nil, 0o644)
	}
	s.event(run, c, corev1.EventTypeNormal, "Started", "Container started")
	s.setRunning(run, c, cid, started)
	if c.exitCode == nil {
		<-run.ctx.Done()
		return nil
	}
	if !sleepCtx(run.ctx, c.exitAfter) {
		return nil
	}
	text := c.exitLog
	if text == "" {
		text = fmt.Sprintf("rayjob-stack stand-in: container %s exits with code %d (%s)", c.spec.Name, *c.exitCode, envExitCode)
	}
	if err := writeCRILines(logPath, "stderr", strings.Split(strings.TrimRight(text, "\n"), "\n")); err != nil {
		log.Printf("pod %s/%s container %s: write log: %v", run.ns, run.name, c.spec.Name, err)
	}
	term := &corev1.ContainerStateTerminated{ExitCode: int32(*c.exitCode), Reason: exitReason(*c.exitCode),
		StartedAt: started, FinishedAt: metav1.Now(), ContainerID: cid}
	s.setTerminated(run, c, term)
	return term
}

func exitReason(code int) string {
	if code == 0 {
		return "Completed"
	}
	return "Error"
}

// ------------------------------------------------------------------------------------------
// Container state changes (all under run.mu) and events

// update changes a container's state; the status writer runs only if it changed (the kubelet
// retrying a failing container every few seconds does not rewrite an unchanged status).
func (s *standin) update(run *podRun, c *ctrState, f func()) {
	run.mu.Lock()
	before := c.st.DeepCopy()
	f()
	changed := !equalJSON(before, &c.st)
	run.mu.Unlock()
	if changed {
		s.markDirty(run)
	}
}

func (s *standin) setWaiting(run *podRun, c *ctrState, reason, msg string) {
	s.update(run, c, func() {
		f := false
		c.st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}}
		c.st.Ready, c.st.Started = false, &f
		c.st.RestartCount = int32(c.attempt)
		if c.lastTerm != nil {
			c.st.LastTerminationState = corev1.ContainerState{Terminated: c.lastTerm}
		}
	})
}

func (s *standin) setRunning(run *podRun, c *ctrState, cid string, started metav1.Time) {
	s.update(run, c, func() {
		t := true
		c.st.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}}
		c.st.Ready, c.st.Started = true, &t
		c.st.ContainerID, c.st.ImageID = cid, c.spec.Image
		c.st.RestartCount = int32(c.attempt)
		c.st.LastTerminationState = corev1.ContainerState{}
		if c.lastTerm != nil {
			c.st.LastTerminationState.Terminated = c.lastTerm
		}
	})
}

func (s *standin) setTerminated(run *podRun, c *ctrState, term *corev1.ContainerStateTerminated) {
	s.update(run, c, func() {
		f := false
		c.st.State = corev1.ContainerState{Terminated: term}
		c.st.Ready, c.st.Started = false, &f
	})
}

// event records a container event as the kubelet does (involvedObject: the Pod with fieldPath
// spec.containers{name}; source kubelet, host = the node).
func (s *standin) event(run *podRun, c *ctrState, typ, reason, format string, args ...interface{}) {
	fp := fmt.Sprintf("spec.containers{%s}", c.spec.Name)
	if c.init {
		fp = fmt.Sprintf("spec.initContainers{%s}", c.spec.Name)
	}
	ref := &corev1.ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: run.ns, Name: run.name,
		UID: types.UID(run.uid), ResourceVersion: run.pod.ResourceVersion, FieldPath: fp}
	s.kubeletRec.Eventf(ref, typ, reason, format, args...)
}

// ------------------------------------------------------------------------------------------
// Pod status

func (s *standin) markDirty(run *podRun) {
	select {
	case run.dirty <- struct{}{}:
	default:
	}
}

// statusWriter writes the pod status after changes, at most every 100 ms (as the kubelet's status
// manager batches), until the Pod reaches a terminal phase or goes away.
func (s *standin) statusWriter(run *podRun) {
	for {
		select {
		case <-run.ctx.Done():
			return
		case <-run.dirty:
		}
		if !sleepCtx(run.ctx, 100*time.Millisecond) {
			return
		}
		terminal, err := s.flushStatus(run, false)
		if terminal {
			return
		}
		if err != nil { // e.g. the API server is down (fault tests): try again a bit later
			log.Printf("pod %s/%s: write status: %v (retrying)", run.ns, run.name, err)
			if !sleepCtx(run.ctx, 2*time.Second) {
				return
			}
			s.markDirty(run)
		}
	}
}

// flushStatus writes the pod status from the containers' states; true once the Pod is terminal
// (or gone). final: the Pod is being deleted and its containers were stopped.
func (s *standin) flushStatus(run *podRun, final bool) (bool, error) {
	run.writeMu.Lock()
	defer run.writeMu.Unlock()
	pod, err := s.pods.Pods(run.ns).Get(run.name)
	if err != nil || string(pod.UID) != run.uid {
		return true, nil
	}
	var phase corev1.PodPhase
	want := pod.DeepCopy()
	run.mu.Lock()
	phase = s.fillStatus(run, &want.Status, want, final)
	run.mu.Unlock()
	if equalJSON(want.Status, pod.Status) {
		return phase == corev1.PodSucceeded || phase == corev1.PodFailed, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = s.updateStatus(ctx, pod, func(st *corev1.PodStatus, p *corev1.Pod) {
		run.mu.Lock()
		defer run.mu.Unlock()
		phase = s.fillStatus(run, st, p, final)
	})
	if apierrors.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return phase == corev1.PodSucceeded || phase == corev1.PodFailed, nil
}

func (s *standin) fillStatus(run *podRun, st *corev1.PodStatus, p *corev1.Pod, final bool) corev1.PodPhase {
	st.HostIP, st.HostIPs = s.hostIP, []corev1.HostIP{{IP: s.hostIP}}
	st.PodIP, st.PodIPs = run.ip, []corev1.PodIP{{IP: run.ip}}
	if st.StartTime == nil {
		t := run.startTime
		st.StartTime = &t
	}
	st.InitContainerStatuses = nil
	for _, c := range run.init {
		st.InitContainerStatuses = append(st.InitContainerStatuses, *c.st.DeepCopy())
	}
	st.ContainerStatuses = nil
	for _, c := range run.ctrs {
		st.ContainerStatuses = append(st.ContainerStatuses, *c.st.DeepCopy())
	}
	phase := computePhase(run, p, final)
	if !final && (st.Phase == corev1.PodSucceeded || st.Phase == corev1.PodFailed) {
		phase = st.Phase // a terminal phase is never left
	}
	st.Phase = phase

	setCondition(st, corev1.PodCondition{Type: corev1.PodReadyToStartContainers, Status: corev1.ConditionStatus(map[bool]string{true: "False", false: "True"}[final])})
	var incomplete []string
	for _, c := range run.init {
		if t := c.st.State.Terminated; t == nil || t.ExitCode != 0 {
			incomplete = append(incomplete, c.spec.Name)
		}
	}
	switch {
	case len(incomplete) == 0:
		setCondition(st, corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionTrue})
	case phase == corev1.PodSucceeded || phase == corev1.PodFailed:
		setCondition(st, corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionFalse, Reason: "PodCompleted"})
	default:
		setCondition(st, corev1.PodCondition{Type: corev1.PodInitialized, Status: corev1.ConditionFalse,
			Reason: "ContainersNotInitialized", Message: fmt.Sprintf("containers with incomplete status: %s", incomplete)})
	}
	var ready corev1.PodCondition
	switch phase {
	case corev1.PodSucceeded:
		ready = corev1.PodCondition{Status: corev1.ConditionFalse, Reason: "PodCompleted"}
	case corev1.PodFailed:
		ready = corev1.PodCondition{Status: corev1.ConditionFalse, Reason: "PodFailed"}
	default:
		var unready []string
		for _, c := range run.ctrs {
			if !c.st.Ready {
				unready = append(unready, c.spec.Name)
			}
		}
		if len(unready) > 0 {
			ready = corev1.PodCondition{Status: corev1.ConditionFalse, Reason: "ContainersNotReady",
				Message: fmt.Sprintf("containers with unready status: %s", unready)}
		} else {
			ready = corev1.PodCondition{Status: corev1.ConditionTrue}
		}
	}
	ready.Type = corev1.ContainersReady
	setCondition(st, ready)
	ready.Type = corev1.PodReady
	setCondition(st, ready)
	return phase
}

// computePhase is the kubelet's getPhase for the states played here.
func computePhase(run *podRun, p *corev1.Pod, final bool) corev1.PodPhase {
	for _, c := range run.init {
		if t := c.st.State.Terminated; t == nil || t.ExitCode != 0 {
			if final || (t != nil && p.Spec.RestartPolicy == corev1.RestartPolicyNever) {
				return corev1.PodFailed
			}
			return corev1.PodPending
		}
	}
	running, waiting, stopped, succeeded := 0, 0, 0, 0
	for _, c := range run.ctrs {
		switch {
		case c.st.State.Running != nil:
			running++
		case c.st.State.Terminated != nil:
			stopped++
			if c.st.State.Terminated.ExitCode == 0 {
				succeeded++
			}
		case c.st.State.Waiting != nil && c.st.LastTerminationState.Terminated != nil:
			stopped++
		default:
			waiting++
		}
	}
	if final { // the Pod is deleted: the kubelet ends it in a terminal phase
		if running == 0 && waiting == 0 && stopped > 0 && stopped == succeeded {
			return corev1.PodSucceeded
		}
		return corev1.PodFailed
	}
	switch {
	case waiting > 0:
		return corev1.PodPending
	case running > 0:
		return corev1.PodRunning
	case stopped > 0:
		allFinal := true
		for _, c := range run.ctrs {
			t := c.st.State.Terminated
			if t == nil || shouldRestart(p, c, int(t.ExitCode)) {
				allFinal = false
			}
		}
		if !allFinal {
			return corev1.PodRunning // restarting
		}
		if stopped == succeeded {
			return corev1.PodSucceeded
		}
		return corev1.PodFailed
	}
	return corev1.PodPending
}

// ------------------------------------------------------------------------------------------
// Deletion

// terminatePod plays the kubelet's part of a graceful deletion: stop the containers (SIGTERM,
// SIGKILL after the grace period, at most 5 s here), write the terminal status, then delete the
// Pod with grace period 0 (the API server keeps a bound Pod until its kubelet does that).
func (s *standin) terminatePod(pod *corev1.Pod) {
	s.mu.Lock()
	run := s.runs[string(pod.UID)]
	s.mu.Unlock()
	if run == nil {
		go s.deleteOrphan(pod.DeepCopy())
		return
	}
	run.mu.Lock()
	if run.terminating {
		run.mu.Unlock()
		return
	}
	run.terminating, run.done = true, true
	pgids := append([]int(nil), run.pgids...)
	run.mu.Unlock()
	go func() {
		run.cancel()
		for _, c := range run.ctrs {
			run.mu.Lock()
			r := c.st.State.Running != nil
			run.mu.Unlock()
			if r {
				s.event(run, c, corev1.EventTypeNormal, "Killing", "Stopping container %s", c.spec.Name)
			}
		}
		grace := 5 * time.Second
		if pod.DeletionGracePeriodSeconds != nil && time.Duration(*pod.DeletionGracePeriodSeconds)*time.Second < grace {
			grace = time.Duration(*pod.DeletionGracePeriodSeconds) * time.Second
		}
		for _, pg := range pgids {
			log.Printf("pod %s/%s: terminating, SIGTERM to process group %d", run.ns, run.name, pg)
			_ = syscall.Kill(-pg, syscall.SIGTERM)
		}
		if !waitGroupTimeout(&run.procs, grace) {
			for _, pg := range pgids {
				_ = syscall.Kill(-pg, syscall.SIGKILL)
			}
			waitGroupTimeout(&run.procs, 5*time.Second)
		}
		now := metav1.Now()
		run.mu.Lock()
		for _, c := range run.ctrs {
			if r := c.st.State.Running; r != nil {
				f := false
				c.st.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					ExitCode: 0, Reason: "Completed", StartedAt: r.StartedAt, FinishedAt: now, ContainerID: c.st.ContainerID}}
				c.st.Ready, c.st.Started = false, &f
			}
		}
		run.mu.Unlock()
		s.finishDeletion(run.ns, run.name, types.UID(run.uid), func() error {
			_, err := s.flushStatus(run, true)
			return err
		})
	}()
}

// finishDeletion writes the terminal status (writeStatus) and deletes the Pod, retrying (the API
// server may be down for a while in fault tests) until that worked or the Pod is gone.
func (s *standin) finishDeletion(ns, name string, uid types.UID, writeStatus func() error) {
	for wait := time.Second; ; wait = min(2*wait, 15*time.Second) {
		if p, err := s.pods.Pods(ns).Get(name); apierrors.IsNotFound(err) || (err == nil && p.UID != uid) {
			return
		}
		err := writeStatus()
		if err == nil {
			err = s.deletePod(ns, name, uid)
		}
		if err == nil {
			log.Printf("pod %s/%s: stopped and deleted", ns, name)
			return
		}
		log.Printf("pod %s/%s: finish deletion: %v (retrying in %s)", ns, name, err, wait)
		time.Sleep(wait)
	}
}

// deleteOrphan: a Pod on this node that no pod worker of this stand-in plays (terminal, or started
// by an earlier stand-in): make its phase terminal, then delete it.
func (s *standin) deleteOrphan(pod *corev1.Pod) {
	s.mu.Lock()
	if s.orphans[pod.UID] {
		s.mu.Unlock()
		return // already on it
	}
	s.orphans[pod.UID] = true
	s.mu.Unlock()
	defer func() { s.mu.Lock(); delete(s.orphans, pod.UID); s.mu.Unlock() }()
	s.finishDeletion(pod.Namespace, pod.Name, pod.UID, func() error {
		if isTerminal(pod) {
			return nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := s.updateStatus(ctx, pod, func(st *corev1.PodStatus, _ *corev1.Pod) {
			if st.Phase != corev1.PodSucceeded {
				st.Phase = corev1.PodFailed
			}
		})
		if apierrors.IsNotFound(err) {
			return nil
		}
		return err
	})
}

func (s *standin) deletePod(ns, name string, uid types.UID) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	zero := int64(0)
	err := s.cs.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero,
		Preconditions: &metav1.Preconditions{UID: &uid}})
	if err != nil && !apierrors.IsNotFound(err) && !apierrors.IsConflict(err) {
		return err
	}
	return nil
}

func waitGroupTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

// forgetRun drops the pod worker of a Pod that is gone, stopping whatever still runs.
func (s *standin) forgetRun(uid, why string) {
	s.mu.Lock()
	run := s.runs[uid]
	delete(s.runs, uid)
	s.mu.Unlock()
	if run == nil {
		return
	}
	run.cancel()
	run.mu.Lock()
	pgids := append([]int(nil), run.pgids...)
	run.done = true
	run.mu.Unlock()
	for _, pg := range pgids {
		log.Printf("pod %s/%s: %s, stopping process group %d", run.ns, run.name, why, pg)
		killGroup(pg)
	}
}

func (s *standin) killAll() {
	s.mu.Lock()
	uids := make([]string, 0, len(s.runs))
	for u := range s.runs {
		uids = append(uids, u)
	}
	s.mu.Unlock()
	for _, u := range uids {
		s.forgetRun(u, "stand-in exiting")
	}
}
