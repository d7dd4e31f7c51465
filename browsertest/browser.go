package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// EnvChromium names the environment variable holding the browser to run;
// without it the first of chromium, chromium-browser, google-chrome and
// google-chrome-stable on PATH is used.
const EnvChromium = "STEADY_CHROMIUM"

// ErrNoBrowser is returned by FindChromium when no browser is installed.
var ErrNoBrowser = errors.New("browsertest: no Chromium found (install the chromium package, or set " + EnvChromium + " to a Chromium or Chrome binary)")

// FindChromium returns the path of the browser to drive, or ErrNoBrowser.
func FindChromium(getenv func(string) string) (string, error) {
	if p := getenv(EnvChromium); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("browsertest: %s=%s: %w", EnvChromium, p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Browser is one headless Chromium process, shared by every test of a
// package run; each test gets a tab in a browser context of its own (its
// own cookies), so tests may run in parallel.
type Browser struct {
	ctx    context.Context // the browser's first tab: it keeps the process alive
	cancel func()
}

// Start launches headless Chromium at path. Close it when done.
func Start(path string) (*Browser, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox refuses to start
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-GB"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	cancel := func() { cancelCtx(); cancelAlloc() }
	// The first Run starts the process; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("browsertest: start %s: %w", path, err)
	}
	return &Browser{ctx: ctx, cancel: cancel}, nil
}

// Close ends the browser process.
func (b *Browser) Close() { b.cancel() }
