package account

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/summary"
)

// DataExport is a subscriber's own download: the same JSON as
// `steady subscribers export` (steady.Export, whose field names are a
// stable contract), plus their preferences.
type DataExport struct {
	steady.Export
	Preferences ExportedPreferences `json:"preferences"`
}

// ExportedPreferences are the subscriber's own choices in an export.
type ExportedPreferences struct {
	Discreet     bool `json:"discreet"`
	SummariesOff bool `json:"summaries_off"`
	Resurface    bool `json:"resurface"`
}

// Export gathers everything held about sub: the subscriber's own download
// and `steady subscribers export` both print it.
func Export(ctx context.Context, st DataStore, now time.Time, sub steady.Subscriber) (DataExport, error) {
	consents, err := st.Consents(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	deliveries, err := st.Deliveries(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	replies, err := st.Replies(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	summaries, err := st.Summaries(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	notices, err := st.SafetyNotices(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	bounces, err := st.Bounces(ctx, sub.ID)
	if err != nil {
		return DataExport{}, err
	}
	ex := steady.NewExport(now, sub, consents, deliveries, replies)
	ex.AddSummaries(summaries)
	ex.AddSafetyNotices(notices)
	for _, b := range bounces {
		ex.AddBounce(b.DeliveryID, b.ReceivedAt)
	}
	return DataExport{Export: ex, Preferences: ExportedPreferences{
		Discreet: sub.Discreet, SummariesOff: sub.SummariesOff, Resurface: sub.Resurface}}, nil
}

type exportPage struct {
	JSON, HTML, Back string
}

// exportPage is GET /settings/export: the two downloads.
func (d *Data) exportPage(w http.ResponseWriter, r *http.Request, s session) {
	d.render(w, r, s, http.StatusOK, "data_export", "Download your data", exportPage{
		JSON: s.link("/settings/export/my-data.json", nil),
		HTML: s.link("/settings/export/my-data.html", nil),
		Back: s.link("/settings/reflections", nil),
	})
}

// download sends body as an attachment named my-data-DATE.ext: a neutral
// name, in case someone else looks at the downloads folder.
func (d *Data) download(w http.ResponseWriter, contentType, ext string, body []byte) {
	name := fmt.Sprintf("my-data-%s.%s", d.cfg.Clock.Now().UTC().Format("2006-01-02"), ext)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Opened in the browser instead of saved, the page may load nothing.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write(body)
}

// exportJSON is GET /settings/export/my-data.json.
func (d *Data) exportJSON(w http.ResponseWriter, r *http.Request, s session) {
	ex, err := Export(r.Context(), d.cfg.Store, d.cfg.Clock.Now(), s.sub)
	if err != nil {
		d.failInternal(w, r, s, "export", err)
		return
	}
	body, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		d.failInternal(w, r, s, "export", err)
		return
	}
	d.log.InfoContext(r.Context(), "account: data exported", slog.Int64("subscriber_id", s.sub.ID), slog.String("format", "json"))
	d.download(w, "application/json; charset=utf-8", "json", append(body, '\n'))
}

// fileReply is one reply in the HTML export, with its prompt.
type fileReply struct {
	Date       time.Time
	PromptText string
	Body       string
}

// fileSummary is one summary in the HTML export.
type fileSummary struct {
	Month  string
	Status steady.SummaryStatus
	Data   summary.Data
	OK     bool // Data could be read
}

type exportFile struct {
	Program string
	Export  DataExport
	Loc     *time.Location
	Replies []fileReply
	Sums    []fileSummary
}

// exportHTML is GET /settings/export/my-data.html: the same, as one
// self-contained page (inline styles, no scripts, images or links to
// load), readable and printable.
func (d *Data) exportHTML(w http.ResponseWriter, r *http.Request, s session) {
	ex, err := Export(r.Context(), d.cfg.Store, d.cfg.Clock.Now(), s.sub)
	if err != nil {
		d.failInternal(w, r, s, "export", err)
		return
	}
	loc := location(s.sub)
	f := exportFile{Program: d.cfg.ProgramName, Export: ex, Loc: loc}
	prompts := map[int64]string{}
	for _, dl := range ex.Deliveries {
		prompts[dl.ID] = dl.PromptText
	}
	for _, rp := range slices.Backward(ex.Replies) {
		fr := fileReply{Date: rp.ReceivedAt.In(loc), Body: rp.Body}
		if rp.DeliveryID != nil {
			fr.PromptText = prompts[*rp.DeliveryID]
		}
		f.Replies = append(f.Replies, fr)
	}
	for _, sm := range ex.Summaries {
		fs := fileSummary{Month: sm.Month, Status: sm.Status}
		fs.OK = json.Unmarshal(sm.Content, &fs.Data) == nil
		f.Sums = append(f.Sums, fs)
	}
	var buf bytes.Buffer
	if err := d.file.Execute(&buf, f); err != nil {
		d.failInternal(w, r, s, "export", err)
		return
	}
	d.log.InfoContext(r.Context(), "account: data exported", slog.Int64("subscriber_id", s.sub.ID), slog.String("format", "html"))
	d.download(w, "text/html; charset=utf-8", "html", buf.Bytes())
}
