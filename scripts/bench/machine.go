package main

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strings"
	"time"
)

// machine is where the figures came from.
type machine struct {
	CPU   string
	Cores int
	Go    string
	Date  time.Time
}

func describeMachine(ctx context.Context, root string) machine {
	m := machine{CPU: "unknown CPU", Cores: runtime.NumCPU(), Go: runtime.Version(), Date: time.Now().UTC()}
	if v, err := goOutput(ctx, root, "version"); err == nil {
		m.Go = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "go version "))
	}
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			m.CPU = strings.TrimSpace(v)
			break
		}
	}
	return m
}
