package account

import (
	"strings"

	"github.com/steadyapp/steady"
)

// resolveZone reads the time zone a person typed or chose as the IANA
// name to store. It is the one place zone names are read, so alias
// resolution ("London", "EST") can replace it.
func resolveZone(typed string) (string, error) {
	name := strings.TrimSpace(typed)
	if _, err := steady.LoadLocation(name); err != nil {
		return "", err
	}
	return name, nil
}
