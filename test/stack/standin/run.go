package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func equalJSON(a, b interface{}) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// runProcess runs attempt c.attempt of a container with a command, as a kubelet would, and
// blocks until it exits; it records the exit (terminated state) itself, before the Pod's stopper
// can look. nil if the Pod was already going away.
func (s *standin) runProcess(run *podRun, c *ctrState, env []string, cid string) *corev1.ContainerStateTerminated {
	pod := run.pod
	envMap := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		envMap[k] = v
	}
	argv := make([]string, 0, len(c.spec.Command)+len(c.spec.Args))
	for _, a := range append(append([]string{}, c.spec.Command...), c.spec.Args...) {
		argv = append(argv, expandVars(a, envMap))
	}
	startFail := func(err error) *corev1.ContainerStateTerminated {
		now := metav1.Now()
		log.Printf("pod %s/%s container %s: StartError: %v", pod.Namespace, pod.Name, c.spec.Name, err)
		s.event(run, c, corev1.EventTypeWarning, "Failed", "Error: %v", err)
		term := &corev1.ContainerStateTerminated{ExitCode: 128, Reason: "StartError", Message: err.Error(),
			StartedAt: now, FinishedAt: now, ContainerID: cid}
		s.setTerminated(run, c, term)
		return term
	}

	base := fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, c.spec.Name)
	hostsFile := filepath.Join(s.workDir, "hosts", base)
	if err := os.WriteFile(hostsFile, []byte(s.hostsFor(pod, run.ip)), 0o644); err != nil {
		return startFail(err)
	}
	home := filepath.Join(s.workDir, "home", base)
	_ = os.MkdirAll(home, 0o755)
	cl, err := openCtrLog(s.criLogPath(run.ns, run.name, run.uid, c.spec.Name, c.attempt), filepath.Join(s.workDir, "logs", base+".log"))
	if err != nil {
		return startFail(err)
	}
	defer cl.close()

	// kubelet-like wrapper: [ip netns exec NS] unshare --mount: private /etc/hosts, then exec argv
	wrapper := []string{}
	if run.netns != "" {
		wrapper = append(wrapper, "ip", "netns", "exec", run.netns)
	}
	wrapper = append(wrapper, "unshare", "--mount", "--propagation", "private", "--",
		"/bin/sh", "-c", `mount --bind "$0" /etc/hosts && exec "$@"`, hostsFile)
	full := append(wrapper, argv...)

	cmd := exec.Command(full[0], full[1:]...)
	cmd.Env = env
	cmd.Dir = home
	if c.spec.WorkingDir != "" {
		if st, err := os.Stat(c.spec.WorkingDir); err == nil && st.IsDir() {
			cmd.Dir = c.spec.WorkingDir
		}
	}
	stdout, stderr := cl.stream("stdout"), cl.stream("stderr")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = 2 * time.Second // a daemon left holding the output pipes does not keep the exit waiting
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	run.mu.Lock()
	if run.done {
		run.mu.Unlock()
		return nil
	}
	if err := cmd.Start(); err != nil {
		run.mu.Unlock()
		return startFail(err)
	}
	pg := cmd.Process.Pid
	run.pgids = append(run.pgids, pg)
	run.procs.Add(1)
	run.mu.Unlock()
	started := metav1.Now()
	childFile := filepath.Join(s.workDir, "children", strconv.Itoa(pg))
	_ = os.WriteFile(childFile, []byte(base+"\n"), 0o644)
	log.Printf("pod %s/%s container %s: attempt %d started pid/pgid %d netns=%q: %q", pod.Namespace, pod.Name, c.spec.Name, c.attempt, pg, run.netns, argv)
	s.event(run, c, corev1.EventTypeNormal, "Started", "Container started")
	s.setRunning(run, c, cid, started)

	werr := cmd.Wait()
	stdout.flush()
	stderr.flush()
	_ = os.Remove(childFile)
	code := 0
	if werr != nil {
		var ee *exec.ExitError
		if errors.As(werr, &ee) {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
		} else if cmd.ProcessState != nil {
			code = cmd.ProcessState.ExitCode() // exec.ErrWaitDelay: the process itself exited
		} else {
			code = 1
		}
	}
	log.Printf("pod %s/%s container %s: attempt %d exited %d", pod.Namespace, pod.Name, c.spec.Name, c.attempt, code)
	term := &corev1.ContainerStateTerminated{ExitCode: int32(code), Reason: exitReason(code),
		StartedAt: started, FinishedAt: metav1.Now(), ContainerID: cid}
	s.setTerminated(run, c, term)
	run.mu.Lock()
	for i, p := range run.pgids {
		if p == pg {
			run.pgids = append(run.pgids[:i], run.pgids[i+1:]...)
			break
		}
	}
	run.mu.Unlock()
	run.procs.Done()
	return term
}

// hostsFor builds the private /etc/hosts for a process of pod: every service that has endpoints
// resolves to its first endpoint IP (this plays cluster DNS + kube-proxy).
func (s *standin) hostsFor(pod *corev1.Pod, podIP string) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	if podIP != "" {
		fmt.Fprintf(&b, "%s\t%s\n", podIP, pod.Name)
	}
	svcs, _ := s.svcs.List(labels.Everything())
	sort.Slice(svcs, func(i, j int) bool { return svcs[i].Namespace+"/"+svcs[i].Name < svcs[j].Namespace+"/"+svcs[j].Name })
	for _, sv := range svcs {
		if len(sv.Spec.Selector) == 0 {
			continue
		}
		pods, _ := s.pods.Pods(sv.Namespace).List(labels.SelectorFromSet(sv.Spec.Selector))
		ip := ""
		for _, p := range pods {
			if p.Status.PodIP != "" && p.DeletionTimestamp == nil &&
				p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
				ip = p.Status.PodIP
				break
			}
		}
		if ip == "" {
			continue
		}
		names := []string{
			fmt.Sprintf("%s.%s.svc.%s", sv.Name, sv.Namespace, s.domain),
			fmt.Sprintf("%s.%s.svc", sv.Name, sv.Namespace),
			fmt.Sprintf("%s.%s", sv.Name, sv.Namespace),
		}
		if sv.Namespace == pod.Namespace {
			names = append(names, sv.Name)
		}
		fmt.Fprintf(&b, "%s\t%s\n", ip, strings.Join(names, " "))
	}
	return b.String()
}

// expandVars implements the $(VAR) expansion of command/args ($$(VAR) escapes).
func expandVars(in string, env map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(in); i++ {
		if in[i] == '$' && i+1 < len(in) {
			if in[i+1] == '$' {
				b.WriteByte('$')
				i++
				continue
			}
			if in[i+1] == '(' {
				if end := strings.IndexByte(in[i+2:], ')'); end >= 0 {
					name := in[i+2 : i+2+end]
					if v, ok := env[name]; ok {
						b.WriteString(v)
						i += 2 + end
						continue
					}
				}
			}
		}
		b.WriteByte(in[i])
	}
	return b.String()
}

func (s *standin) resolveEnv(ctx context.Context, pod *corev1.Pod, c *corev1.Container) ([]string, error) {
	path := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	if s.pathPrepend != "" {
		path = s.pathPrepend + ":" + path
	}
	base := fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, c.Name)
	// What a container runtime puts in every container's environment. KUBERNETES_SERVICE_HOST/PORT
	// are left out on purpose: the API server is not reachable from a "pod" of this stack.
	vals := map[string]string{
		"PATH":     path,
		"HOME":     filepath.Join(s.workDir, "home", base),
		"LANG":     "C.UTF-8",
		"HOSTNAME": pod.Name,
	}
	order := []string{"PATH", "HOME", "LANG", "HOSTNAME"}
	set := func(k, v string) {
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = v
	}
	for _, kv := range s.extraEnv {
		k, v, _ := strings.Cut(kv, "=")
		set(k, v)
	}
	// the kubelet's makeEnvironmentVariables: envFrom first, then env; a missing (not optional)
	// Secret/ConfigMap or key is an error with the kubelet's wording (CreateContainerConfigError)
	for _, ef := range c.EnvFrom {
		var data map[string]string
		switch {
		case ef.ConfigMapRef != nil:
			cm, err := s.getConfigMap(ctx, pod.Namespace, ef.ConfigMapRef.Name)
			if err != nil {
				if apierrors.IsNotFound(err) && ef.ConfigMapRef.Optional != nil && *ef.ConfigMapRef.Optional {
					continue
				}
				return nil, err
			}
			data = cm.Data
		case ef.SecretRef != nil:
			sec, err := s.getSecret(ctx, pod.Namespace, ef.SecretRef.Name)
			if err != nil {
				if apierrors.IsNotFound(err) && ef.SecretRef.Optional != nil && *ef.SecretRef.Optional {
					continue
				}
				return nil, err
			}
			data = map[string]string{}
			for k, v := range sec.Data {
				data[k] = string(v)
			}
		}
		for k, v := range data {
			set(ef.Prefix+k, v)
		}
	}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			set(e.Name, expandVars(e.Value, vals))
			continue
		}
		v, skip, err := s.valueFrom(ctx, pod, c, e.ValueFrom)
		if err != nil {
			return nil, err
		}
		if !skip {
			set(e.Name, v)
		}
	}
	out := make([]string, 0, len(order))
	for _, k := range order {
		out = append(out, k+"="+vals[k])
	}
	return out, nil
}

func (s *standin) valueFrom(ctx context.Context, pod *corev1.Pod, c *corev1.Container, vf *corev1.EnvVarSource) (string, bool, error) {
	switch {
	case vf.FieldRef != nil:
		f := vf.FieldRef.FieldPath
		switch {
		case f == "metadata.name":
			return pod.Name, false, nil
		case f == "metadata.namespace":
			return pod.Namespace, false, nil
		case f == "metadata.uid":
			return string(pod.UID), false, nil
		case f == "spec.nodeName":
			return pod.Spec.NodeName, false, nil
		case f == "spec.serviceAccountName":
			return pod.Spec.ServiceAccountName, false, nil
		case f == "status.podIP":
			return pod.Status.PodIP, false, nil
		case f == "status.podIPs":
			ips := []string{}
			for _, p := range pod.Status.PodIPs {
				ips = append(ips, p.IP)
			}
			return strings.Join(ips, ","), false, nil
		case f == "status.hostIP", f == "status.hostIPs":
			return pod.Status.HostIP, false, nil
		case strings.HasPrefix(f, "metadata.labels['"):
			return pod.Labels[strings.TrimSuffix(strings.TrimPrefix(f, "metadata.labels['"), "']")], false, nil
		case strings.HasPrefix(f, "metadata.annotations['"):
			return pod.Annotations[strings.TrimSuffix(strings.TrimPrefix(f, "metadata.annotations['"), "']")], false, nil
		}
		return "", false, fmt.Errorf("unsupported fieldRef %q", f)
	case vf.ResourceFieldRef != nil:
		r := vf.ResourceFieldRef.Resource
		name, _ := strings.CutPrefix(r, "limits.")
		name, _ = strings.CutPrefix(name, "requests.")
		q, ok := c.Resources.Limits[corev1.ResourceName(name)]
		if strings.HasPrefix(r, "requests.") || !ok {
			if rq, ok2 := c.Resources.Requests[corev1.ResourceName(name)]; ok2 {
				q, ok = rq, true
			}
		}
		if !ok {
			if name == "cpu" {
				return "2", false, nil
			}
			return "1073741824", false, nil
		}
		div := vf.ResourceFieldRef.Divisor
		if div.IsZero() {
			if name == "cpu" {
				return strconv.FormatInt((q.MilliValue()+999)/1000, 10), false, nil
			}
			return strconv.FormatInt(q.Value(), 10), false, nil
		}
		return strconv.FormatInt((q.MilliValue()+div.MilliValue()-1)/div.MilliValue(), 10), false, nil
	case vf.SecretKeyRef != nil:
		ref := vf.SecretKeyRef
		optional := ref.Optional != nil && *ref.Optional
		sec, err := s.getSecret(ctx, pod.Namespace, ref.Name)
		if err != nil {
			if apierrors.IsNotFound(err) && optional {
				return "", true, nil
			}
			return "", false, err
		}
		v, ok := sec.Data[ref.Key]
		if !ok {
			if optional {
				return "", true, nil
			}
			return "", false, fmt.Errorf("couldn't find key %v in Secret %v/%v", ref.Key, pod.Namespace, ref.Name)
		}
		return string(v), false, nil
	case vf.ConfigMapKeyRef != nil:
		ref := vf.ConfigMapKeyRef
		optional := ref.Optional != nil && *ref.Optional
		cm, err := s.getConfigMap(ctx, pod.Namespace, ref.Name)
		if err != nil {
			if apierrors.IsNotFound(err) && optional {
				return "", true, nil
			}
			return "", false, err
		}
		v, ok := cm.Data[ref.Key]
		if !ok {
			if optional {
				return "", true, nil
			}
			return "", false, fmt.Errorf("couldn't find key %v in ConfigMap %v/%v", ref.Key, pod.Namespace, ref.Name)
		}
		return v, false, nil
	}
	return "", true, nil
}

// getSecret / getConfigMap: as the kubelet's secret and configmap managers, whose not-found error
// names the resource in the singular (`secret "x" not found`).
func (s *standin) getSecret(ctx context.Context, ns, name string) (*corev1.Secret, error) {
	sec, err := s.cs.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, apierrors.NewNotFound(corev1.Resource("secret"), name)
	}
	return sec, err
}

func (s *standin) getConfigMap(ctx context.Context, ns, name string) (*corev1.ConfigMap, error) {
	cm, err := s.cs.CoreV1().ConfigMaps(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, apierrors.NewNotFound(corev1.Resource("configmap"), name)
	}
	return cm, err
}
