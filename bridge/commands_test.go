package bridge_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chargehub/hub/bridge"
	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
	"github.com/chargehub/hub/ocpp"
	"github.com/chargehub/hub/ocpp/gateway"
	"github.com/chargehub/hub/roaming"
	"github.com/chargehub/hub/store"
)

// cmdFixture is an executor on a database with two stations: CP-16 (1.6) and CS-201 (2.0.1),
// both in location LOC-1.
type cmdFixture struct {
	db      *store.DB
	st      *fakeStations
	res     *fakeResults
	cmds    *bridge.Commands
	partner roaming.Partner
	loc     *roaming.Location
	n       int // commands made
	txs     int // transactions made
}

func newCmdFixture(t *testing.T, db *store.DB) *cmdFixture {
	t.Helper()
	cmdStation(t, db, "CP-16", charging.OCPP16)
	cmdStation(t, db, "CS-201", charging.OCPP201)
	st := newStations()
	st.connect("CP-16", charging.OCPP16)
	st.connect("CS-201", charging.OCPP201)
	f := &cmdFixture{db: db, st: st, res: newResults(), partner: cmdPartner(t, db),
		loc: &roaming.Location{OCPI: ocpi.Location{ID: "LOC-1"}, StationIDs: []string{"CP-16", "CS-201"}}}
	f.cmds = bridge.NewCommands(bridge.CommandsDeps{Stations: st, Charging: db, State: db.BridgeCommands(),
		Log: slog.New(slog.DiscardHandler)}, bridge.CommandsConfig{})
	f.cmds.Attach(f.res)
	t.Cleanup(func() { _ = f.cmds.Close(context.Background()) })
	return f
}

// request returns a fresh command request of a kind.
func (f *cmdFixture) request(kind string) roaming.CommandRequest {
	f.n++
	return roaming.CommandRequest{Partner: f.partner, Location: f.loc, Command: roaming.Command{ID: "cmd-" + strconv.Itoa(f.n),
		PartnerID: f.partner.ID, From: f.partner.Party, Kind: kind, ExpiresAt: time.Now().Add(90 * time.Second)}}
}

func (f *cmdFixture) startTx(t *testing.T, tx charging.Transaction) charging.Transaction {
	t.Helper()
	tx.Status, tx.StartedAt, tx.StartReceivedAt = charging.TxActive, time.Now(), time.Now()
	f.txs++
	tx.StartKey = "k" + strconv.Itoa(f.txs)
	require.NoError(t, f.db.CreateTransaction(context.Background(), &tx))
	return tx
}

func TestStartSession16LongTokenAndLinkage(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		ctx := context.Background()
		tok := cmdToken("APP-USER-0123456789ABCDEFG", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeNever, true)
		req := f.request(string(ocpi.CommandTypeStartSession))
		resp, err := f.cmds.StartSession(ctx, req, ocpi.StartSession{Token: tok, LocationID: "LOC-1", EvseUID: "CP-16-2",
			AuthorizationReference: "AR-77"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, resp)
		require.Equal(t, ocpi.CommandResultAccepted, f.res.wait(t, req.Command.ID).Result)
		calls := f.st.sentTo("RemoteStart")
		require.Len(t, calls, 1)
		rs := calls[0].Req.(gateway.RemoteStart)
		require.Equal(t, 2, rs.EVSEID)
		require.Equal(t, tok.UID, rs.Token.ID, "never truncated")
		require.Len(t, rs.Token.Tag16, 20)
		require.Equal(t, byte('#'), rs.Token.Tag16[0])

		// the station starts with the alias: the charger authorizes it from the command context
		tokens := bridge.NewTokens(noCmdTokens{}, nil, db.BridgeCommands(), nil, slog.New(slog.DiscardHandler), bridge.TokensConfig{})
		info, known, err := tokens.AuthorizeToken(ctx, "CP-16", 2, rs.Token.Tag16)
		require.NoError(t, err)
		require.True(t, known)
		require.Equal(t, charging.AuthAccepted, info.Status)
		_, known, err = tokens.AuthorizeToken(ctx, "CS-201", 1, rs.Token.Tag16)
		require.NoError(t, err)
		require.False(t, known, "only at the station of the command")

		other := f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 1, ConnectorID: 1, IDTag: rs.Token.Tag16})
		_, ok, err := f.cmds.RemoteStartOf(ctx, nil, other)
		require.NoError(t, err)
		require.False(t, ok, "another EVSE")
		tx := f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 2, ConnectorID: 1, IDTag: rs.Token.Tag16})
		var got store.RemoteStart
		require.NoError(t, db.InTx(ctx, func(txs charging.Store) error { // as the publisher calls it
			var err error
			got, ok, err = f.cmds.RemoteStartOf(ctx, txs, tx)
			return err
		}))
		require.True(t, ok)
		require.Equal(t, "AR-77", got.AuthorizationReference)
		require.Equal(t, tok.UID, got.Token.UID)
		require.Equal(t, req.Command.ID, got.CommandID)
		require.Equal(t, f.partner.ID, got.PartnerID)
		again, ok, err := f.cmds.RemoteStartOf(ctx, nil, tx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, got.ID, again.ID)
		require.Equal(t, tx.ID, *again.TransactionID)
		later := f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 2, ConnectorID: 1, IDTag: rs.Token.Tag16, StationTxID: "x"})
		_, ok, err = f.cmds.RemoteStartOf(ctx, nil, later)
		require.NoError(t, err)
		require.False(t, ok, "a remote start starts one transaction")
	})
}

func TestStartSession201RemoteStartID(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		ctx := context.Background()
		tok := cmdToken("APP-1", ocpi.TokenTypeAppUser, ocpi.WhitelistTypeNever, true)
		req := f.request(string(ocpi.CommandTypeStartSession))
		resp, err := f.cmds.StartSession(ctx, req, ocpi.StartSession{Token: tok, LocationID: "LOC-1", EvseUID: "CS-201-1"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, resp)
		require.Equal(t, ocpi.CommandResultAccepted, f.res.wait(t, req.Command.ID).Result)
		rs := f.st.sentTo("RemoteStart")[0].Req.(gateway.RemoteStart)
		require.Positive(t, rs.RemoteStartID)
		require.Equal(t, gateway.Token{ID: "APP-1", Type: "Central"}, rs.Token)

		id := rs.RemoteStartID
		tx := f.startTx(t, charging.Transaction{StationID: "CS-201", StationTxID: "TX-1", RemoteStartID: &id})
		got, ok, err := f.cmds.RemoteStartOf(ctx, nil, tx)
		require.NoError(t, err)
		require.True(t, ok, "matched by remoteStartId before the token is known")
		require.Equal(t, "APP-1", got.Token.UID)
	})
}

func TestStartSessionRefusalsAndFailures(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		ctx := context.Background()
		tok := cmdToken("04AB12CD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true)
		start := func(evse string) (roaming.CommandRequest, ocpi.CommandResponseType, error) {
			req := f.request(string(ocpi.CommandTypeStartSession))
			resp, err := f.cmds.StartSession(ctx, req, ocpi.StartSession{Token: tok, LocationID: "LOC-1", EvseUID: evse})
			return req, resp, err
		}
		// not a station EVSE, no evse_uid at a two-station location
		for _, evse := range []string{"OTHER-1", "CP-16-x", ""} {
			_, resp, err := start(evse)
			require.Equal(t, ocpi.CommandResponseRejected, resp, evse)
			require.Error(t, err, evse)
		}
		// offline station: refused at once
		f.st.disconnect("CP-16")
		_, resp, err := start("CP-16-1")
		require.Equal(t, ocpi.CommandResponseRejected, resp)
		require.ErrorContains(t, err, "offline")
		f.st.connect("CP-16", charging.OCPP16)

		// occupied and faulted EVSEs: accepted, then EVSE_OCCUPIED / EVSE_INOPERATIVE, nothing sent
		f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 1, ConnectorID: 1, IDTag: "SOMEONE"})
		req, resp, err := start("CP-16-1")
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, resp)
		require.Equal(t, ocpi.CommandResultEVSEOccupied, f.res.wait(t, req.Command.ID).Result)
		_, err = db.UpsertConnector(ctx, charging.Connector{StationID: "CP-16", EVSEID: 3, ConnectorID: 1,
			Status: charging.StatusFaulted, StatusAt: time.Now()})
		require.NoError(t, err)
		req, _, _ = start("CP-16-3")
		require.Equal(t, ocpi.CommandResultEVSEInoperative, f.res.wait(t, req.Command.ID).Result)
		require.Empty(t, f.st.sentTo("RemoteStart"))

		// the station refuses, does not answer, disconnects
		f.st.on("RemoteStart", func(any) (gateway.Outcome, error) { return gateway.OutcomeRejected, nil })
		req, _, _ = start("CP-16-2")
		require.Equal(t, ocpi.CommandResultRejected, f.res.wait(t, req.Command.ID).Result)
		f.st.on("RemoteStart", func(any) (gateway.Outcome, error) {
			return "", charging.Errorf(charging.CodeTimeout, "station did not answer")
		})
		req, _, _ = start("CP-16-2")
		require.Equal(t, ocpi.CommandResultTimeout, f.res.wait(t, req.Command.ID).Result)
		f.st.on("RemoteStart", func(any) (gateway.Outcome, error) {
			return "", charging.Errorf(charging.CodeUnavailable, "disconnected")
		})
		req, _, _ = start("CP-16-2")
		r := f.res.wait(t, req.Command.ID)
		require.Equal(t, ocpi.CommandResultFailed, r.Result)
		require.NotEmpty(t, r.Message)

		// a rejected remote start is not matched, a timed-out one is
		tx := f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 2, ConnectorID: 1, IDTag: "04AB12CD"})
		got, ok, err := f.cmds.RemoteStartOf(ctx, nil, tx)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, store.RemoteStartTimeout, got.Status)
	})
}

func TestCommandTimeoutWithoutAnswer(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		f.st.mu.Lock()
		f.st.hang = true
		f.st.mu.Unlock()
		req := f.request(string(ocpi.CommandTypeUnlockConnector))
		req.Command.ExpiresAt = time.Now().Add(5*time.Second + 300*time.Millisecond) // minus the 5 s margin: 300 ms for the station
		start := time.Now()
		resp, err := f.cmds.UnlockConnector(context.Background(), req, ocpi.UnlockConnector{LocationID: "LOC-1", EvseUID: "CP-16-1", ConnectorID: "1"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, resp)
		require.Equal(t, ocpi.CommandResultTimeout, f.res.wait(t, req.Command.ID).Result)
		require.Less(t, time.Since(start), 3*time.Second)
	})
}

func TestStopUnlockReservations(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		ctx := context.Background()
		req := f.request(string(ocpi.CommandTypeStopSession))
		req.Session = &ocpi.Session{ID: "999"}
		resp, err := f.cmds.StopSession(ctx, req, ocpi.StopSession{SessionID: "999"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseUnknownSession, resp)

		tx := f.startTx(t, charging.Transaction{StationID: "CS-201", EVSEID: 1, ConnectorID: 1, StationTxID: "TX-7", IDTag: "A"})
		req = f.request(string(ocpi.CommandTypeStopSession))
		req.Session = &ocpi.Session{ID: strconv.FormatInt(tx.ID, 10)}
		resp, err = f.cmds.StopSession(ctx, req, ocpi.StopSession{SessionID: req.Session.ID})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResponseAccepted, resp)
		require.Equal(t, ocpi.CommandResultAccepted, f.res.wait(t, req.Command.ID).Result)
		require.Equal(t, "TX-7", f.st.sentTo("RemoteStop")[0].Req.(charging.Transaction).StationTxID)

		// unlock: NotSupported and a CALLERROR NotImplemented are NOT_SUPPORTED, UnlockFailed FAILED
		for out, want := range map[gateway.Outcome]ocpi.CommandResultType{gateway.OutcomeNotSupported: ocpi.CommandResultNotSupported,
			gateway.OutcomeFailed: ocpi.CommandResultFailed, gateway.OutcomeAccepted: ocpi.CommandResultAccepted,
			gateway.OutcomeOngoingTransaction: ocpi.CommandResultRejected} {
			f.st.on("UnlockConnector", func(any) (gateway.Outcome, error) { return out, nil })
			req = f.request(string(ocpi.CommandTypeUnlockConnector))
			_, err := f.cmds.UnlockConnector(ctx, req, ocpi.UnlockConnector{LocationID: "LOC-1", EvseUID: "CS-201-1", ConnectorID: "2"})
			require.NoError(t, err)
			require.Equal(t, want, f.res.wait(t, req.Command.ID).Result, out)
		}
		require.Equal(t, [2]int{1, 2}, f.st.sentTo("UnlockConnector")[0].Req)
		f.st.on("UnlockConnector", func(any) (gateway.Outcome, error) {
			return "", &ocpp.CallError{Code: ocpp.ErrNotImplemented, Wire: "NotImplemented"}
		})
		req = f.request(string(ocpi.CommandTypeUnlockConnector))
		_, err = f.cmds.UnlockConnector(ctx, req, ocpi.UnlockConnector{LocationID: "LOC-1", EvseUID: "CS-201-1", ConnectorID: "1"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResultNotSupported, f.res.wait(t, req.Command.ID).Result)

		// reservations: a string id maps to an integer one, kept when the reservation is replaced
		tok := cmdToken("04AB12CD", ocpi.TokenTypeRFID, ocpi.WhitelistTypeAlways, true)
		exp := ocpi.NewDateTime(time.Now().Add(time.Hour))
		reserve := func(evse string) roaming.CommandRequest {
			req := f.request(string(ocpi.CommandTypeReserveNow))
			resp, err := f.cmds.ReserveNow(ctx, req, ocpi.ReserveNow{Token: tok, ExpiryDate: exp, ReservationID: "res-A",
				LocationID: "LOC-1", EvseUID: evse})
			require.NoError(t, err)
			require.Equal(t, ocpi.CommandResponseAccepted, resp)
			return req
		}
		req = reserve("CP-16-1")
		require.Equal(t, ocpi.CommandResultAccepted, f.res.wait(t, req.Command.ID).Result)
		f.st.on("ReserveNow", func(any) (gateway.Outcome, error) { return gateway.OutcomeOccupied, nil })
		req = reserve("CP-16-2")
		require.Equal(t, ocpi.CommandResultEVSEOccupied, f.res.wait(t, req.Command.ID).Result)
		rn := f.st.sentTo("ReserveNow")
		require.Len(t, rn, 2)
		first, second := rn[0].Req.(gateway.Reservation), rn[1].Req.(gateway.Reservation)
		require.Equal(t, first.ID, second.ID)
		require.Equal(t, 2, second.EVSEID)
		require.Equal(t, "04AB12CD", second.Token.ID)

		// the reservation's tag is accepted at its station while it lasts
		f.st.on("ReserveNow", nil)
		req = reserve("CP-16-2")
		f.res.wait(t, req.Command.ID)
		tokens := bridge.NewTokens(noCmdTokens{}, nil, db.BridgeCommands(), nil, slog.New(slog.DiscardHandler), bridge.TokensConfig{})
		info, known, err := tokens.AuthorizeToken(ctx, "CP-16", 2, "04ab12cd")
		require.NoError(t, err)
		require.True(t, known)
		require.Equal(t, charging.AuthAccepted, info.Status)

		req = f.request(string(ocpi.CommandTypeCancelReservation))
		_, err = f.cmds.CancelReservation(ctx, req, ocpi.CancelReservation{ReservationID: "RES-a"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResultAccepted, f.res.wait(t, req.Command.ID).Result)
		require.Equal(t, first.ID, f.st.sentTo("CancelReservation")[0].Req)
		f.st.on("CancelReservation", func(any) (gateway.Outcome, error) { return gateway.OutcomeRejected, nil })
		req = f.request(string(ocpi.CommandTypeCancelReservation))
		_, err = f.cmds.CancelReservation(ctx, req, ocpi.CancelReservation{ReservationID: "res-A"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResultUnknownReservation, f.res.wait(t, req.Command.ID).Result)
		req = f.request(string(ocpi.CommandTypeCancelReservation))
		_, err = f.cmds.CancelReservation(ctx, req, ocpi.CancelReservation{ReservationID: "never"})
		require.NoError(t, err)
		require.Equal(t, ocpi.CommandResultUnknownReservation, f.res.wait(t, req.Command.ID).Result)
	})
}

func TestChargingProfiles(t *testing.T) {
	cmdForEachDB(t, func(t *testing.T, db *store.DB) {
		f := newCmdFixture(t, db)
		ctx := context.Background()
		tx := f.startTx(t, charging.Transaction{StationID: "CP-16", EVSEID: 2, ConnectorID: 1, IDTag: "A"})
		sess := &ocpi.Session{ID: strconv.FormatInt(tx.ID, 10)}
		req := f.request(roaming.KindSetChargingProfile)
		req.Session = sess
		prof := ocpi.ChargingProfile{ChargingRateUnit: ocpi.ChargingRateUnitA, ChargingProfilePeriod: []ocpi.ChargingProfilePeriod{
			{StartPeriod: 0, Limit: ocpi.MustDecimal("16.04")}, {StartPeriod: 900, Limit: ocpi.MustDecimal("8")}}}
		resp, err := f.cmds.SetChargingProfile(ctx, req, ocpi.SetChargingProfile{ChargingProfile: prof})
		require.NoError(t, err)
		require.Equal(t, ocpi.ChargingProfileResponseAccepted, resp)
		require.Equal(t, ocpi.ChargingProfileResult{Result: ocpi.ChargingProfileResultAccepted}, f.res.waitProfile(t, req.Command.ID))
		set := f.st.sentTo("SetChargingProfile")[0].Req.(gateway.TxProfile)
		require.Equal(t, tx.ID, set.Transaction.ID)
		require.Equal(t, 16.04, set.Schedule.Periods[0].Limit)
		require.Equal(t, "A", set.Schedule.Unit)

		// no period: refused at once; unknown session
		req = f.request(roaming.KindSetChargingProfile)
		req.Session = sess
		resp, _ = f.cmds.SetChargingProfile(ctx, req, ocpi.SetChargingProfile{ChargingProfile: ocpi.ChargingProfile{ChargingRateUnit: "A"}})
		require.Equal(t, ocpi.ChargingProfileResponseRejected, resp)
		req = f.request(roaming.KindClearChargingProfile)
		req.Session = &ocpi.Session{ID: "not-ours"}
		resp, err = f.cmds.ClearChargingProfile(ctx, req)
		require.NoError(t, err)
		require.Equal(t, ocpi.ChargingProfileResponseUnknownSession, resp)

		start := time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)
		dur := 600
		f.st.sched = gateway.CompositeSchedule{Outcome: gateway.OutcomeAccepted, Start: start, Schedule: gateway.Schedule{Unit: "A",
			Duration: &dur, Periods: []gateway.Period{{StartPeriod: 0, Limit: 16}}}}
		req = f.request(roaming.KindGetChargingProfile)
		req.Session = sess
		resp, err = f.cmds.GetActiveChargingProfile(ctx, req, 600)
		require.NoError(t, err)
		require.Equal(t, ocpi.ChargingProfileResponseAccepted, resp)
		got := f.res.waitProfile(t, req.Command.ID).(ocpi.ActiveChargingProfileResult)
		require.Equal(t, ocpi.ChargingProfileResultAccepted, got.Result)
		require.True(t, got.Profile.StartDateTime.Equal(start))
		require.Equal(t, "16", got.Profile.ChargingProfile.ChargingProfilePeriod[0].Limit.String())

		f.st.on("ClearChargingProfile", func(any) (gateway.Outcome, error) { return gateway.OutcomeUnknown, nil })
		req = f.request(roaming.KindClearChargingProfile)
		req.Session = sess
		_, err = f.cmds.ClearChargingProfile(ctx, req)
		require.NoError(t, err)
		require.Equal(t, ocpi.ClearProfileResult{Result: ocpi.ChargingProfileResultUnknown}, f.res.waitProfile(t, req.Command.ID))
		clr := f.st.sentTo("ClearChargingProfile")[0].Req.(gateway.ClearProfile)
		require.Equal(t, set.ProfileID, *clr.ProfileID, "the DELETE clears the profile the PUT set")

		// after Close nothing more is started: the command is refused
		require.NoError(t, f.cmds.Close(ctx))
		req = f.request(roaming.KindClearChargingProfile)
		req.Session = sess
		_, err = f.cmds.ClearChargingProfile(ctx, req)
		require.Error(t, err)
	})
}

// noCmdTokens is a TokenSource without tokens.
type noCmdTokens struct{}

func (noCmdTokens) TokensByUID(context.Context, string) ([]roaming.StoredToken, error) {
	return nil, nil
}
func (noCmdTokens) AuthorizeRealTime(context.Context, roaming.StoredToken, *ocpi.LocationReferences) (ocpi.AuthorizationInfo, error) {
	return ocpi.AuthorizationInfo{}, roaming.ErrNoRealTime
}
