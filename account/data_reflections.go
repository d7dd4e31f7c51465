package account

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

// ReflectionsPerPage is how many reflections one page shows.
const ReflectionsPerPage = 50

// maxPage bounds ?page, so an absurd number is one empty page, not an
// overflow.
const maxPage = 100000

// maxQuery bounds the search text, in bytes.
const maxQuery = 200

type reflectionItem struct {
	ID         int64
	Date       time.Time // in the subscriber's zone
	PromptText string
	Body       string
}

type reflectionsPage struct {
	Query      string
	Page       int
	Total      int
	Items      []reflectionItem
	Prev, Next string // links, or ""
	Removed    bool
	Action     string // the delete form's action
	Export     string
	Delete     string
	All        string // the unsearched list
	Settings   string // the settings page (account.go)
	S          string // the session value, for the search form, when not in a cookie
}

// reflections is GET /settings/reflections: the subscriber's replies,
// newest first, ?q= searching them, ?page= paging.
func (d *Data) reflections(w http.ResponseWriter, r *http.Request, s session) {
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if len(query) > maxQuery {
		query = strings.ToValidUTF8(query[:maxQuery], "")
	}
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	page = min(page, maxPage)
	items, total, err := d.cfg.Store.Reflections(r.Context(), s.sub.ID, query, ReflectionsPerPage, (page-1)*ReflectionsPerPage)
	if err != nil {
		d.failInternal(w, r, s, "reflections", err)
		return
	}
	loc := location(s.sub)
	p := reflectionsPage{Query: query, Page: page, Total: total, Removed: q.Get("removed") == "1",
		Action: s.link("/settings/reflections/delete", nil),
		Export: s.link("/settings/export", nil), Delete: s.link("/settings/delete", nil),
		All: s.link("/settings/reflections", nil), Settings: s.link("/settings", nil)}
	if !s.cookie {
		p.S = s.value
	}
	for _, it := range items {
		p.Items = append(p.Items, reflectionItem{ID: it.Reply.ID, Date: it.Reply.ReceivedAt.In(loc), PromptText: it.PromptText, Body: it.Reply.Body})
	}
	at := func(n int) string {
		v := url.Values{}
		if query != "" {
			v.Set("q", query)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return s.link("/settings/reflections", v)
	}
	if page > 1 {
		p.Prev = at(page - 1)
	}
	if page*ReflectionsPerPage < total {
		p.Next = at(page + 1)
	}
	d.render(w, r, s, http.StatusOK, "data_reflections", "My reflections", p)
}

// deleteReflection is POST /settings/reflections/delete: id (one of the
// subscriber's replies) and t (the session value). The reply goes, and
// its words go from the summaries already stored, in one transaction; a
// summary built later never sees it. Someone else's id deletes nothing.
func (d *Data) deleteReflection(w http.ResponseWriter, r *http.Request, s session) {
	if !postedSession(r, s) {
		d.failSession(w, r, s)
		return
	}
	back := s.link("/settings/reflections", nil)
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil || id <= 0 {
		d.fail(w, r, s, http.StatusBadRequest, dataProblem{Heading: "Nothing was removed",
			Message: "The form did not say which reflection to remove.", Back: back})
		return
	}
	err = d.cfg.Store.Atomically(r.Context(), func(ctx context.Context) error {
		gone, err := d.cfg.Store.DeleteReply(ctx, s.sub.ID, id)
		if err != nil {
			return err
		}
		return d.redactSummaries(ctx, s.sub, gone)
	})
	switch {
	case errors.Is(err, steady.ErrNotFound):
		d.fail(w, r, s, http.StatusNotFound, dataProblem{Heading: "That reflection is not here",
			Message: "It may have been removed already. Nothing else was changed.", Back: back})
		return
	case err != nil:
		d.failInternal(w, r, s, "delete reflection", err)
		return
	}
	d.log.InfoContext(r.Context(), "account: reflection removed", slog.Int64("subscriber_id", s.sub.ID), slog.Int64("reply_id", id))
	d.checkpoint(r.Context(), s.sub.ID)
	v := url.Values{"removed": {"1"}}
	if query := strings.TrimSpace(r.PostFormValue("q")); query != "" && len(query) <= maxQuery {
		v.Set("q", query)
	}
	if page, err := strconv.Atoi(r.PostFormValue("page")); err == nil && page > 1 && page <= maxPage {
		v.Set("page", strconv.Itoa(page))
	}
	http.Redirect(w, r, s.link("/settings/reflections", v), http.StatusSeeOther)
}
