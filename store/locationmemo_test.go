package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// TestLocationKeyReadWithTheTransaction: inside a transaction, GetTransaction and UpsertConnector
// also read the key of the station's location, and LocationKeyOfStation answers from it, until
// the transaction itself writes station links.
var errRollback = errors.New("roll back")

func TestLocationKeyReadWithTheTransaction(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, id := range []string{"CP-IN", "CP-OUT"} {
			newStation(t, db, id)
		}
		_, err := db.Roaming().PutLocation(ctx, &roaming.Location{OCPI: testLocation("LOC-1", testNow), StationIDs: []string{"CP-IN"}})
		require.NoError(t, err)
		txOf := map[string]int64{}
		for _, id := range []string{"CP-IN", "CP-OUT"} {
			tx := charging.Transaction{StationID: id, StartKey: "k-" + id, Status: charging.TxActive, StartedAt: testNow, StartReceivedAt: testNow}
			require.NoError(t, db.CreateTransaction(ctx, &tx))
			txOf[id] = tx.ID
		}

		var results []string // what LocationKeyOfStation answered, in order (no require inside InTx)
		answer := func(st charging.Store, stationID string) {
			key, err := st.(*store.DB).Roaming().LocationKeyOfStation(ctx, stationID)
			switch {
			case charging.IsNotFound(err):
				results = append(results, stationID+": none")
			case err != nil:
				results = append(results, stationID+": "+err.Error())
			default:
				results = append(results, stationID+": "+key)
			}
		}
		err = db.InTx(ctx, func(st charging.Store) error {
			if _, err := st.GetTransaction(ctx, txOf["CP-IN"]); err != nil {
				return err
			}
			if _, err := st.UpsertConnector(ctx, charging.Connector{StationID: "CP-OUT", EVSEID: 1, ConnectorID: 1,
				Status: charging.StatusCharging, StatusAt: testNow}); err != nil {
				return err
			}
			// A link the kept keys do not know of (as if committed by another transaction
			// between the two reads): the kept answer stands, which shows it is the one used.
			if err := st.(*store.DB).ExecForTest(ctx,
				"INSERT INTO ocpi_location_stations (station_id, location_key, position) VALUES ('CP-OUT', 'LOC-1', 1)"); err != nil {
				return err
			}
			answer(st, "CP-IN")
			answer(st, "CP-OUT")
			return errRollback
		})
		require.ErrorIs(t, err, errRollback)
		require.Equal(t, []string{"CP-IN: LOC-1", "CP-OUT: none"}, results)

		results = nil
		require.NoError(t, db.InTx(ctx, func(st charging.Store) error {
			if _, err := st.GetTransaction(ctx, txOf["CP-IN"]); err != nil {
				return err
			}
			if _, err := st.(*store.DB).Roaming().PutLocation(ctx, &roaming.Location{OCPI: testLocation("LOC-1", testNow),
				StationIDs: []string{"CP-OUT"}}); err != nil {
				return err
			}
			answer(st, "CP-IN")
			answer(st, "CP-OUT")
			return nil
		}))
		require.Equal(t, []string{"CP-IN: none", "CP-OUT: LOC-1"}, results, "read again after the transaction's own link write")

		results = nil // outside a transaction nothing is kept
		_, err = db.GetTransaction(ctx, txOf["CP-OUT"])
		require.NoError(t, err)
		answer(db, "CP-OUT")
		require.Equal(t, []string{"CP-OUT: LOC-1"}, results)
	})
}

// TestLocationKeysOfStations reads the locations of many stations at once: stations in two
// locations and in none, repeated ids, more than one statement takes, and inside a
// transaction, where what the transaction kept answers.
func TestLocationKeysOfStations(t *testing.T) {
	t.Parallel()
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ids, in1, in2 []string
		for i := range 150 {
			id := fmt.Sprintf("CP-%03d", i)
			newStation(t, db, id)
			ids = append(ids, id)
			switch i % 3 {
			case 0:
				in1 = append(in1, id)
			case 1:
				in2 = append(in2, id)
			}
		}
		for key, stations := range map[string][]string{"LOC-1": in1, "LOC-2": in2} {
			_, err := db.Roaming().PutLocation(ctx, &roaming.Location{OCPI: testLocation(key, testNow), StationIDs: stations})
			require.NoError(t, err)
		}
		want := map[string]string{}
		for _, id := range in1 {
			want[id] = "LOC-1"
		}
		for _, id := range in2 {
			want[id] = "LOC-2"
		}
		got, err := db.Roaming().LocationKeysOfStations(ctx, append(ids, ids[0], "CP-UNKNOWN"))
		require.NoError(t, err)
		require.Equal(t, want, got)
		got, err = db.Roaming().LocationKeysOfStations(ctx, nil)
		require.NoError(t, err)
		require.Empty(t, got)

		// in a transaction, a key kept by an earlier statement answers (here: stale on purpose)
		tx := charging.Transaction{StationID: ids[2], StartKey: "k", Status: charging.TxActive, StartedAt: testNow, StartReceivedAt: testNow}
		require.NoError(t, db.CreateTransaction(ctx, &tx))
		var inTx map[string]string
		require.NoError(t, db.InTx(ctx, func(st charging.Store) error {
			if _, err := st.GetTransaction(ctx, tx.ID); err != nil {
				return err
			}
			if err := st.(*store.DB).ExecForTest(ctx,
				"INSERT INTO ocpi_location_stations (station_id, location_key, position) VALUES ('"+ids[2]+"', 'LOC-1', 999)"); err != nil {
				return err
			}
			var err error
			inTx, err = st.(*store.DB).Roaming().LocationKeysOfStations(ctx, []string{ids[0], ids[2]})
			return err
		}))
		require.Equal(t, map[string]string{ids[0]: "LOC-1"}, inTx)
	})
}
