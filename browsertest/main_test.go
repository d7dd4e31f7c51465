package browsertest

import (
	"fmt"
	"os"
	"testing"
)

// browser is the one Chromium of this package run, started by TestMain; nil
// when none is installed (every test then skips, saying why).
var browser *Browser

// noBrowser says why browser is nil.
var noBrowser error

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	path, err := FindChromium(os.Getenv)
	if err == nil {
		browser, err = Start(path)
	}
	if err != nil {
		noBrowser = err
		fmt.Fprintln(os.Stderr, "browsertest: browser tests will skip:", err)
		return m.Run()
	}
	defer browser.Close()
	return m.Run()
}

// needBrowser skips t when no browser could be started.
func needBrowser(t *testing.T) *Browser {
	t.Helper()
	if browser == nil {
		t.Skip(noBrowser.Error())
	}
	return browser
}
