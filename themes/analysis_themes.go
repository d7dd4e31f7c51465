package themes

// Safety is the analyser's extra theme: physical harm, threats, or fear of
// the partner. It is only ever red, has no prompts, and is never shown in
// an email subject or an SMS preview.
const Safety = "safety"

// Known reports whether id is a theme the analyser can flag: a prompt theme
// or Safety.
func Known(id string) bool {
	_, ok := Lookup(id)
	return ok || id == Safety
}

// AnalysisThemes is every theme the analyser can flag, Safety first (the
// order summaries use for ties).
func AnalysisThemes() []string {
	ids := []string{Safety}
	for _, t := range all {
		ids = append(ids, t.ID)
	}
	return ids
}

// Name is the display name of an analysis theme.
func Name(id string) string {
	if id == Safety {
		return "Safety"
	}
	if t, ok := Lookup(id); ok {
		return t.Name
	}
	return id
}
