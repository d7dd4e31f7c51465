package account

import (
	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/zones"
)

// resolveZone reads the time zone a person typed or chose as the IANA
// name to store, as sign-up reads it (zones.Resolve: an IANA name in any
// case, a city such as "london", or an alias such as "Eastern"); what it
// cannot place is a timezone error with suggestions.
func resolveZone(typed string) (string, error) {
	name, err := zones.Resolve(typed)
	if err != nil {
		return "", steady.Invalid("timezone", "%s", err.Error())
	}
	if _, err := steady.LoadLocation(name); err != nil {
		return "", err
	}
	return name, nil
}
