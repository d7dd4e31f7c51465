package analysis

// Version names the analyser's behaviour. Flags are stored with each reply
// when it arrives, under this version; a reply whose stored version differs
// is analysed again when its month's summary is built. Raise it whenever a
// change makes Analyze return different flags for some text (the labelled
// tests show when).
const Version = 2
