package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/store"
)

func TestIDTags(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		full := charging.IDTag{IDTag: "RFID-1", Status: charging.AuthBlocked, ExpiryDate: ptr(at(24 * time.Hour)), ParentIDTag: "PARENT"}
		require.NoError(t, db.UpsertIDTag(ctx, full))
		got, err := db.GetIDTag(ctx, "RFID-1")
		require.NoError(t, err)
		want := full
		want.UpdatedAt = testNow
		require.Equal(t, want, got)

		// Upsert replaces every field.
		repl := charging.IDTag{IDTag: "RFID-1", Status: charging.AuthAccepted}
		require.NoError(t, db.UpsertIDTag(ctx, repl))
		got, err = db.GetIDTag(ctx, "RFID-1")
		require.NoError(t, err)
		repl.UpdatedAt = testNow
		require.Equal(t, repl, got)

		_, err = db.GetIDTag(ctx, "nope")
		requireCode(t, charging.CodeNotFound, err)

		for _, id := range []string{"C", "A", "B"} {
			require.NoError(t, db.UpsertIDTag(ctx, charging.IDTag{IDTag: id, Status: charging.AuthAccepted}))
		}
		list := func(offset, limit int) (ids []string, n int) {
			tags, n, err := db.ListIDTags(ctx, offset, limit)
			require.NoError(t, err)
			for _, tag := range tags {
				ids = append(ids, tag.IDTag)
			}
			return ids, n
		}
		ids, n := list(0, 0)
		require.Equal(t, []string{"A", "B", "C", "RFID-1"}, ids)
		require.Equal(t, 4, n)
		ids, n = list(1, 2)
		require.Equal(t, []string{"B", "C"}, ids)
		require.Equal(t, 4, n)
		ids, n = list(8, 2)
		require.Empty(t, ids)
		require.Equal(t, 4, n)

		require.NoError(t, db.DeleteIDTag(ctx, "B"))
		requireCode(t, charging.CodeNotFound, db.DeleteIDTag(ctx, "B"))
		_, err = db.GetIDTag(ctx, "B")
		requireCode(t, charging.CodeNotFound, err)
		_, n = list(0, 1)
		require.Equal(t, 3, n)
	})
}

func TestFrames(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		require.NoError(t, db.AddFrames(ctx, nil))
		const n = 1200 // three INSERT batches
		in := make([]charging.Frame, n)
		for i := range in {
			station := "A"
			if i%4 == 0 {
				station = "B" // frames of unknown stations are kept too
			}
			in[i] = charging.Frame{
				StationID: station, Direction: charging.DirIn, MessageType: 2, MessageID: fmt.Sprint("m", i),
				Action: "Heartbeat", Payload: fmt.Sprintf(`[2,"m%d","Heartbeat",{}]`, i), At: at(time.Duration(i) * time.Second),
			}
		}
		in[n-1].Direction, in[n-1].MessageType, in[n-1].Action = charging.DirOut, 3, ""
		require.NoError(t, db.AddFrames(ctx, in))

		all, err := db.ListFrames(ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, all, n)
		want := in[n-1]
		want.ID = all[0].ID
		require.Equal(t, want, all[0]) // newest first
		require.Equal(t, in[0].MessageID, all[n-1].MessageID)

		b, err := db.ListFrames(ctx, "B", 3)
		require.NoError(t, err)
		require.Len(t, b, 3)
		for i, f := range b {
			require.Equal(t, in[n-4-4*i].MessageID, f.MessageID)
		}

		// Same-millisecond frames come newest-inserted first.
		same := []charging.Frame{{StationID: "C", Direction: charging.DirIn, MessageID: "x1", At: at(10 * time.Hour)}, {StationID: "C", Direction: charging.DirOut, MessageID: "x2", At: at(10 * time.Hour)}}
		require.NoError(t, db.AddFrames(ctx, same))
		c, err := db.ListFrames(ctx, "C", 0)
		require.NoError(t, err)
		require.Equal(t, "x2", c[0].MessageID)

		pruned, err := db.PruneFrames(ctx, at(100*time.Second).In(time.FixedZone("Y", 3600)))
		require.NoError(t, err)
		require.Equal(t, int64(100), pruned)
		all, err = db.ListFrames(ctx, "", 0)
		require.NoError(t, err)
		require.Len(t, all, n+2-100)
		require.Equal(t, "m100", all[len(all)-1].MessageID)
		pruned, err = db.PruneFrames(ctx, at(100*time.Second))
		require.NoError(t, err)
		require.Zero(t, pruned)
	})
}
