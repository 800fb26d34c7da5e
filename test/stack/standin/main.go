// Command standin plays the scheduler, the kubelet (one Node) and the endpoints/endpointslice
// controllers for the rayjob-action test stack (test/stack/up.sh). It is NOT a fake operator: the
// real KubeRay operator, kube-apiserver, kube-controller-manager and Ray head(s) do everything else.
//
// What it does (and nothing more; test/stack/README.md, "The stand-in", has the details):
//   - Node: registers one Node (--node-name, Ready, capacity = allocatable from --node-*, InternalIP
//     --host-ip, kubelet port --kubelet-port) and lifts the not-ready taint the API server puts on
//     a new Node (node.go).
//   - Scheduler (sched.go): every Pod for "default-scheduler" without a node is filtered like
//     kube-scheduler 1.36 does (unschedulable node, taints, node affinity/selector, resources, pod
//     count) and bound through pods/binding, or left Pending with PodScheduled=False/Unschedulable,
//     the scheduler's message and a FailedScheduling event.
//   - Kubelet (kubelet.go, image.go, run.go): Pods bound to the node get an IP (KubeRay head Pods:
//     the address of a real Ray head in a network namespace; token-auth head if the ray container
//     has RAY_AUTH_MODE=token; other Pods the host-side veth IP), image checks (.invalid registries,
//     invalid references), env resolution (CreateContainerConfigError), containers with a command
//     run for real (with the Ray venv first on PATH, $(VAR) expansion, a private /etc/hosts that
//     plays cluster DNS; head Pod containers inside the head's network namespace), exits, restarts
//     with back-off per restartPolicy, the RAYJOB_STANDIN_EXIT_CODE trigger for containers without a
//     process, kubelet events, and graceful deletion (stop, terminal status, delete).
//   - Kubelet API (logs.go): HTTPS /containerLogs for pods/log, from CRI-format log files.
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
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/retry"
	"k8s.io/client-go/util/workqueue"
)

const (
	managedBy      = "rayjob-stack-standin"
	sliceSuffix    = "-standin"
	headLabelKey   = "ray.io/node-type"
	headOverrideLb = "rayjob-stack.test/ray-head" // optional pod label: name of the --head to use
	schedulerName  = "default-scheduler"
)

type headSpec struct {
	name    string
	ip      string
	netns   string
	logFile string // the Ray head's `ray start --block` output: the head Pod's Ray container log
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

type kvFlags map[string]string

func (m kvFlags) String() string { return fmt.Sprint(map[string]string(m)) }
func (m kvFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want name=value, got %q", v)
	}
	m[k] = val
	return nil
}

type standin struct {
	cs          kubernetes.Interface
	pods        corelisters.PodLister
	svcs        corelisters.ServiceLister
	nodes       corelisters.NodeLister
	queue       workqueue.TypedRateLimitingInterface[string]
	heads       map[string]headSpec
	hostIP      string
	pathPrepend string
	workDir     string
	domain      string
	extraEnv    []string

	nodeName       string
	nodeCapacity   corev1.ResourceList
	kubeletPort    int
	kubeletVersion string
	timeScale      float64

	kubeletRec record.EventRecorder // source kubelet/<node>, like the kubelet's
	schedRec   events.EventRecorder // events.k8s.io, reportingController default-scheduler

	mu      sync.Mutex
	runs    map[string]*podRun // by pod UID
	orphans map[types.UID]bool // Pods being deleted that no pod worker plays

	sched schedState
}

func main() {
	var heads headFlags
	headLogs := kvFlags{}
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig")
	hostIP := flag.String("host-ip", "10.77.0.1", "IP used for pods that run in the host network namespace; the node's InternalIP")
	pathPrepend := flag.String("path-prepend", "", "directory put first on PATH for commands (Ray venv bin)")
	workDir := flag.String("work-dir", "/tmp/rayjob-action-stack/standin", "logs, hosts files, child pgids")
	domain := flag.String("cluster-domain", "cluster.local", "cluster domain")
	workers := flag.Int("workers", 4, "reconcile workers")
	flag.Var(&heads, "head", "Ray head: name=ip@netns (repeatable; the one named 'default' is used unless the pod asks for token auth)")
	flag.Var(headLogs, "head-log", "name=file: the output of Ray head <name> (served as the log of a head Pod's Ray container)")
	nodeName := flag.String("node-name", "standin-node", "name of the Node the stand-in registers")
	nodeCPU := flag.String("node-cpu", "8", "node capacity/allocatable cpu")
	nodeMem := flag.String("node-memory", "32Gi", "node capacity/allocatable memory")
	nodePods := flag.String("node-pods", "110", "node capacity/allocatable pods")
	nodeEph := flag.String("node-ephemeral-storage", "100Gi", "node capacity/allocatable ephemeral-storage")
	kubeletPort := flag.Int("kubelet-port", 10250, "port of the kubelet API (HTTPS) on --host-ip")
	kubeletVersion := flag.String("kubelet-version", "v1.36.3", "kubelet version the Node reports")
	tlsCert := flag.String("tls-cert-file", "", "kubelet API serving certificate")
	tlsKey := flag.String("tls-private-key-file", "", "kubelet API serving key")
	clientCA := flag.String("client-ca-file", "", "CA that signs the API server's kubelet client certificate")
	timeScale := flag.Float64("time-scale", 0.2, "factor applied to the kubelet's back-off times (image pull, crash loop)")
	flag.Parse()

	if len(heads) == 0 {
		log.Fatal("at least one --head name=ip@netns is required")
	}
	if *tlsCert == "" || *tlsKey == "" || *clientCA == "" {
		log.Fatal("--tls-cert-file, --tls-private-key-file and --client-ca-file are required (kubelet API)")
	}
	if *timeScale <= 0 {
		log.Fatal("--time-scale must be > 0")
	}
	capacity := corev1.ResourceList{}
	for name, v := range map[corev1.ResourceName]string{corev1.ResourceCPU: *nodeCPU, corev1.ResourceMemory: *nodeMem,
		corev1.ResourcePods: *nodePods, corev1.ResourceEphemeralStorage: *nodeEph} {
		q, err := resource.ParseQuantity(v)
		if err != nil {
			log.Fatalf("node %s %q: %v", name, v, err)
		}
		capacity[name] = q
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
	for _, d := range []string{"logs", "hosts", "children", "home", "pods"} {
		if err := os.MkdirAll(filepath.Join(*workDir, d), 0o755); err != nil {
			log.Fatal(err)
		}
	}

	s := &standin{
		cs:             cs,
		queue:          workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]()),
		heads:          map[string]headSpec{},
		hostIP:         *hostIP,
		pathPrepend:    *pathPrepend,
		workDir:        *workDir,
		domain:         *domain,
		runs:           map[string]*podRun{},
		orphans:        map[types.UID]bool{},
		extraEnv:       []string{"RAY_USAGE_STATS_ENABLED=0", "PYTHONUNBUFFERED=1"},
		nodeName:       *nodeName,
		nodeCapacity:   capacity,
		kubeletPort:    *kubeletPort,
		kubeletVersion: *kubeletVersion,
		timeScale:      *timeScale,
		sched:          schedState{assumed: map[types.UID]*corev1.Pod{}, unsched: map[types.UID]int64{}},
	}
	for _, h := range heads {
		h.logFile = headLogs[h.name]
		s.heads[h.name] = h
	}
	if _, ok := s.heads["default"]; !ok {
		s.heads["default"] = s.heads[heads[0].name]
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()

	// Events as the real components write them: the kubelet through the core/v1 Events API
	// (source component "kubelet", host = node name), the scheduler through events.k8s.io/v1
	// (reportingController "default-scheduler").
	kb := record.NewBroadcaster(record.WithContext(ctx))
	kb.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: cs.CoreV1().Events("")})
	s.kubeletRec = kb.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "kubelet", Host: s.nodeName})
	sb := events.NewBroadcaster(&events.EventSinkImpl{Interface: cs.EventsV1()})
	sb.StartRecordingToSink(ctx.Done())
	s.schedRec = sb.NewRecorder(scheme.Scheme, schedulerName)

	factory := informers.NewSharedInformerFactory(cs, 0)
	podInf := factory.Core().V1().Pods()
	svcInf := factory.Core().V1().Services()
	nodeInf := factory.Core().V1().Nodes()
	s.pods = podInf.Lister()
	s.svcs = svcInf.Lister()
	s.nodes = nodeInf.Lister()

	_, _ = podInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(o interface{}) { s.onPod(nil, o, false) },
		UpdateFunc: func(o, n interface{}) { s.onPod(o, n, false) },
		DeleteFunc: func(o interface{}) { s.onPod(nil, o, true) },
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
	nodeHandler := func(obj interface{}) {
		if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = t.Obj
		}
		if n, ok := obj.(*corev1.Node); ok && n.Name == s.nodeName {
			s.requeueUnschedulable("node " + n.Name + " changed")
		}
	}
	_, _ = nodeInf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    nodeHandler,
		UpdateFunc: func(_, n interface{}) { nodeHandler(n) },
		DeleteFunc: nodeHandler,
	})

	factory.Start(ctx.Done())
	for t, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			log.Fatalf("cache sync failed for %v", t)
		}
	}
	if err := s.registerNode(ctx); err != nil {
		log.Fatalf("register node %s: %v", s.nodeName, err)
	}
	if err := s.serveKubeletAPI(ctx, *tlsCert, *tlsKey, *clientCA); err != nil {
		log.Fatalf("kubelet API on %s:%d: %v", s.hostIP, s.kubeletPort, err)
	}
	log.Printf("standin ready: node=%s heads=%v hostIP=%s kubelet API https://%s:%d time-scale=%g",
		s.nodeName, heads, s.hostIP, s.hostIP, s.kubeletPort, s.timeScale)
	if err := os.WriteFile(filepath.Join(s.workDir, "ready"), []byte(time.Now().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		log.Printf("write ready file: %v", err)
	}

	// kube-scheduler moves Pods it could not place back to its active queue after at most 5 minutes
	// (podMaxInUnschedulablePodsDuration), besides on cluster events.
	go func() {
		t := time.NewTicker(5 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.requeueUnschedulable("periodic flush")
			}
		}
	}()

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
	kb.Shutdown()
}

func podKey(p *corev1.Pod) string {
	return "pod/" + p.Namespace + "/" + p.Name + "/" + string(p.UID)
}

func isTerminal(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

// onPod queues the pod and its namespace's services; a Pod on this node that goes away or ends
// frees resources, so Pods the scheduler could not place are tried again (as kube-scheduler does).
func (s *standin) onPod(oldObj, obj interface{}, deleted bool) {
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = t.Obj
	}
	p, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	s.queue.Add(podKey(p))
	s.queue.Add("ns/" + p.Namespace)
	if p.Spec.NodeName != s.nodeName {
		return
	}
	switch {
	case deleted:
		s.requeueUnschedulable("pod " + p.Namespace + "/" + p.Name + " deleted")
	case isTerminal(p):
		if old, ok := oldObj.(*corev1.Pod); ok && !isTerminal(old) {
			s.requeueUnschedulable("pod " + p.Namespace + "/" + p.Name + " " + string(p.Status.Phase))
		}
	}
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

// updateStatus writes the status of pod (by name, checked against its UID) after mutate, retrying
// on conflicts with a fresh copy.
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
