package chaos

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testSecret is STEADY_SECRET for every worker of a run (32 characters), so
// they all make the same links and Message-IDs.
const testSecret = "chaos-secret-0123456789abcdef012"

// readyWithin bounds a worker's start: process up, URL printed, /healthz OK.
const readyWithin = 30 * time.Second

// workerEnv is the environment of `steady serve` against dbURL and the test
// SMTP server at smtpURL, with STEADY_SEND_TIMEOUT sendTimeout (which also
// sets a claim's lease: twice the send timeout + 10 s, and the SMTP
// conversation's limit: the send timeout itself).
func workerEnv(dbURL, smtpURL, sendTimeout string) map[string]string {
	return map[string]string{
		"STEADY_DATABASE_URL":     dbURL,
		"STEADY_ADDR":             "127.0.0.1:0",
		"STEADY_SMTP_URL":         smtpURL,
		"STEADY_FROM":             "Steady <steady@example.org>",
		"STEADY_SECRET":           testSecret,
		"STEADY_LOG_LEVEL":        "warn",
		"STEADY_SEND_TIMEOUT":     sendTimeout,
		"STEADY_SHUTDOWN_TIMEOUT": "3s",
	}
}

// worker is one `steady serve` slot: a process the test starts, kills and
// starts again. Its stdout and stderr go to files under t.TempDir(), every
// start appended after a marker line; the stderr tail is logged if the test
// fails. The process is killed when the test ends.
type worker struct {
	t          *testing.T
	name       string
	bin        string
	env        []string
	stdoutPath string
	stderrPath string

	proc   *proc // the current or last process; nil before the first start
	starts int
}

// proc is one started process.
type proc struct {
	cmd       *exec.Cmd
	exited    chan struct{} // closed once Wait has returned
	err       error         // Wait's error, set before exited is closed
	signalled bool          // the test sent it a signal
	url       string        // base URL it printed, e.g. http://127.0.0.1:43121
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

func newWorker(t *testing.T, name, bin string, vars map[string]string) *worker {
	t.Helper()
	dir := t.TempDir()
	w := &worker{
		t:          t,
		name:       name,
		bin:        bin,
		env:        environ(vars),
		stdoutPath: filepath.Join(dir, name+".stdout"),
		stderrPath: filepath.Join(dir, name+".stderr"),
	}
	t.Cleanup(func() {
		w.kill()
		if t.Failed() {
			t.Logf("%s: %d start(s); last lines of %s:\n%s", w.name, w.starts, w.stderrPath, tail(w.stderrPath, 40))
		}
	})
	return w
}

// environ is this process's environment without any STEADY_ variable,
// plus vars.
func environ(vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STEADY_") {
			env = append(env, kv)
		}
	}
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+vars[k])
	}
	return env
}

// start runs `steady serve` and returns once it answers GET /healthz. A
// worker that does not get there within readyWithin is killed.
func (w *worker) start() error {
	if w.proc != nil && w.proc.running() {
		return fmt.Errorf("%s: already running", w.name)
	}
	w.starts++
	marker := fmt.Sprintf("--- %s start %d at %s ---\n", w.name, w.starts, time.Now().Format("15:04:05.000"))
	stderr, err := os.OpenFile(w.stderrPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	stdoutFile, err := os.OpenFile(w.stdoutPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		stderr.Close()
		return err
	}
	stderr.WriteString(marker)
	stdoutFile.WriteString(marker)
	found := make(chan string, 1)

	cmd := exec.Command(w.bin, "serve")
	cmd.Env = w.env
	cmd.Stdout = &urlWatcher{w: stdoutFile, found: found}
	cmd.Stderr = stderr
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		stderr.Close()
		stdoutFile.Close()
		return fmt.Errorf("%s: start: %w", w.name, err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	w.proc = p
	go func() {
		p.err = cmd.Wait()
		stderr.Close()
		stdoutFile.Close()
		close(p.exited)
	}()

	deadline := time.NewTimer(readyWithin)
	defer deadline.Stop()
	select {
	case p.url = <-found:
	case <-p.exited:
		return fmt.Errorf("%s: exited before printing its URL: %v", w.name, p.err)
	case <-deadline.C:
		w.kill()
		return fmt.Errorf("%s: printed no URL within %v", w.name, readyWithin)
	}
	if u, err := url.Parse(p.url); err != nil || u.Hostname() != "127.0.0.1" {
		w.kill()
		return fmt.Errorf("%s: printed URL %q, want one on 127.0.0.1", w.name, p.url)
	}
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.exited:
			return fmt.Errorf("%s: exited before /healthz answered: %v", w.name, p.err)
		case <-deadline.C:
			w.kill()
			return fmt.Errorf("%s: /healthz did not answer 200 within %v (last error %v)", w.name, readyWithin, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// exitedOnItsOwn reports a process that ended without a signal from the
// test, with its Wait error.
func (w *worker) exitedOnItsOwn() (bool, error) {
	if w.proc == nil || w.proc.running() || w.proc.signalled {
		return false, nil
	}
	return true, w.proc.err
}

// kill sends SIGKILL and waits for the process to go. It reports whether
// there was a running process to kill.
func (w *worker) kill() bool {
	p := w.proc
	if p == nil || !p.running() {
		return false
	}
	p.signalled = true
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		w.t.Errorf("%s: SIGKILL: %v", w.name, err)
	}
	select {
	case <-p.exited:
	case <-time.After(10 * time.Second):
		w.t.Errorf("%s: still running 10s after SIGKILL", w.name)
	}
	return true
}

// stopResult is how a SIGTERM went.
type stopResult struct {
	byItself bool          // exited before grace ran out; else it was killed
	took     time.Duration // from SIGTERM to exit
	err      error         // Wait's error
}

func (r stopResult) String() string {
	how := "exited by itself"
	if !r.byItself {
		how = "was SIGKILLed"
	}
	return fmt.Sprintf("%s after %v (%v)", how, r.took.Round(10*time.Millisecond), exitText(r.err))
}

// stop sends SIGTERM, and SIGKILL if the process is still there after
// grace, as Docker does.
func (w *worker) stop(grace time.Duration) stopResult {
	p := w.proc
	if p == nil || !p.running() {
		return stopResult{byItself: true}
	}
	p.signalled = true
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		w.t.Errorf("%s: SIGTERM: %v", w.name, err)
	}
	select {
	case <-p.exited:
		return stopResult{byItself: true, took: time.Since(start), err: p.err}
	case <-time.After(grace):
	}
	w.kill()
	return stopResult{took: time.Since(start), err: p.err}
}

func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// urlWatcher copies a worker's stdout to w and sends the base URL from the
// line "Steady is running. Open http://…/ in your browser." to found once.
// exec.Cmd calls Write from one goroutine.
type urlWatcher struct {
	w     *os.File
	found chan string
	line  []byte
	sent  bool
}

var runningLine = regexp.MustCompile(`Open (http://\S+?)/ in your browser`)

func (u *urlWatcher) Write(b []byte) (int, error) {
	if _, err := u.w.Write(b); err != nil {
		return 0, err
	}
	if u.sent {
		return len(b), nil
	}
	u.line = append(u.line, b...)
	for {
		i := bytes.IndexByte(u.line, '\n')
		if i < 0 {
			break
		}
		if m := runningLine.FindSubmatch(u.line[:i]); m != nil {
			u.found <- string(m[1])
			u.sent, u.line = true, nil
			break
		}
		u.line = u.line[i+1:]
	}
	return len(b), nil
}

// tail is the last n lines of the file at path.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
