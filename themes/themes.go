package themes

import steady "github.com/steadyapp/steady"

// Theme ids. They are stored with deliveries and replies: never rename one.
const (
	Honesty       = "honesty"
	KeepingWord   = "keeping_word"
	Trust         = "trust"
	Confiding     = "confiding"
	HasYourBack   = "has_your_back"
	Distancing    = "distancing"
	FearDoubt     = "fear_doubt"
	Friendship    = "friendship"
	Dependability = "dependability"
)

// all is the themes in their fixed order. Unexported so nobody can change
// it; All returns a copy.
var all = [...]steady.Theme{
	{ID: Honesty, Name: "Honesty",
		Summary: "Telling each other the truth, about small things and hard things, without wondering what is left out."},
	{ID: KeepingWord, Name: "Keeping their word",
		Summary: "Doing what they said they would do, so promises and plans can be relied on."},
	{ID: Trust, Name: "Trust",
		Summary: "Feeling at ease with each other, without needing to check up, and being trusted in return."},
	{ID: Confiding, Name: "Confiding",
		Summary: "Being able to share your feelings, worries and thoughts openly, and having them met with care."},
	{ID: HasYourBack, Name: "Having your back",
		Summary: "Standing with you when it counts: in hard moments and in front of family and friends."},
	{ID: Distancing, Name: "Distancing",
		Summary: "Whether your partner stays near when things get tough, or pulls away and sides with others."},
	{ID: FearDoubt, Name: "Fear and doubt",
		Summary: "Whether your partner acts from confidence in you both, or from fear of others and doubt about you."},
	{ID: Friendship, Name: "Friendship",
		Summary: "Being best friends: enjoying each other, talking easily and liking who you are together."},
	{ID: Dependability, Name: "Dependability",
		Summary: "Being able to lean on your partner for help, reassurance and stability, every day and in hard times."},
}

// All returns every theme in its fixed order.
func All() []steady.Theme {
	return append([]steady.Theme(nil), all[:]...)
}

// Lookup returns the theme with the given id.
func Lookup(id string) (steady.Theme, bool) {
	for _, t := range all {
		if t.ID == id {
			return t, true
		}
	}
	return steady.Theme{}, false
}

// rank is a theme's position in the fixed order, or -1.
func rank(id string) int {
	for i, t := range all {
		if t.ID == id {
			return i
		}
	}
	return -1
}
