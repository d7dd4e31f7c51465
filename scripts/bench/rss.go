package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// measureRSS builds steady and, on each database, runs `steady serve`
// twice against the SMTP sink: once with n subscribers all due (until all
// n prompts have arrived), once idle with m subscribers none of them due
// (through start-up, its first passes and a few more seconds). Each run
// reports the process's peak resident set (VmHWM) as BenchmarkServeRSS/
// <phase>/<database>/n=N with the unit MB.
func measureRSS(ctx context.Context, o options) ([]result, error) {
	dir, err := os.MkdirTemp("", "steady-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin := o.bin
	if bin == "" {
		bin = filepath.Join(dir, "steady")
		fmt.Fprintln(o.stderr, "--- go build -o", bin, "./cmd/steady")
		if _, err := goOutput(ctx, o.root, "build", "-o", bin, "./cmd/steady"); err != nil {
			return nil, err
		}
	}
	kinds := []string{"sqlite"}
	if o.pgURL != "" {
		kinds = append(kinds, "postgres")
	}
	idleWait := 65 * time.Second // past the next whole minute's scheduler tick and summary pass
	if o.quick {
		idleWait = 10 * time.Second
	}
	var out []result
	var errs []error
	for _, kind := range kinds {
		for _, p := range []phase{
			{name: "sending", n: o.size(10000, 100000)},
			{name: "idle", n: o.size(100000, 1000000), idle: idleWait},
		} {
			r, err := p.run(ctx, o, bin, dir, kind)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", p.name, kind, err))
				continue
			}
			out = append(out, r)
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
		}
	}
	return out, errors.Join(errs...)
}

// phase is one serve run: n subscribers, due unless idle is set (then
// how long to stay up once ready).
type phase struct {
	name string
	n    int
	idle time.Duration
}

func (p phase) run(ctx context.Context, o options, bin, dir, kind string) (result, error) {
	name := fmt.Sprintf("BenchmarkServeRSS/%s/%s/n=%d", p.name, kind, p.n)
	db, err := newDatabase(ctx, kind, dir, o.pgURL, p.name)
	if err != nil {
		return result{}, err
	}
	defer db.drop()
	slot := time.Now().Add(-time.Minute) // due at the first tick
	if p.idle > 0 {
		slot = time.Now().Add(12 * time.Hour)
	}
	t0 := time.Now()
	if err := db.seed(ctx, p.n, slot); err != nil {
		return result{}, err
	}
	fmt.Fprintf(o.stderr, "--- %s: seeded %d subscribers in %s\n", name, p.n, time.Since(t0).Round(time.Millisecond))

	mail, err := startSink()
	if err != nil {
		return result{}, err
	}
	defer mail.close()
	addr, err := freeAddr()
	if err != nil {
		return result{}, err
	}
	logDir := dir
	if o.logs != "" {
		logDir = o.logs
	}
	logFile, err := os.Create(filepath.Join(logDir, p.name+"-"+kind+".log"))
	if err != nil {
		return result{}, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(withoutSteady(os.Environ()),
		"STEADY_DATABASE_URL="+db.url,
		"STEADY_ADDR="+addr,
		"STEADY_SMTP_URL="+mail.url(),
		"STEADY_FROM=Steady <steady@example.org>",
		"STEADY_SECRET=bench-secret-0123456789abcdef0123456789",
		"STEADY_LOG_LEVEL=warn",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Dir = dir // where serve writes a PostgreSQL database's generated key
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stopServe(cmd, exited)
	sampling := make(chan struct{})
	defer close(sampling)
	peak := sampleRSS(cmd.Process.Pid, sampling)

	if p.idle > 0 {
		err = waitReady(ctx, addr, exited, 10*time.Minute)
		if err == nil {
			err = sleep(ctx, p.idle, exited)
		}
	} else {
		err = waitSent(ctx, mail, p.n, exited, time.Duration(p.n/20)*time.Second+2*time.Minute)
		if err == nil {
			err = sleep(ctx, 2*time.Second, exited)
		}
	}
	if err != nil {
		return result{}, fmt.Errorf("%w (log: %s)", err, tail(logFile.Name()))
	}
	hwm, err := peakRSS(cmd.Process.Pid)
	if err != nil {
		return result{}, err
	}
	elapsed := time.Since(start)
	at := peak.get()
	fmt.Fprintf(o.stderr, "--- %s: peak RSS %.1f MB (sampled peak %.1f MB: anonymous %.1f, file %.1f), %d messages in %d SMTP sessions, %s\n",
		name, hwm, at.rss, at.anon, at.file, mail.messages.Load(), mail.sessions.Load(), elapsed.Round(time.Millisecond))
	return result{Name: name, Metrics: map[string]float64{"MB": hwm, "s": elapsed.Seconds(), "msgs": float64(mail.messages.Load())}}, nil
}

// waitSent waits until the sink has received n messages.
func waitSent(ctx context.Context, mail *sink, n int, exited <-chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for mail.messages.Load() < int64(n) {
		if time.Now().After(deadline) {
			return fmt.Errorf("only %d of %d messages arrived in %s", mail.messages.Load(), n, limit)
		}
		if err := sleep(ctx, 200*time.Millisecond, exited); err != nil {
			return err
		}
	}
	return nil
}

// waitReady waits until serve answers /readyz with 200.
func waitReady(ctx context.Context, addr string, exited <-chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		if resp, err := client.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("serve not ready after %s", limit)
		}
		if err := sleep(ctx, 200*time.Millisecond, exited); err != nil {
			return err
		}
	}
}

// sleep waits d, unless ctx ends or serve exits first.
func sleep(ctx context.Context, d time.Duration, exited <-chan error) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case err := <-exited:
		return fmt.Errorf("serve exited early: %v", err)
	case <-time.After(d):
		return nil
	}
}

func stopServe(cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// rssSample is one reading of /proc/PID/status, in MB.
type rssSample struct{ rss, anon, file float64 }

// rssPeak is the largest sample so far, for telling the Go heap
// (anonymous memory) from the binary's mapped pages (file).
type rssPeak struct {
	mu  sync.Mutex
	max rssSample
}

func (p *rssPeak) get() rssSample {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// sampleRSS reads the process's resident set every 100 ms until done is
// closed.
func sampleRSS(pid int, done <-chan struct{}) *rssPeak {
	p := &rssPeak{}
	go func() {
		for {
			if s, err := readStatus(pid); err == nil {
				p.mu.Lock()
				if s.rss > p.max.rss {
					p.max = s
				}
				p.mu.Unlock()
			}
			select {
			case <-time.After(100 * time.Millisecond):
			case <-done:
				return
			}
		}
	}()
	return p
}

func readStatus(pid int) (rssSample, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return rssSample{}, err
	}
	var s rssSample
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			s.rss = kb / 1024
		case "RssAnon":
			s.anon = kb / 1024
		case "RssFile":
			s.file = kb / 1024
		}
	}
	return s, nil
}

// peakRSS is VmHWM of process pid, in MB (2^20 bytes).
func peakRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("peak RSS needs Linux's /proc: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			if err != nil {
				return 0, err
			}
			return kb / 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func withoutSteady(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "STEADY_") {
			out = append(out, kv)
		}
	}
	return out
}

// tail is the last lines of a log file, for an error.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return path
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-5):], " | ")
}
