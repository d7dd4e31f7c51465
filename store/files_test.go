package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// secure_delete is a setting of each connection, not of the file, so every
// connection the pool opens must have it.
func TestSecureDeleteOnEveryConnection(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	modes, err := db.SecureDeleteForTest(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range modes {
		if m != 1 {
			t.Errorf("connection %d: secure_delete = %d, want 1", i, m)
		}
	}
}

// After DeleteSubscriber and Checkpoint, a reply's words are in none of
// SQLite's files, read as raw bytes, while the database is still open and
// after it is closed.
func TestErasedReplyIsInNoSQLiteFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "steady.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	sub := active(t, db, "erase@example.com", t0)
	if _, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil {
		t.Fatal(err)
	}
	ds := mustDeliveries(t, db, sub.ID)
	const marker = "store-erase-marker-5d1f0c9a" // in no template, prompt or fixture
	if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[len(ds)-1].ID,
		Channel: steady.ChannelWeb, Body: "NO. " + marker, ReceivedAt: t0, SourceID: "form-erase"}); err != nil {
		t.Fatal(err)
	}
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) == 0 {
		t.Fatal("the marker is in no SQLite file before the delete; the check would prove nothing")
	}
	if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
		t.Fatal(err)
	}
	if err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) != 0 {
		t.Errorf("after the delete, still open: the marker is in %v", found)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if found := storetest.SQLiteFilesContaining(t, path, marker); len(found) != 0 {
		t.Errorf("after the delete and close: the marker is in %v", found)
	}
}

// On PostgreSQL, Checkpoint does nothing and no file is loose.
func TestCheckpointAndLooseFilesOnPostgres(t *testing.T) {
	t.Parallel()
	db := storetest.Postgres(t)
	if err := db.Checkpoint(context.Background()); err != nil {
		t.Errorf("Checkpoint: %v", err)
	}
	if loose, err := db.LooseFiles(); loose != nil || err != nil {
		t.Errorf("LooseFiles = %v, %v", loose, err)
	}
}
