// Command standin plays the kubelet and the endpoints/endpointslice controllers for the
// rayjob-action test stack (test/stack/up.sh). It is NOT a fake operator: the real KubeRay
// operator, kube-apiserver, kube-controller-manager and Ray head(s) do everything else.
//
// What it does (and nothing more):
//   - Pods: every pod (any namespace) that is not terminal and has no podIP yet is "started":
//     status Running/Ready with an IP, containerStatuses running, initContainerStatuses
//     terminated(0). KubeRay head pods get the IP of a real Ray head running in a network
//     namespace (10.77.0.2 by default; the token-auth head if the ray container has
//     RAY_AUTH_MODE=token); other pods get the host-side veth IP.
//   - Containers with a command: the stand-in RUNS the command (with its env, $(VAR) expansion,
//     valueFrom resolved) as a kubelet would, with the Ray venv's bin first on PATH, and reports
//     the exit in containerStatuses / phase. Containers of a KubeRay head pod (e.g. the
//     SidecarMode submitter) run inside that Ray head's network namespace, so 127.0.0.1:8265 is the
//     dashboard; other pods run in the host namespace. Every command runs under
//     `unshare --mount` with a private /etc/hosts that maps <svc>.<ns>.svc.<domain> (and
//     <svc>.<ns>.svc, <svc>.<ns>, and <svc> for the pod's own namespace) to the service's endpoint IP.
//     Containers without a command (e.g. the ray-head container itself) are only marked running.
//   - Services with a selector: Endpoints (with targetRef) and an EndpointSlice (label
//     kubernetes.io/service-name) listing the matching pods that have an IP, honouring
//     publishNotReadyAddresses, with ports resolved from targetPort (numbers or container port names).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/retry"
	"k8s.io/client-go/util/workqueue"
)

const (
	managedBy      = "rayjob-stack-standin"
	sliceSuffix    = "-standin"
	headLabelKey   = "ray.io/node-type"
	headOverrideLb = "rayjob-stack.test/ray-head" // optional pod label: name of the --head to use
)

type headSpec struct {
	name  string
	ip    string
	netns string
}

type headFlags []headSpec

func (h *headFlags) String() string { return fmt.Sprint(*h) }
func (h *headFlags) Set(v string) error {
	// name=ip@netns
	name, rest, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("--head wants name=ip@netns, got %q", v)
	}
	ip, ns, _ := strings.Cut(rest, "@")
	*h = append(*h, headSpec{name: name, ip: ip, netns: ns})
	return nil
}

type standin struct {
	cs          kubernetes.Interface
	pods        corelisters.PodLister
	svcs        corelisters.ServiceLister
	queue       workqueue.TypedRateLimitingInterface[string]
	heads       map[string]headSpec
	hostIP      string
	pathPrepend string
	workDir     string
	domain      string
	extraEnv    []string

	mu   sync.Mutex
	runs map[string]*podRun // by pod UID
}

type podRun struct {
	ns, name string
	uid      string
	mu       sync.Mutex
	pgids    []int
	done     bool
}

func main() {
	var heads headFlags
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig")
	hostIP := flag.String("host-ip", "10.77.0.1", "IP used for pods that run in the host network namespace")
	pathPrepend := flag.String("path-prepend", "", "directory put first on PATH for commands (Ray venv bin)")
	workDir := flag.String("work-dir", "/tmp/rayjob-action-stack/standin", "logs, hosts files, child pgids")
	domain := flag.String("cluster-domain", "cluster.local", "cluster domain")
	workers := flag.Int("workers", 4, "reconcile workers")
	flag.Var(&heads, "head", "Ray head: name=ip@netns (repeatable; the one named 'default' is used unless the pod asks for token auth)")
	flag.Parse()

	if len(heads) == 0 {
		log.Fatal("at least one --head name=ip@netns is required")
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig: %v", err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	// The stand-in writes v1 Endpoints on purpose (the 1.36 service proxy reads them); without this
	// every write logs "v1 Endpoints is deprecated", drowning the lines worth reading.
	rest.SetDefaultWarningHandler(rest.NoWarnings{})
	cfg.UserAgent = managedBy
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		log.Fatalf("clientset: %v", err)
	}
	for _, d := range []string{"logs", "hosts", "children", "home"} {
		if err := os.MkdirAll(filepath.Join(*workDir, d), 0o755); err != nil {
			log.Fatal(err)
		}
	}

	s := &standin{
		cs:          cs,
		queue:       workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		heads:       map[string]headSpec{},
		hostIP:      *hostIP,
		pathPrepend: *pathPrepend,
		workDir:     *workDir,
		domain:      *domain,
		runs:        map[string]*podRun{},
		extraEnv:    []string{"RAY_USAGE_STATS_ENABLED=0", "PYTHONUNBUFFERED=1"},
	}
	for _, h := range heads {
		s.heads[h.name] = h
	}
	if _, ok := s.heads["default"]; !ok {
		s.heads["default"] = heads[0]
	}

	factory := informers.NewSharedInformerFactory(cs, 0)
	podInf := factory.Core().V1().Pods()
	svcInf := factory.Core().V1().Services()
	s.pods = podInf.Lister()
	s.svcs = svcInf.Lister()

	podHandler := func(obj interface{}) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		p, ok := obj.(*corev1.Pod)
		if !ok {
			return
		}
		s.queue.Add("pod/" + p.Namespace + "/" + p.Name + "/" + string(p.UID))
		s.queue.Add("ns/" + p.Namespace)
	}
	_, _ = podInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    podHandler,
		UpdateFunc: func(_, n interface{}) { podHandler(n) },
		DeleteFunc: podHandler,
	})
	svcHandler := func(obj interface{}) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		if sv, ok := obj.(*corev1.Service); ok {
			s.queue.Add("svc/" + sv.Namespace + "/" + sv.Name)
		}
	}
	_, _ = svcInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    svcHandler,
		UpdateFunc: func(_, n interface{}) { svcHandler(n) },
		DeleteFunc: svcHandler,
	})

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	factory.Start(ctx.Done())
	for t, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			log.Fatalf("cache sync failed for %v", t)
		}
	}
	log.Printf("standin ready: heads=%v hostIP=%s", heads, s.hostIP)
	if err := os.WriteFile(filepath.Join(s.workDir, "ready"), []byte(time.Now().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		log.Printf("write ready file: %v", err)
	}

	var wg sync.WaitGroup
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s.processNext(ctx) {
			}
		}()
	}
	<-ctx.Done()
	log.Printf("standin: shutting down, stopping child processes")
	s.queue.ShutDown()
	s.killAll()
	wg.Wait()
}

func (s *standin) processNext(ctx context.Context) bool {
	key, quit := s.queue.Get()
	if quit {
		return false
	}
	defer s.queue.Done(key)
	var err error
	parts := strings.Split(key, "/")
	switch parts[0] {
	case "pod":
		err = s.syncPod(ctx, parts[1], parts[2], parts[3])
	case "svc":
		err = s.syncService(ctx, parts[1], parts[2])
	case "ns":
		var list []*corev1.Service
		list, err = s.svcs.Services(parts[1]).List(labels.Everything())
		for _, sv := range list {
			s.queue.Add("svc/" + sv.Namespace + "/" + sv.Name)
		}
	}
	if err != nil {
		if ctx.Err() == nil {
			log.Printf("sync %s: %v (retrying)", key, err)
		}
		s.queue.AddRateLimited(key)
		return true
	}
	s.queue.Forget(key)
	return true
}

// ------------------------------------------------------------------------------------------
// Pods

func (s *standin) headFor(pod *corev1.Pod) headSpec {
	if n := pod.Labels[headOverrideLb]; n != "" {
		if h, ok := s.heads[n]; ok {
			return h
		}
	}
	if len(pod.Spec.Containers) > 0 {
		for _, e := range pod.Spec.Containers[0].Env {
			if e.Name == "RAY_AUTH_MODE" && e.Value == "token" {
				if h, ok := s.heads["token"]; ok {
					return h
				}
			}
		}
	}
	return s.heads["default"]
}

func (s *standin) syncPod(ctx context.Context, ns, name, uid string) error {
	pod, err := s.pods.Pods(ns).Get(name)
	if apierrors.IsNotFound(err) || (err == nil && string(pod.UID) != uid) {
		s.stopRun(uid, "pod deleted")
		return nil
	}
	if err != nil {
		return err
	}
	if pod.DeletionTimestamp != nil {
		s.stopRun(uid, "pod terminating")
		return nil
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return nil
	}
	s.mu.Lock()
	_, running := s.runs[uid]
	s.mu.Unlock()
	if running || pod.Status.PodIP != "" {
		return nil // already started (by us, or by a previous stand-in instance)
	}

	nodeType := pod.Labels[headLabelKey]
	isRay := nodeType == "head" || nodeType == "worker"
	ip, netns := s.hostIP, ""
	if isRay {
		h := s.headFor(pod)
		ip = h.ip
		if nodeType == "head" {
			netns = h.netns
		}
	}

	// which containers get a real process
	var toRun []int
	for i, c := range pod.Spec.Containers {
		if len(c.Command) == 0 {
			continue // image entrypoint: simulated (the ray containers are backed by the real head)
		}
		if isRay && (i == 0 || nodeType != "head") {
			continue // the Ray container itself is the real Ray head in the netns; workers have no process
		}
		toRun = append(toRun, i)
	}

	run := &podRun{ns: ns, name: name, uid: uid}
	s.mu.Lock()
	s.runs[uid] = run
	s.mu.Unlock()

	now := metav1.Now()
	err = s.updateStatus(ctx, pod, func(st *corev1.PodStatus, p *corev1.Pod) {
		st.Phase = corev1.PodRunning
		st.PodIP = ip
		st.PodIPs = []corev1.PodIP{{IP: ip}}
		st.HostIP = s.hostIP
		st.HostIPs = []corev1.HostIP{{IP: s.hostIP}}
		st.StartTime = &now
		st.Conditions = []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
			{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
		}
		st.InitContainerStatuses = nil
		for _, c := range p.Spec.InitContainers {
			st.InitContainerStatuses = append(st.InitContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Image: c.Image, ImageID: c.Image, Ready: true,
				State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					ExitCode: 0, Reason: "Completed", StartedAt: now, FinishedAt: now}},
			})
		}
		st.ContainerStatuses = nil
		for _, c := range p.Spec.Containers {
			started := true
			st.ContainerStatuses = append(st.ContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Image: c.Image, ImageID: c.Image, Ready: true, Started: &started,
				ContainerID: "standin://" + string(p.UID) + "/" + c.Name,
				State:       corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
			})
		}
	})
	if err != nil {
		s.mu.Lock()
		delete(s.runs, uid)
		s.mu.Unlock()
		return fmt.Errorf("mark pod %s/%s running: %w", ns, name, err)
	}
	log.Printf("pod %s/%s: Running ip=%s (ray=%q, running %d container command(s)%s)", ns, name, ip, nodeType, len(toRun),
		map[bool]string{true: " in netns " + netns, false: ""}[netns != "" && len(toRun) > 0])

	// the pod (with its IP) may now back services
	s.queue.Add("ns/" + ns)

	if len(toRun) == 0 {
		return nil
	}
	// reread the pod so fieldRefs see status.podIP
	fresh, err := s.cs.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	for _, i := range toRun {
		go s.runContainer(ctx, run, fresh, i, netns)
	}
	return nil
}

func (s *standin) updateStatus(ctx context.Context, pod *corev1.Pod, mutate func(*corev1.PodStatus, *corev1.Pod)) error {
	first := true
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		p := pod.DeepCopy()
		if !first {
			var err error
			p, err = s.cs.CoreV1().Pods(pod.Namespace).Get(ctx, pod.Name, metav1.GetOptions{})
			if err != nil {
				return err
			}
			if p.UID != pod.UID {
				return apierrors.NewNotFound(corev1.Resource("pods"), pod.Name)
			}
		}
		first = false
		mutate(&p.Status, p)
		_, err := s.cs.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, p, metav1.UpdateOptions{FieldManager: managedBy})
		return err
	})
}

// containerFinished records the exit of container idx and recomputes the pod phase like a kubelet
// with restartPolicy Never (OnFailure/Always are treated the same: no restarts).
func (s *standin) containerFinished(ctx context.Context, run *podRun, pod *corev1.Pod, idx int, code int, reason, msg string, started time.Time) {
	cname := pod.Spec.Containers[idx].Name
	fin := metav1.Now()
	err := s.updateStatus(ctx, pod, func(st *corev1.PodStatus, p *corev1.Pod) {
		for i := range st.ContainerStatuses {
			if st.ContainerStatuses[i].Name == cname {
				f := false
				st.ContainerStatuses[i].Ready = false
				st.ContainerStatuses[i].Started = &f
				st.ContainerStatuses[i].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					ExitCode: int32(code), Reason: reason, Message: msg,
					StartedAt: metav1.NewTime(started), FinishedAt: fin,
					ContainerID: st.ContainerStatuses[i].ContainerID,
				}}
			}
		}
		allDone, allOK := true, true
		for _, cs := range st.ContainerStatuses {
			if cs.State.Terminated == nil {
				allDone = false
			} else if cs.State.Terminated.ExitCode != 0 {
				allOK = false
			}
		}
		// a terminated container is not ready, so the pod is not ready any more (real kubelet behaviour)
		for i := range st.Conditions {
			if st.Conditions[i].Type == corev1.PodReady || st.Conditions[i].Type == corev1.ContainersReady {
				if st.Conditions[i].Status != corev1.ConditionFalse {
					st.Conditions[i].Status = corev1.ConditionFalse
					st.Conditions[i].LastTransitionTime = fin
					st.Conditions[i].Reason = map[bool]string{true: "PodCompleted", false: "ContainersNotReady"}[allDone]
				}
			}
		}
		if allDone {
			if allOK {
				st.Phase = corev1.PodSucceeded
			} else {
				st.Phase = corev1.PodFailed
			}
		}
	})
	if err != nil {
		log.Printf("pod %s/%s: record exit of %s: %v", pod.Namespace, pod.Name, cname, err)
	}
	s.queue.Add("ns/" + pod.Namespace)
}

func (s *standin) stopRun(uid, why string) {
	s.mu.Lock()
	run := s.runs[uid]
	delete(s.runs, uid)
	s.mu.Unlock()
	if run == nil {
		return
	}
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
		s.stopRun(u, "stand-in exiting")
	}
}

func killGroup(pg int) {
	if pg <= 1 {
		return
	}
	_ = syscall.Kill(-pg, syscall.SIGTERM)
	go func() {
		time.Sleep(5 * time.Second)
		_ = syscall.Kill(-pg, syscall.SIGKILL)
	}()
}

// ------------------------------------------------------------------------------------------
// Services -> Endpoints + EndpointSlice

type epAddr struct {
	ip    string
	pod   *corev1.Pod
	ready bool
}

func resolveTargetPort(sp corev1.ServicePort, pod *corev1.Pod) (int32, bool) {
	switch {
	case sp.TargetPort.Type == intstr.String && sp.TargetPort.StrVal != "":
		for _, c := range pod.Spec.Containers {
			for _, cp := range c.Ports {
				if cp.Name == sp.TargetPort.StrVal {
					return cp.ContainerPort, true
				}
			}
		}
		return 0, false
	case sp.TargetPort.IntVal != 0:
		return sp.TargetPort.IntVal, true
	default:
		return sp.Port, true
	}
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func (s *standin) syncService(ctx context.Context, ns, name string) error {
	svc, err := s.svcs.Services(ns).Get(name)
	if apierrors.IsNotFound(err) {
		// the EndpointSlice is garbage-collected through its ownerReference; Endpoints by name
		err := s.cs.CoreV1().Endpoints(ns).Delete(ctx, name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			return err
		}
		return nil
	}
	if err != nil {
		return err
	}
	if len(svc.Spec.Selector) == 0 || svc.Spec.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	pods, err := s.pods.Pods(ns).List(labels.SelectorFromSet(svc.Spec.Selector))
	if err != nil {
		return err
	}
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })

	var addrs []epAddr
	for _, p := range pods {
		if p.Status.PodIP == "" || p.DeletionTimestamp != nil ||
			p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		addrs = append(addrs, epAddr{ip: p.Status.PodIP, pod: p, ready: podReady(p) || svc.Spec.PublishNotReadyAddresses})
	}

	// Endpoints: one subset per distinct resolved port set (like the endpoints controller, simplified:
	// ports resolved per pod, pods grouped by identical port lists).
	type group struct {
		ports     []corev1.EndpointPort
		ready     []corev1.EndpointAddress
		notReady  []corev1.EndpointAddress
		sliceEps  []discoveryv1.Endpoint
		slicePort []discoveryv1.EndpointPort
	}
	groups := map[string]*group{}
	var order []string
	for _, a := range addrs {
		var ports []corev1.EndpointPort
		var sports []discoveryv1.EndpointPort
		key := ""
		for _, sp := range svc.Spec.Ports {
			tp, ok := resolveTargetPort(sp, a.pod)
			if !ok {
				continue
			}
			proto := sp.Protocol
			if proto == "" {
				proto = corev1.ProtocolTCP
			}
			ports = append(ports, corev1.EndpointPort{Name: sp.Name, Port: tp, Protocol: proto, AppProtocol: sp.AppProtocol})
			n, pt, pr := sp.Name, tp, proto
			sports = append(sports, discoveryv1.EndpointPort{Name: &n, Port: &pt, Protocol: &pr, AppProtocol: sp.AppProtocol})
			key += fmt.Sprintf("%s:%d/%s,", sp.Name, tp, proto)
		}
		g := groups[key]
		if g == nil {
			g = &group{ports: ports, slicePort: sports}
			groups[key] = g
			order = append(order, key)
		}
		ref := &corev1.ObjectReference{Kind: "Pod", Namespace: ns, Name: a.pod.Name, UID: a.pod.UID}
		ea := corev1.EndpointAddress{IP: a.ip, TargetRef: ref}
		if a.ready {
			g.ready = append(g.ready, ea)
		} else {
			g.notReady = append(g.notReady, ea)
		}
		rdy, srv, term := a.ready, a.ready, false
		g.sliceEps = append(g.sliceEps, discoveryv1.Endpoint{
			Addresses:  []string{a.ip},
			Conditions: discoveryv1.EndpointConditions{Ready: &rdy, Serving: &srv, Terminating: &term},
			TargetRef:  ref.DeepCopy(),
		})
	}
	var subsets []corev1.EndpointSubset
	var sliceEps []discoveryv1.Endpoint
	var slicePorts []discoveryv1.EndpointPort
	for _, k := range order {
		g := groups[k]
		subsets = append(subsets, corev1.EndpointSubset{Addresses: g.ready, NotReadyAddresses: g.notReady, Ports: g.ports})
		sliceEps = append(sliceEps, g.sliceEps...)
		if slicePorts == nil {
			slicePorts = g.slicePort // one slice; pods with differing port sets are rare here
		}
	}

	if err := s.applyEndpoints(ctx, svc, subsets); err != nil {
		return err
	}
	return s.applySlice(ctx, svc, sliceEps, slicePorts)
}

func (s *standin) applyEndpoints(ctx context.Context, svc *corev1.Service, subsets []corev1.EndpointSubset) error {
	want := &corev1.Endpoints{
		ObjectMeta: metav1.ObjectMeta{
			Name: svc.Name, Namespace: svc.Namespace,
			Labels: map[string]string{"endpoints.kubernetes.io/managed-by": managedBy},
		},
		Subsets: subsets,
	}
	for k, v := range svc.Labels {
		want.Labels[k] = v
	}
	cur, err := s.cs.CoreV1().Endpoints(svc.Namespace).Get(ctx, svc.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = s.cs.CoreV1().Endpoints(svc.Namespace).Create(ctx, want, metav1.CreateOptions{FieldManager: managedBy})
		if apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("endpoints %s/%s appeared concurrently", svc.Namespace, svc.Name)
		}
		return err
	}
	if err != nil {
		return err
	}
	if equalJSON(cur.Subsets, want.Subsets) && equalJSON(cur.Labels, want.Labels) {
		return nil
	}
	cur.Subsets = want.Subsets
	cur.Labels = want.Labels
	_, err = s.cs.CoreV1().Endpoints(svc.Namespace).Update(ctx, cur, metav1.UpdateOptions{FieldManager: managedBy})
	return err
}

func (s *standin) applySlice(ctx context.Context, svc *corev1.Service, eps []discoveryv1.Endpoint, ports []discoveryv1.EndpointPort) error {
	name := svc.Name + sliceSuffix
	if len(name) > 63 {
		name = name[:63]
	}
	tru := true
	want := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: svc.Namespace,
			Labels: map[string]string{
				discoveryv1.LabelServiceName: svc.Name,
				discoveryv1.LabelManagedBy:   managedBy,
			},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion: "v1", Kind: "Service", Name: svc.Name, UID: svc.UID,
				Controller: &tru, BlockOwnerDeletion: &tru,
			}},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
		Endpoints:   eps,
		Ports:       ports,
	}
	if want.Endpoints == nil {
		want.Endpoints = []discoveryv1.Endpoint{}
	}
	cli := s.cs.DiscoveryV1().EndpointSlices(svc.Namespace)
	cur, err := cli.Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		_, err = cli.Create(ctx, want, metav1.CreateOptions{FieldManager: managedBy})
		return err
	}
	if err != nil {
		return err
	}
	if equalJSON(cur.Endpoints, want.Endpoints) && equalJSON(cur.Ports, want.Ports) && equalJSON(cur.OwnerReferences, want.OwnerReferences) {
		return nil
	}
	cur.Endpoints, cur.Ports, cur.Labels, cur.OwnerReferences = want.Endpoints, want.Ports, want.Labels, want.OwnerReferences
	_, err = cli.Update(ctx, cur, metav1.UpdateOptions{FieldManager: managedBy})
	return err
}
