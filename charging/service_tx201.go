package charging

import (
	"context"
	"reflect"
	"sort"
	"time"
)

// OCPP 2.0.1 TransactionEvent types.
const (
	EventStarted = "Started"
	EventUpdated = "Updated"
	EventEnded   = "Ended"
)

// TxEventIn is a 2.0.1 TransactionEvent in version-neutral form.
type TxEventIn struct {
	StationID          string
	EventType          string
	Timestamp          time.Time
	TimestampFlag      string
	TriggerReason      string
	SeqNo              int
	Offline            bool
	StationTxID        string
	ChargingState      string
	TimeSpentChargingS *int
	StoppedReason      string
	RemoteStartID      *int
	EVSEID             int // 0 = not in this event
	ConnectorID        int // 0 = not in this event
	IDToken            string
	IDTokenType        string
	ReservationID      *int
	Samples            []RawSample
	Payload            string // the request as received, for the event log
}

// TxEventResult is what the hub did with an event.
type TxEventResult struct {
	Transaction Transaction
	Auth        *AuthInfo // verdict for the event's idToken, when it carried one
	Duplicate   bool      // this (transaction, seqNo) was applied before
}

// TransactionEvent applies one 2.0.1 TransactionEvent. Events may arrive late, out of order,
// duplicated or marked offline: each is stored once per (transaction, seqNo); state moves
// forward only with the highest seqNo seen, an Ended transaction is never reopened, and a
// late Started still supplies the start data. An event for an unknown transaction creates it.
// It never fails for business reasons.
//
// Updated events without a token (a charging transaction's readings, most of what a 2.0.1
// fleet sends) are stored in one database transaction with those that arrive meanwhile (see
// meterbatch.go), each as it would be alone; unless the store shares its transactions among
// concurrent callers already (SQLite's group commit), where a queue of our own only added
// latency and CPU (bench/README.md, "2026-11-28").
func (s *Service) TransactionEvent(ctx context.Context, in TxEventIn) (TxEventResult, error) {
	if in.IDToken == "" && in.EventType == EventUpdated && !s.groupsCommits {
		return s.events.do(ctx, in)
	}
	now := s.clock.Now()
	var res TxEventResult
	if in.IDToken != "" { // decided outside the database transaction (see StartTransaction)
		a, err := s.authorizeAt(ctx, s.store, in.StationID, in.EVSEID, in.IDToken)
		if err != nil {
			return TxEventResult{}, err
		}
		res.Auth = &a
	}
	err := s.store.InTx(ctx, func(st Store) error { return s.storeTxEvent(ctx, st, in, now, &res) })
	return res, err
}

// txEventReq is one Updated event waiting for its batch.
type txEventReq = batchReq[TxEventIn, TxEventResult]

// storeTxEvents stores a batch of Updated events without a token, in arrival order (see
// storeBatch).
func (s *Service) storeTxEvents(ctx context.Context, batch []*txEventReq) {
	now := s.clock.Now()
	storeBatch(ctx, s.obs, BatchTxEvents, batch, func(ctx context.Context, reqs []*txEventReq) error {
		return s.store.InTx(ctx, func(st Store) error {
			for _, r := range reqs {
				r.out = TxEventResult{}
				if err := s.storeTxEvent(ctx, st, r.in, now, &r.out); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// storeTxEvent applies one event in st; res holds the token's verdict, if any, and gets the
// rest of the outcome.
func (s *Service) storeTxEvent(ctx context.Context, st Store, in TxEventIn, now time.Time, res *TxEventResult) error {
	ts, tsFlags := s.stationTime(in.StationID, in.Timestamp, now)
	rec := TxEventRecord{StationID: in.StationID, StationTxID: in.StationTxID, SeqNo: in.SeqNo, EventType: in.EventType,
		TriggerReason: in.TriggerReason, Offline: in.Offline, Timestamp: ts, ReceivedAt: now, Payload: in.Payload}
	err := st.AddTransactionEvent(ctx, &rec)
	duplicate := ErrorCode(err) == CodeConflict
	if err != nil && !duplicate {
		return err
	}
	tx, err := st.FindTransactionByStationTxID(ctx, in.StationID, in.StationTxID)
	created := false
	switch {
	case IsNotFound(err):
		tx = Transaction{StationID: in.StationID, StationTxID: in.StationTxID, StartedAt: ts, StartReceivedAt: now,
			Status: TxActive, UpdatedAt: now}
		if in.EventType != EventStarted {
			tx.AddFlag(FlagStartUnknown)
		}
		if err := st.CreateTransaction(ctx, &tx); err != nil {
			return err
		}
		created = true
	case err != nil:
		return err
	}
	if duplicate && !created {
		res.Transaction, res.Duplicate = tx, true
		return nil
	}
	before := tx
	if err := s.applyTxEvent(ctx, st, &tx, in, ts, now, res.Auth); err != nil {
		return err
	}
	for _, f := range tsFlags {
		tx.AddFlag(f)
	}
	tx.UpdatedAt = now
	res.Transaction = tx
	if err := st.UpdateTransaction(ctx, tx); err != nil {
		return err
	}
	if !created && in.EventType == EventUpdated && onlyMetered(before, tx) {
		return s.pub.TransactionMetered(ctx, st, tx)
	}
	return s.pub.TransactionChanged(ctx, st, tx)
}

// onlyMetered reports whether an Updated event that turned before into after changed nothing
// but readings and bookkeeping (latest reading, energy, time spent charging, sequence number,
// flags, update time): not what an EVSE's status or the Session's token and times come from.
// Such an event is published as a MeterValues is (Publisher.TransactionMetered). A field added
// to Transaction later counts as more than a reading until it is listed here.
func onlyMetered(before, after Transaction) bool {
	for _, t := range []*Transaction{&before, &after} {
		t.LastMeterWh, t.EnergyWh, t.TimeSpentChargingS, t.LastSeqNo, t.Flags, t.UpdatedAt = nil, 0, nil, nil, nil, time.Time{}
	}
	return reflect.DeepEqual(before, after)
}

// applyTxEvent folds one event into the transaction.
func (s *Service) applyTxEvent(ctx context.Context, st Store, tx *Transaction, in TxEventIn, ts, now time.Time, auth *AuthInfo) error {
	late := tx.LastSeqNo != nil && in.SeqNo < *tx.LastSeqNo
	if late {
		tx.AddFlag(FlagLateEvent)
	}
	if in.Offline {
		tx.AddFlag(FlagOfflineEvents)
	}
	if in.TimestampFlag != "" {
		tx.AddFlag(in.TimestampFlag)
	}
	if in.EVSEID > 0 && tx.EVSEID == 0 {
		tx.EVSEID = in.EVSEID
		tx.ConnectorID = in.ConnectorID
		if tx.ConnectorID == 0 {
			c, err := s.soleConnector(ctx, st, tx.StationID, in.EVSEID)
			if err != nil {
				return err
			}
			tx.ConnectorID = c
		}
	}
	if in.IDToken != "" {
		stop := in.TriggerReason == "StopAuthorized" || (in.EventType == EventEnded && tx.IDTag != "" && tx.IDTag != in.IDToken)
		switch {
		case stop:
			tx.StopIDTag = in.IDToken
		case tx.IDTag == "":
			tx.IDTag, tx.IDTokenType = in.IDToken, in.IDTokenType
			if auth != nil && auth.Status == AuthAccepted && tx.Status == TxActive {
				if busy, err := s.tagBusyElsewhere(ctx, st, tx); err != nil {
					return err
				} else if busy {
					auth.Status = AuthConcurrentTx
				}
			}
		}
	}
	if in.EventType == EventStarted {
		tx.StartedAt = ts
		tx.Flags = removeFlag(tx.Flags, FlagStartUnknown)
	}
	if in.RemoteStartID != nil {
		tx.RemoteStartID = in.RemoteStartID
	}
	if in.ReservationID != nil {
		tx.ReservationID = in.ReservationID
	}
	if !late {
		seq := in.SeqNo
		tx.LastSeqNo = &seq
		if in.ChargingState != "" {
			tx.ChargingState = in.ChargingState
		}
		if in.TimeSpentChargingS != nil {
			tx.TimeSpentChargingS = in.TimeSpentChargingS
		}
	}
	samples := make([]MeterSample, 0, len(in.Samples))
	for _, r := range in.Samples {
		m := s.normalise(r, tx.StationID, tx.EVSEID, tx.ConnectorID, now)
		m.TransactionID = &tx.ID
		samples = append(samples, m)
	}
	if len(samples) > 0 {
		if err := st.AddMeterSamples(ctx, samples); err != nil {
			return err
		}
	}
	if in.EventType == EventEnded && tx.Status != TxCompleted {
		tx.Status, tx.StoppedAt, tx.StopReceivedAt = TxCompleted, &ts, &now
		tx.StopReason = in.StoppedReason
		if tx.StopReason == "" {
			tx.StopReason = "Local"
		}
	}
	return s.settleEnergy201(ctx, st, tx, samples, in.EventType == EventEnded || late || tx.Status == TxCompleted)
}

// settleEnergy201 keeps the 2.0.1 meter readings current. 2.0.1 has no meterStart: the
// Transaction.Begin register (else the earliest one) starts the session, the Transaction.End
// register (else the latest) ends it. full recomputes from every stored sample (at the end,
// or when history arrived late); otherwise only this event's samples move the latest reading.
func (s *Service) settleEnergy201(ctx context.Context, st Store, tx *Transaction, fresh []MeterSample, full bool) error {
	if !full {
		if r := registerReadings(fresh); len(r) > 0 {
			v := r[len(r)-1].Round(0).IntPart()
			tx.LastMeterWh = &v
			if tx.MeterStartWh == 0 {
				if b, ok := contextRegister(fresh, "Transaction.Begin"); ok {
					tx.MeterStartWh = b
				} else if tx.LastSeqNo != nil && *tx.LastSeqNo == 0 {
					tx.MeterStartWh = r[0].Round(0).IntPart()
				}
			}
			if tx.MeterStartWh > 0 && v >= tx.MeterStartWh {
				tx.EnergyWh = v - tx.MeterStartWh
			}
		}
		return nil
	}
	all, err := st.ListMeterSamples(ctx, tx.ID)
	if err != nil {
		return err
	}
	readings := registerReadings(all)
	if len(readings) == 0 {
		return nil
	}
	begin := readings[0].Round(0).IntPart()
	if b, ok := contextRegister(all, "Transaction.Begin"); ok {
		begin = b
	}
	end := readings[len(readings)-1].Round(0).IntPart()
	if e, ok := contextRegister(all, "Transaction.End"); ok {
		end = e
	}
	energy, reset := SessionEnergyWh(begin, readings, end)
	tx.MeterStartWh, tx.LastMeterWh, tx.EnergyWh = begin, &end, energy
	if tx.Status == TxCompleted {
		tx.MeterStopWh = &end
	}
	if reset {
		tx.AddFlag(FlagMeterReset)
	}
	return s.checkSeqGaps(ctx, st, tx)
}

// contextRegister returns the energy register of the samples taken in a reading context.
func contextRegister(samples []MeterSample, context string) (int64, bool) {
	var sel []MeterSample
	for _, m := range samples {
		if m.Context == context {
			sel = append(sel, m)
		}
	}
	r := registerReadings(sel)
	if len(r) == 0 {
		return 0, false
	}
	return r[0].Round(0).IntPart(), true
}

// checkSeqGaps flags a transaction whose events have missing seqNos (numbering may start at
// 0 or 1).
func (s *Service) checkSeqGaps(ctx context.Context, st Store, tx *Transaction) error {
	gaps, err := s.SeqGaps(ctx, st, tx.StationID, tx.StationTxID)
	if err != nil {
		return err
	}
	if len(gaps) > 0 {
		tx.AddFlag(FlagSeqGap)
	} else {
		tx.Flags = removeFlag(tx.Flags, FlagSeqGap)
	}
	return nil
}

// SeqGaps lists the seqNos missing between the first and the last event of a 2.0.1
// transaction. st may be nil to use the service's store.
func (s *Service) SeqGaps(ctx context.Context, st Store, stationID, stationTxID string) ([]int, error) {
	if st == nil {
		st = s.store
	}
	events, err := st.ListTransactionEvents(ctx, stationID, stationTxID)
	if err != nil || len(events) == 0 {
		return nil, err
	}
	seqs := make([]int, len(events))
	for i, e := range events {
		seqs[i] = e.SeqNo
	}
	sort.Ints(seqs)
	first := seqs[0]
	if first > 1 {
		first = 0 // events before the first we hold are missing too
	}
	var gaps []int
	next := first
	for _, q := range seqs {
		for ; next < q; next++ {
			gaps = append(gaps, next)
		}
		next = q + 1
	}
	return gaps, nil
}

func (s *Service) tagBusyElsewhere(ctx context.Context, st Store, tx *Transaction) (bool, error) {
	busy, err := st.ActiveTransactionsForTag(ctx, tx.IDTag)
	if err != nil {
		return false, err
	}
	for _, b := range busy {
		if b.ID != tx.ID && (b.StationID != tx.StationID || b.EVSEID != tx.EVSEID) {
			return true, nil
		}
	}
	return false, nil
}

// soleConnector returns the only connector of an EVSE when the hub knows exactly one, else 0.
func (s *Service) soleConnector(ctx context.Context, st Store, stationID string, evseID int) (int, error) {
	conns, err := st.ListConnectors(ctx, stationID)
	if err != nil {
		return 0, err
	}
	found := 0
	for _, c := range conns {
		if c.EVSEID == evseID && c.ConnectorID > 0 {
			if found != 0 {
				return 0, nil
			}
			found = c.ConnectorID
		}
	}
	return found, nil
}

func removeFlag(flags []string, f string) []string {
	out := flags[:0:0]
	for _, x := range flags {
		if x != f {
			out = append(out, x)
		}
	}
	return out
}
