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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func equalJSON(a, b interface{}) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// runContainer runs container idx of pod like a kubelet would and records its exit.
func (s *standin) runContainer(ctx context.Context, run *podRun, pod *corev1.Pod, idx int, netns string) {
	c := pod.Spec.Containers[idx]
	started := time.Now()
	fail := func(code int, reason, msg string) {
		log.Printf("pod %s/%s container %s: %s: %s", pod.Namespace, pod.Name, c.Name, reason, msg)
		s.containerFinished(ctx, run, pod, idx, code, reason, msg, started)
	}

	env, err := s.resolveEnv(ctx, pod, &c)
	if err != nil {
		fail(1, "CreateContainerConfigError", err.Error())
		return
	}
	envMap := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		envMap[k] = v
	}
	argv := make([]string, 0, len(c.Command)+len(c.Args))
	for _, a := range append(append([]string{}, c.Command...), c.Args...) {
		argv = append(argv, expandVars(a, envMap))
	}

	base := fmt.Sprintf("%s_%s_%s", pod.Namespace, pod.Name, c.Name)
	hostsFile := filepath.Join(s.workDir, "hosts", base)
	if err := os.WriteFile(hostsFile, []byte(s.hostsFor(pod)), 0o644); err != nil {
		fail(1, "StandinError", err.Error())
		return
	}
	home := filepath.Join(s.workDir, "home", base)
	_ = os.MkdirAll(home, 0o755)
	logf, err := os.Create(filepath.Join(s.workDir, "logs", base+".log"))
	if err != nil {
		fail(1, "StandinError", err.Error())
		return
	}
	defer logf.Close()

	// kubelet-like wrapper: [ip netns exec NS] unshare --mount: private /etc/hosts, then exec argv
	wrapper := []string{}
	if netns != "" {
		wrapper = append(wrapper, "ip", "netns", "exec", netns)
	}
	wrapper = append(wrapper, "unshare", "--mount", "--propagation", "private", "--",
		"/bin/sh", "-c", `mount --bind "$0" /etc/hosts && exec "$@"`, hostsFile)
	full := append(wrapper, argv...)
	fmt.Fprintf(logf, "# standin: pod %s/%s container %s netns=%q\n# argv: %q\n", pod.Namespace, pod.Name, c.Name, netns, argv)

	cmd := exec.Command(full[0], full[1:]...)
	cmd.Env = env
	cmd.Dir = home
	if c.WorkingDir != "" {
		if st, err := os.Stat(c.WorkingDir); err == nil && st.IsDir() {
			cmd.Dir = c.WorkingDir
		}
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	run.mu.Lock()
	if run.done {
		run.mu.Unlock()
		return
	}
	if err := cmd.Start(); err != nil {
		run.mu.Unlock()
		fail(127, "StartError", err.Error())
		return
	}
	pg := cmd.Process.Pid
	run.pgids = append(run.pgids, pg)
	run.mu.Unlock()
	childFile := filepath.Join(s.workDir, "children", strconv.Itoa(pg))
	_ = os.WriteFile(childFile, []byte(base+"\n"), 0o644)
	log.Printf("pod %s/%s container %s: started pid/pgid %d netns=%q: %q", pod.Namespace, pod.Name, c.Name, pg, netns, argv)

	werr := cmd.Wait()
	_ = os.Remove(childFile)
	code := 0
	reason := "Completed"
	if werr != nil {
		var ee *exec.ExitError
		if errors.As(werr, &ee) {
			code = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
		} else {
			code = 1
		}
		reason = "Error"
	}
	run.mu.Lock()
	done := run.done
	run.mu.Unlock()
	if done {
		return // pod deleted
	}
	log.Printf("pod %s/%s container %s: exited %d", pod.Namespace, pod.Name, c.Name, code)
	s.containerFinished(ctx, run, pod, idx, code, reason, "", started)
}

// hostsFor builds the private /etc/hosts for a process of pod: every service that has endpoints
// resolves to its first endpoint IP (this plays cluster DNS + kube-proxy).
func (s *standin) hostsFor(pod *corev1.Pod) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	if pod.Status.PodIP != "" {
		fmt.Fprintf(&b, "%s\t%s\n", pod.Status.PodIP, pod.Name)
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
	for _, ef := range c.EnvFrom {
		var data map[string]string
		switch {
		case ef.ConfigMapRef != nil:
			cm, err := s.cs.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, ef.ConfigMapRef.Name, metav1.GetOptions{})
			if err != nil {
				if ef.ConfigMapRef.Optional != nil && *ef.ConfigMapRef.Optional {
					continue
				}
				return nil, fmt.Errorf("envFrom configmap %s: %w", ef.ConfigMapRef.Name, err)
			}
			data = cm.Data
		case ef.SecretRef != nil:
			sec, err := s.cs.CoreV1().Secrets(pod.Namespace).Get(ctx, ef.SecretRef.Name, metav1.GetOptions{})
			if err != nil {
				if ef.SecretRef.Optional != nil && *ef.SecretRef.Optional {
					continue
				}
				return nil, fmt.Errorf("envFrom secret %s: %w", ef.SecretRef.Name, err)
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
			return nil, fmt.Errorf("env %s: %w", e.Name, err)
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
		sec, err := s.cs.CoreV1().Secrets(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err == nil {
			if v, ok := sec.Data[ref.Key]; ok {
				return string(v), false, nil
			}
			err = fmt.Errorf("key %q not in secret %s", ref.Key, ref.Name)
		}
		if ref.Optional != nil && *ref.Optional {
			return "", true, nil
		}
		return "", false, err
	case vf.ConfigMapKeyRef != nil:
		ref := vf.ConfigMapKeyRef
		cm, err := s.cs.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, ref.Name, metav1.GetOptions{})
		if err == nil {
			if v, ok := cm.Data[ref.Key]; ok {
				return v, false, nil
			}
			err = fmt.Errorf("key %q not in configmap %s", ref.Key, ref.Name)
		}
		if ref.Optional != nil && *ref.Optional {
			return "", true, nil
		}
		return "", false, err
	}
	return "", true, nil
}
