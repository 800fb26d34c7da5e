// runstat runs one command and prints, as one JSON line on stdout, its wall time and its
// rusage (peak resident set size, CPU times), measured from fork to exit by the kernel's
// wait4, so the bench times every tool (node, kubeconform) the same way and without its own
// start-up in the figure. The command's stdout and stderr go to the files given.
//
//	runstat -stdout out.txt -stderr err.txt -- node dist/cli/index.js lint data
//
// Standard library only: the bench builds it with `go build` (no module download).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

type result struct {
	WallNs   int64 `json:"wallNs"`
	UserNs   int64 `json:"userNs"`
	SysNs    int64 `json:"sysNs"`
	MaxRSSKb int64 `json:"maxRssKb"`
	Exit     int   `json:"exit"`
}

func open(path string) *os.File {
	if path == "" {
		path = os.DevNull
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "runstat:", err)
		os.Exit(125)
	}
	return f
}

func main() {
	stdout := flag.String("stdout", "", "file for the command's stdout (default: discard)")
	stderr := flag.String("stderr", "", "file for the command's stderr (default: discard)")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: runstat [-stdout file] [-stderr file] -- command [args...]")
		os.Exit(125)
	}
	out, errf := open(*stdout), open(*stderr)
	defer out.Close()
	defer errf.Close()

	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = out, errf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "runstat:", err)
		os.Exit(125)
	}
	_ = cmd.Wait() // a non-zero exit is reported, not fatal: a linter exits 1 on findings
	wall := time.Since(start)

	r := result{WallNs: wall.Nanoseconds(), Exit: cmd.ProcessState.ExitCode()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.UserNs = ru.Utime.Nano()
		r.SysNs = ru.Stime.Nano()
		r.MaxRSSKb = int64(ru.Maxrss) // kilobytes on Linux
		if runtime.GOOS == "darwin" {
			r.MaxRSSKb /= 1024 // bytes there
		}
	}
	line, _ := json.Marshal(r)
	fmt.Println(string(line))
}
