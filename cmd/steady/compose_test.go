package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestComposeFile checks what docker-compose.yml promises: every image
// pinned to a version (never latest or untagged), and the steady
// service's healthcheck running a subcommand this binary has (the
// distroless image has no shell or curl).
func TestComposeFile(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	images := regexp.MustCompile(`(?m)^\s+image:\s*(\S+)\s*$`).FindAllStringSubmatch(text, -1)
	if len(images) == 0 {
		t.Fatal("no image: lines")
	}
	for _, m := range images {
		_, tag, ok := strings.Cut(m[1], ":")
		if !ok || tag == "" || tag == "latest" || !regexp.MustCompile(`\d`).MatchString(tag) {
			t.Errorf("image %s is not pinned to a version", m[1])
		}
	}
	hc := regexp.MustCompile(`test: \["CMD", "/usr/local/bin/steady", "([a-z-]+)"\]`).FindStringSubmatch(text)
	if hc == nil {
		t.Fatal("the steady service has no healthcheck running the steady binary")
	}
	found := false
	for _, c := range commands() {
		found = found || c.name == hc[1]
	}
	if !found {
		t.Errorf("the healthcheck runs steady %s, which is not a command", hc[1])
	}
	docker, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docker), "COPY --from=build /out/steady /usr/local/bin/steady") {
		t.Error("the Dockerfile no longer puts the binary where the healthcheck calls it")
	}
}
