package store_test

import (
	"context"
	"errors"
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
