package themes

import steady "github.com/steadyapp/steady"

// rotation orders the prompts into one cyclic sequence (indexes into
// prompts) in which themes take turns and, when at all possible, no two
// neighbours share a theme, the last and the first included.
//
// It starts from rounds: the first prompt of each theme in theme order,
// then the second of each, and so on; a theme with fewer prompts drops out
// of later rounds. That alone never puts a theme twice in a row unless one
// theme has more prompts than every other, and then only in the last
// rounds (or across the wrap). Each such prompt is moved back to the
// nearest earlier gap whose neighbours are both of other themes. Every move
// removes at least one clash and adds none, so the repair ends; a clash
// with no such gap anywhere (one theme holds more than half the catalog)
// is left in place.
func rotation(prompts []steady.Prompt) []int {
	byTheme := make([][]int, len(all))
	for i, p := range prompts {
		r := rank(p.Theme)
		byTheme[r] = append(byTheme[r], i)
	}
	var seq []int
	for round := 0; ; round++ {
		added := false
		for _, ids := range byTheme {
			if round < len(ids) {
				seq = append(seq, ids[round])
				added = true
			}
		}
		if !added {
			break
		}
	}

	theme := func(k int) string { return prompts[seq[k]].Theme }
	n := len(seq)
	if n < 3 {
		return seq
	}
	for moved := true; moved; {
		moved = false
		for k := 1; k <= n && !moved; k++ {
			// Pair (k-1, k), where k == n is the wrap pair (n-1, 0); the
			// later element, seq[k] (or seq[n-1] for the wrap), moves.
			from := k
			if k == n {
				if theme(n-1) != theme(0) {
					continue
				}
				from = n - 1
			} else if theme(k-1) != theme(k) {
				continue
			}
			moved = moveToGap(prompts, &seq, from)
		}
	}
	return seq
}

// moveToGap moves seq[from] into the nearest gap before it (searching
// backwards, cyclically) whose two neighbours both have another theme. It
// reports whether it found one.
func moveToGap(prompts []steady.Prompt, seq *[]int, from int) bool {
	s := *seq
	t := prompts[s[from]].Theme
	rest := append(append([]int(nil), s[:from]...), s[from+1:]...)
	m := len(rest)
	// Gap g sits between rest[g-1] and rest[g] (g == 0: between the last
	// and the first). The element was at gap index from in rest.
	for step := 1; step <= m; step++ {
		g := ((from-step)%m + m) % m
		before, after := rest[(g-1+m)%m], rest[g]
		if prompts[before].Theme == t || prompts[after].Theme == t {
			continue
		}
		out := make([]int, 0, len(s))
		out = append(out, rest[:g]...)
		out = append(out, s[from])
		out = append(out, rest[g:]...)
		*seq = out
		return true
	}
	return false
}
