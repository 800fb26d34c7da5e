package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Container logs: each attempt of a container writes a CRI-format log file, as containerd does
// (<RFC3339Nano time> <stdout|stderr> <F|P> <text>), under
// <work-dir>/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log (the kubelet's /var/log/pods layout);
// processes also append their plain output to <work-dir>/logs/<ns>_<pod>_<container>.log.
// The kubelet API (HTTPS, client certificates of the stack's CA) serves them at
// /containerLogs/<ns>/<pod>/<container> with the kubelet's options and errors; the API server
// reaches it for GET .../pods/<pod>/log.

const timeFormatOut = "2006-01-02T15:04:05.000000000Z07:00" // cri-client logs.RFC3339NanoFixed

type ctrLog struct {
	mu    sync.Mutex
	cri   *os.File
	plain *os.File
}

func openCtrLog(criPath, plainPath string) (*ctrLog, error) {
	if err := os.MkdirAll(filepath.Dir(criPath), 0o755); err != nil {
		return nil, err
	}
	cri, err := os.OpenFile(criPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	plain, err := os.OpenFile(plainPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		cri.Close()
		return nil, err
	}
	return &ctrLog{cri: cri, plain: plain}, nil
}

func (l *ctrLog) close() {
	l.cri.Close()
	l.plain.Close()
}

type streamWriter struct {
	l      *ctrLog
	stream string
	buf    []byte
}

func (l *ctrLog) stream(name string) *streamWriter { return &streamWriter{l: l, stream: name} }

func (w *streamWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	_, _ = w.l.plain.Write(p)
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.writeRecord("F", w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	// containerd splits very long lines into partial records
	for len(w.buf) >= 16*1024 {
		w.writeRecord("P", w.buf[:16*1024])
		w.buf = w.buf[16*1024:]
	}
	return len(p), nil
}

func (w *streamWriter) writeRecord(tag string, line []byte) {
	_, _ = w.l.cri.Write(criRecord(w.stream, tag, line))
}

func criRecord(stream, tag string, line []byte) []byte {
	var b bytes.Buffer
	b.WriteString(time.Now().UTC().Format(time.RFC3339Nano))
	b.WriteByte(' ')
	b.WriteString(stream)
	b.WriteByte(' ')
	b.WriteString(tag)
	b.WriteByte(' ')
	b.Write(line)
	b.WriteByte('\n')
	return b.Bytes()
}

// flush writes what is left of an unterminated last line (a partial record).
func (w *streamWriter) flush() {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	if len(w.buf) > 0 {
		w.writeRecord("P", w.buf)
		w.buf = nil
	}
}

// writeCRILines writes lines as one stream's full records (the exit trigger's log).
func writeCRILines(path, stream string, lines []string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, l := range lines {
		if _, err := f.Write(criRecord(stream, "F", []byte(l))); err != nil {
			return err
		}
	}
	return nil
}

type logRecord struct {
	ts      time.Time
	stream  string
	partial bool
	text    []byte
}

// parseCRI parses the complete records in data; consumed is the length of those.
func parseCRI(data []byte) (recs []logRecord, consumed int) {
	for {
		i := bytes.IndexByte(data[consumed:], '\n')
		if i < 0 {
			return recs, consumed
		}
		line := data[consumed : consumed+i]
		consumed += i + 1
		parts := bytes.SplitN(line, []byte{' '}, 4)
		if len(parts) < 3 {
			continue
		}
		ts, err := time.Parse(time.RFC3339Nano, string(parts[0]))
		if err != nil {
			continue
		}
		r := logRecord{ts: ts, stream: string(parts[1]), partial: string(parts[2]) == "P"}
		if len(parts) == 4 {
			r.text = parts[3]
		}
		recs = append(recs, r)
	}
}

// plainRecords turns a plain text file (a Ray head's output) into full stdout records at ts.
func plainRecords(data []byte, ts time.Time) (recs []logRecord, consumed int) {
	for {
		i := bytes.IndexByte(data[consumed:], '\n')
		if i < 0 {
			return recs, consumed
		}
		recs = append(recs, logRecord{ts: ts, stream: "stdout", text: data[consumed : consumed+i]})
		consumed += i + 1
	}
}

type logOptions struct {
	follow, previous, timestamps bool
	tailLines, limitBytes        int64 // -1: unset
	since                        time.Time
	stream                       string // All, Stdout, Stderr
}

// parseLogOptions decodes and validates the v1.PodLogOptions query as the kubelet does.
func parseLogOptions(q url.Values) (*logOptions, int, error) {
	bad := func() (*logOptions, int, error) {
		return nil, http.StatusBadRequest, errors.New(`{"message": "Unable to decode query."}`)
	}
	invalid := func() (*logOptions, int, error) {
		return nil, http.StatusUnprocessableEntity, errors.New(`{"message": "Invalid request."}`)
	}
	o := &logOptions{tailLines: -1, limitBytes: -1, stream: "All"}
	if t := q.Get("tail"); t != "" { // backwards compatibility
		q.Set("tailLines", t)
		if t == "all" {
			q.Del("tailLines")
		}
	}
	boolOpt := func(name string, dst *bool) bool {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return false
			}
			*dst = b
		}
		return true
	}
	intOpt := func(name string, dst *int64) bool {
		if v := q.Get(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return false
			}
			*dst = n
		}
		return true
	}
	var sinceSeconds int64 = -1
	if !boolOpt("follow", &o.follow) || !boolOpt("previous", &o.previous) || !boolOpt("timestamps", &o.timestamps) ||
		!intOpt("tailLines", &o.tailLines) || !intOpt("limitBytes", &o.limitBytes) || !intOpt("sinceSeconds", &sinceSeconds) {
		return bad()
	}
	if v := q.Get("sinceTime"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return bad()
		}
		o.since = t
	}
	if v := q.Get("stream"); v != "" {
		o.stream = v
	}
	switch {
	case q.Has("tailLines") && o.tailLines < 0,
		q.Has("limitBytes") && o.limitBytes < 1,
		q.Has("sinceSeconds") && sinceSeconds < 1,
		q.Has("sinceSeconds") && q.Has("sinceTime"),
		o.stream != "All" && o.stream != "Stdout" && o.stream != "Stderr",
		o.stream != "All" && q.Has("tailLines"):
		return invalid()
	}
	if sinceSeconds > 0 {
		o.since = time.Now().Add(-time.Duration(sinceSeconds) * time.Second)
	}
	return o, 0, nil
}

func (s *standin) serveKubeletAPI(ctx context.Context, certFile, keyFile, caFile string) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return err
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("no certificates in %s", caFile)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/containerLogs/", s.handleContainerLogs)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // TLS handshakes of probes are not worth a line
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			ClientAuth:   tls.RequireAndVerifyClientCert, // x509 authentication, as --client-ca-file does
			ClientCAs:    pool,
			MinVersion:   tls.VersionTLS12,
		},
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(s.hostIP, strconv.Itoa(s.kubeletPort)))
	if err != nil {
		return err
	}
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("kubelet API: %v", err)
		}
	}()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return nil
}

func writeError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = io.WriteString(w, err.Error())
}

// logSource: what a container log request reads.
type logSource struct {
	crifile   string // CRI file of one attempt, or
	plainfile string // the Ray head's output (a head Pod's Ray container)
	plainTime time.Time
	running   func() bool // the attempt still runs (follow ends when it stops)
}

func (s *standin) handleContainerLogs(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/containerLogs/"), "/", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	ns, podName, ctrName := parts[0], parts[1], parts[2]
	switch {
	case podName == "":
		writeError(w, http.StatusBadRequest, errors.New(`{"message": "Missing podID."}`))
		return
	case ctrName == "":
		writeError(w, http.StatusBadRequest, errors.New(`{"message": "Missing container name."}`))
		return
	case ns == "":
		writeError(w, http.StatusBadRequest, errors.New(`{"message": "Missing podNamespace."}`))
		return
	}
	opts, code, err := parseLogOptions(r.URL.Query())
	if err != nil {
		writeError(w, code, err)
		return
	}
	pod, err := s.pods.Pods(ns).Get(podName)
	if err != nil || pod.Spec.NodeName != s.nodeName {
		writeError(w, http.StatusNotFound, fmt.Errorf("pod %q does not exist", podName))
		return
	}
	found := false
	for _, list := range [][]corev1.Container{pod.Spec.Containers, pod.Spec.InitContainers} {
		for _, c := range list {
			found = found || c.Name == ctrName
		}
	}
	for _, c := range pod.Spec.EphemeralContainers {
		found = found || c.Name == ctrName
	}
	if !found {
		writeError(w, http.StatusNotFound, fmt.Errorf("container %q not found in pod %q", ctrName, podName))
		return
	}
	src, err := s.logSource(pod, ctrName, opts.previous)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	streamLogs(r.Context(), w, src, opts)
}

// logSource picks the attempt to read as the kubelet's validateContainerLogStatus does.
func (s *standin) logSource(pod *corev1.Pod, name string, previous bool) (*logSource, error) {
	uid := string(pod.UID)
	s.mu.Lock()
	run := s.runs[uid]
	s.mu.Unlock()
	var cs *corev1.ContainerStatus
	var kind ctrKind = -1
	var head headSpec
	if run != nil {
		run.mu.Lock()
		for _, c := range append(append([]*ctrState{}, run.init...), run.ctrs...) {
			if c.spec.Name == name {
				cs, kind = c.st.DeepCopy(), c.kind
			}
		}
		head = run.head
		run.mu.Unlock()
	}
	if cs == nil {
		for _, l := range [][]corev1.ContainerStatus{pod.Status.ContainerStatuses, pod.Status.InitContainerStatuses, pod.Status.EphemeralContainerStatuses} {
			for i := range l {
				if l[i].Name == name {
					cs = l[i].DeepCopy()
				}
			}
		}
		if pod.Labels[headLabelKey] == "head" && len(pod.Spec.Containers) > 0 && pod.Spec.Containers[0].Name == name {
			kind, head = kindHead, s.headFor(pod)
			for _, e := range pod.Spec.Containers[0].Env {
				if e.Name == envExitCode {
					kind = kindSim
				}
			}
		}
	}
	if cs == nil {
		return nil, fmt.Errorf("container %q in pod %q is not available", name, pod.Name)
	}
	last := cs.LastTerminationState.Terminated
	var cid string
	switch {
	case previous:
		if last == nil || last.ContainerID == "" {
			return nil, fmt.Errorf("previous terminated container %q in pod %q not found", name, pod.Name)
		}
		cid = last.ContainerID
	case cs.State.Running != nil:
		cid = cs.ContainerID
	case cs.State.Terminated != nil:
		cid = cs.State.Terminated.ContainerID
		if cid == "" {
			if last == nil || last.ContainerID == "" {
				return nil, fmt.Errorf("container %q in pod %q is terminated", name, pod.Name)
			}
			cid = last.ContainerID
		}
	case last != nil:
		if last.ContainerID == "" {
			return nil, fmt.Errorf("container %q in pod %q is terminated", name, pod.Name)
		}
		cid = last.ContainerID
	case cs.State.Waiting != nil:
		switch reason := cs.State.Waiting.Reason; reason {
		case "ErrImagePull":
			return nil, fmt.Errorf("container %q in pod %q is waiting to start: image can't be pulled", name, pod.Name)
		case "ImagePullBackOff":
			return nil, fmt.Errorf("container %q in pod %q is waiting to start: trying and failing to pull image", name, pod.Name)
		default:
			return nil, fmt.Errorf("container %q in pod %q is waiting to start: %v", name, pod.Name, reason)
		}
	default:
		return nil, fmt.Errorf("container %q in pod %q is waiting to start - no logs yet", name, pod.Name)
	}
	attempt, ok := attemptOf(uid, name, cid, cs.RestartCount)
	if !ok {
		return nil, fmt.Errorf("container %q in pod %q is not available", name, pod.Name)
	}
	running := func() bool { return s.attemptRunning(pod.Namespace, pod.Name, uid, name, attempt) }
	if kind == kindHead && head.logFile != "" {
		started := pod.CreationTimestamp.Time
		if cs.State.Running != nil {
			started = cs.State.Running.StartedAt.Time
		}
		return &logSource{plainfile: head.logFile, plainTime: started, running: running}, nil
	}
	return &logSource{crifile: s.criLogPath(pod.Namespace, pod.Name, uid, name, attempt), running: running}, nil
}

func (s *standin) attemptRunning(ns, name, uid, ctr string, attempt int) bool {
	s.mu.Lock()
	run := s.runs[uid]
	s.mu.Unlock()
	if run != nil {
		run.mu.Lock()
		defer run.mu.Unlock()
		if run.ctx.Err() != nil {
			return false
		}
		for _, c := range append(append([]*ctrState{}, run.init...), run.ctrs...) {
			if c.spec.Name == ctr {
				return c.attempt == attempt && c.st.State.Running != nil
			}
		}
		return false
	}
	pod, err := s.pods.Pods(ns).Get(name)
	if err != nil || string(pod.UID) != uid {
		return false
	}
	for _, st := range pod.Status.ContainerStatuses {
		if st.Name == ctr {
			return st.State.Running != nil && int(st.RestartCount) == attempt
		}
	}
	return false
}

// streamLogs writes the records of src as the kubelet's ReadLogs does: tail first, then since,
// stream, timestamps, limitBytes; with follow it keeps reading while the attempt runs.
func streamLogs(ctx context.Context, w http.ResponseWriter, src *logSource, o *logOptions) {
	flusher, _ := w.(http.Flusher)
	var budget int64 = -1
	if o.limitBytes > 0 {
		budget = o.limitBytes
	}
	newLine := true
	emit := func(recs []logRecord) bool {
		var b bytes.Buffer
		for _, r := range recs {
			if !o.since.IsZero() && r.ts.Before(o.since) {
				continue
			}
			if (o.stream == "Stdout" && r.stream != "stdout") || (o.stream == "Stderr" && r.stream != "stderr") {
				continue
			}
			var line []byte
			if o.timestamps && newLine {
				line = append(line, r.ts.UTC().Format(timeFormatOut)...)
				line = append(line, ' ')
			}
			line = append(line, r.text...)
			if !r.partial {
				line = append(line, '\n')
			}
			newLine = !r.partial
			if budget >= 0 && int64(len(line)) >= budget {
				b.Write(line[:budget])
				budget = 0
				break
			}
			if budget >= 0 {
				budget -= int64(len(line))
			}
			b.Write(line)
		}
		if b.Len() > 0 {
			_, _ = w.Write(b.Bytes())
			if flusher != nil {
				flusher.Flush()
			}
		}
		return budget != 0
	}
	read := func(offset int64) ([]logRecord, int64) {
		path := src.crifile
		if path == "" {
			path = src.plainfile
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, offset
		}
		defer f.Close()
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			return nil, offset
		}
		data, _ := io.ReadAll(bufio.NewReader(f))
		var recs []logRecord
		var n int
		if src.crifile != "" {
			recs, n = parseCRI(data)
		} else {
			ts := src.plainTime
			if offset > 0 {
				ts = time.Now()
			}
			recs, n = plainRecords(data, ts)
		}
		return recs, offset + int64(n)
	}
	recs, offset := read(0)
	if o.tailLines >= 0 && int64(len(recs)) > o.tailLines {
		recs = recs[int64(len(recs))-o.tailLines:]
	}
	if !emit(recs) || !o.follow {
		return
	}
	for {
		running := src.running()
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
		var more []logRecord
		more, offset = read(offset)
		if !emit(more) {
			return
		}
		if !running && len(more) == 0 {
			return
		}
	}
}
