package charging

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// StopReasonSuperseded marks an active transaction closed by the hub because a new one
// started on the same connector (its stop message never arrived).
const StopReasonSuperseded = "Superseded"

// FlagSuperseded is set on such transactions.
const FlagSuperseded = "tx_superseded"

// StartTx is a transaction start as reported by a station.
type StartTx struct {
	StationID     string
	EVSEID        int
	ConnectorID   int
	IDTag         string
	MeterStartWh  int64
	Timestamp     time.Time
	ReservationID *int
	Flags         []string // leniencies applied while decoding (e.g. ts_no_zone, idtag_trimmed)
}

// StartTransaction records a start and returns the transaction and the verdict for its
// token. A resent start (same station, connector, tag, time and meter reading) returns the
// transaction created the first time. A start is never refused: the station has started
// already, so a bad token only shows in the verdict.
func (s *Service) StartTransaction(ctx context.Context, in StartTx) (Transaction, AuthInfo, error) {
	now := s.clock.Now()
	ts, tsFlags := s.stationTime(in.StationID, in.Timestamp, now)
	key := fmt.Sprintf("%d/%d|%s|%s|%d", in.EVSEID, in.ConnectorID, in.IDTag, in.Timestamp.UTC().Format(time.RFC3339Nano), in.MeterStartWh)
	var tx Transaction
	// the verdict is decided before the database transaction opens: it may ask a roaming
	// partner over the network, which must never hold a database lock
	auth, err := s.authorizeAt(ctx, s.store, in.StationID, in.EVSEID, in.IDTag)
	if err != nil {
		return Transaction{}, AuthInfo{}, err
	}
	err = s.store.InTx(ctx, func(st Store) error {
		existing, err := st.FindTransactionByStartKey(ctx, in.StationID, key)
		if err == nil {
			tx = existing
			return nil
		}
		if !IsNotFound(err) {
			return err
		}
		if auth.Status == AuthAccepted {
			busy, err := st.ActiveTransactionsForTag(ctx, in.IDTag)
			if err != nil {
				return err
			}
			for _, b := range busy {
				if b.StationID != in.StationID || b.EVSEID != in.EVSEID {
					auth.Status = AuthConcurrentTx
					break
				}
			}
		}
		if err := s.supersede(ctx, st, in.StationID, in.EVSEID, ts, now); err != nil {
			return err
		}
		tx = Transaction{StationID: in.StationID, EVSEID: in.EVSEID, ConnectorID: in.ConnectorID, IDTag: in.IDTag,
			ReservationID: in.ReservationID, StartKey: key, MeterStartWh: in.MeterStartWh, StartedAt: ts,
			StartReceivedAt: now, Status: TxActive, UpdatedAt: now}
		for _, f := range append(in.Flags, tsFlags...) {
			tx.AddFlag(f)
		}
		if err := st.CreateTransaction(ctx, &tx); err != nil {
			return err
		}
		return s.pub.TransactionChanged(ctx, st, tx)
	})
	if err != nil {
		return Transaction{}, AuthInfo{}, err
	}
	return tx, auth, nil
}

// supersede closes transactions still active on an EVSE where a new one starts.
func (s *Service) supersede(ctx context.Context, st Store, stationID string, evseID int, at, now time.Time) error {
	open, err := st.ActiveTransactions(ctx, stationID, evseID)
	if err != nil {
		return err
	}
	for _, o := range open {
		stop := o.MeterStartWh
		if o.LastMeterWh != nil {
			stop = *o.LastMeterWh
		}
		o.MeterStopWh, o.StoppedAt, o.StopReceivedAt = &stop, &at, &now
		o.StopReason, o.Status, o.UpdatedAt = StopReasonSuperseded, TxCompleted, now
		o.EnergyWh, _ = SessionEnergyWh(o.MeterStartWh, nil, stop)
		o.AddFlag(FlagSuperseded)
		s.log.Warn("active transaction superseded by a new start on its EVSE", "station", stationID,
			"evse", evseID, "transaction", o.ID)
		if err := st.UpdateTransaction(ctx, o); err != nil {
			return err
		}
		if err := s.pub.TransactionChanged(ctx, st, o); err != nil {
			return err
		}
	}
	return nil
}

// StopTx is a transaction stop as reported by a station.
type StopTx struct {
	StationID     string
	TransactionID int64 // as sent; <= 0, unknown or out of range ids are reconciled
	IDTag         string
	MeterStopWh   int64
	Timestamp     time.Time
	Reason        string
	Samples       []RawSample // transactionData
	Flags         []string
}

// StopResult is what the hub did with a stop.
type StopResult struct {
	Transaction Transaction
	Auth        *AuthInfo // verdict for the stop's id tag, when one was sent
	Duplicate   bool      // the same stop was applied before; nothing changed
}

// StopTransaction records a stop. It never fails for business reasons: a stop for an
// unknown transaction is matched to an open one on the station or recorded as an orphan.
func (s *Service) StopTransaction(ctx context.Context, in StopTx) (StopResult, error) {
	now := s.clock.Now()
	ts, tsFlags := s.stationTime(in.StationID, in.Timestamp, now)
	var res StopResult
	if in.IDTag != "" { // decided outside the database transaction (see StartTransaction)
		a, err := s.authorizeAt(ctx, s.store, in.StationID, 0, in.IDTag)
		if err != nil {
			return StopResult{}, err
		}
		res.Auth = &a
	}
	err := s.store.InTx(ctx, func(st Store) error {
		tx, err := s.resolveStop(ctx, st, in, ts, now)
		if err != nil {
			return err
		}
		if tx.Status == TxCompleted && tx.StopReason != StopReasonSuperseded {
			if tx.StoppedAt != nil && tx.StoppedAt.Equal(ts) && tx.MeterStopWh != nil && *tx.MeterStopWh == in.MeterStopWh {
				res.Transaction, res.Duplicate = tx, true
				return nil
			}
			tx.AddFlag(FlagStopRepeated)
			s.log.Warn("second, different stop for an ended transaction kept the first", "station", in.StationID,
				"transaction", tx.ID, "meter_stop", in.MeterStopWh, "timestamp", ts)
			tx.UpdatedAt = now
			res.Transaction = tx
			return st.UpdateTransaction(ctx, tx)
		}
		samples := make([]MeterSample, 0, len(in.Samples))
		for _, r := range in.Samples {
			m := s.normalise(r, in.StationID, tx.EVSEID, tx.ConnectorID, now)
			m.TransactionID = &tx.ID
			samples = append(samples, m)
		}
		if len(samples) > 0 {
			if err := st.AddMeterSamples(ctx, samples); err != nil {
				return err
			}
		}
		readings, err := s.sessionReadings(ctx, st, tx.ID)
		if err != nil {
			return err
		}
		energy, reset := SessionEnergyWh(tx.MeterStartWh, readings, in.MeterStopWh)
		stop := in.MeterStopWh
		tx.MeterStopWh, tx.StoppedAt, tx.StopReceivedAt = &stop, &ts, &now
		tx.StopIDTag, tx.StopReason, tx.Status, tx.EnergyWh, tx.UpdatedAt = in.IDTag, in.Reason, TxCompleted, energy, now
		if tx.StopReason == "" {
			tx.StopReason = "Local" // the 1.6 default when absent
		}
		if reset {
			tx.AddFlag(FlagMeterReset)
		}
		for _, f := range append(in.Flags, tsFlags...) {
			tx.AddFlag(f)
		}
		res.Transaction = tx
		if err := st.UpdateTransaction(ctx, tx); err != nil {
			return err
		}
		return s.pub.TransactionChanged(ctx, st, tx)
	})
	return res, err
}

// validTxID reports whether id can be a hub-issued 1.6 transaction id.
func validTxID(id int64) bool { return id > 0 && id <= math.MaxInt32 }

// resolveStop finds the transaction a stop belongs to, reconciling or creating an orphan.
func (s *Service) resolveStop(ctx context.Context, st Store, in StopTx, ts, now time.Time) (Transaction, error) {
	if validTxID(in.TransactionID) {
		tx, err := st.GetTransaction(ctx, in.TransactionID)
		if err == nil && tx.StationID == in.StationID {
			return tx, nil
		}
		if err != nil && !IsNotFound(err) {
			return Transaction{}, err
		}
	}
	open, err := st.ActiveTransactions(ctx, in.StationID, -1)
	if err != nil {
		return Transaction{}, err
	}
	var best *Transaction
	for i := range open {
		o := &open[i]
		if o.StartedAt.After(ts) || o.MeterStartWh > in.MeterStopWh {
			continue
		}
		if best == nil || (o.IDTag == in.IDTag && best.IDTag != in.IDTag) ||
			((o.IDTag == in.IDTag) == (best.IDTag == in.IDTag) && o.StartedAt.After(best.StartedAt)) {
			best = o
		}
	}
	if best != nil {
		s.log.Warn("stop with unknown transaction id matched to an open transaction", "station", in.StationID,
			"sent_id", in.TransactionID, "transaction", best.ID)
		best.AddFlag(FlagTxUnresolved)
		return *best, nil
	}
	// An orphan: keyed so that a resent stop finds the same record.
	key := fmt.Sprintf("orphan|%d|%s|%d", in.TransactionID, ts.Format(time.RFC3339Nano), in.MeterStopWh)
	if tx, err := st.FindTransactionByStartKey(ctx, in.StationID, key); err == nil {
		return tx, nil
	} else if !IsNotFound(err) {
		return Transaction{}, err
	}
	start, startAt := in.MeterStopWh, ts
	for _, r := range in.Samples {
		m := NormaliseSample(r, in.StationID, 0, 0, now, s.cfg.MaxClockAhead)
		if v, ok := energyRegisterWh([]MeterSample{m}); ok && v.IntPart() < start {
			start = v.IntPart()
		}
		if m.Timestamp.Before(startAt) {
			startAt = m.Timestamp
		}
	}
	tx := Transaction{StationID: in.StationID, IDTag: in.IDTag, StartKey: key, MeterStartWh: start, StartedAt: startAt,
		StartReceivedAt: now, Status: TxActive, UpdatedAt: now, Flags: []string{FlagTxOrphan, FlagStartUnknown}}
	s.log.Warn("stop for a transaction the hub never saw recorded as an orphan", "station", in.StationID,
		"sent_id", in.TransactionID)
	if err := st.CreateTransaction(ctx, &tx); err != nil {
		return Transaction{}, err
	}
	return tx, nil
}

// sessionReadings returns the energy register readings stored for a transaction, in time order.
func (s *Service) sessionReadings(ctx context.Context, st Store, txID int64) ([]decimal.Decimal, error) {
	samples, err := st.ListMeterSamples(ctx, txID)
	if err != nil {
		return nil, err
	}
	return registerReadings(samples), nil
}

// registerReadings groups samples by instant and returns the energy register reading of each
// instant that has one, in time order.
func registerReadings(samples []MeterSample) []decimal.Decimal {
	byTime := map[time.Time][]MeterSample{}
	var times []time.Time
	for _, m := range samples {
		if _, ok := byTime[m.Timestamp]; !ok {
			times = append(times, m.Timestamp)
		}
		byTime[m.Timestamp] = append(byTime[m.Timestamp], m)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	out := make([]decimal.Decimal, 0, len(times))
	for _, t := range times {
		if v, ok := energyRegisterWh(byTime[t]); ok {
			out = append(out, v)
		}
	}
	return out
}

// MeterValuesIn is a batch of meter values from a station.
type MeterValuesIn struct {
	StationID     string
	EVSEID        int
	ConnectorID   int
	TransactionID *int64 // as sent (1.6 integer); nil outside a transaction
	StationTxID   string // 2.0.1 string id, when known
	Samples       []RawSample
}

// MeterValues stores samples, attached to their transaction (reconciled by connector when
// the id is unusable), and moves the transaction's latest register reading forward, in one
// database transaction with the MeterValues stored meanwhile (see meterbatch.go).
func (s *Service) MeterValues(ctx context.Context, in MeterValuesIn) error {
	_, err := s.meters.do(ctx, in)
	return err
}

// applyReading applies the latest register reading among samples to the active transaction tx
// (flagged unresolved when the samples' transaction id was not usable), and reports whether it
// changed tx.
func applyReading(tx *Transaction, samples []MeterSample, unresolved bool, now time.Time) bool {
	if tx.Status != TxActive {
		return false
	}
	readings := registerReadings(samples)
	if len(readings) == 0 {
		return false
	}
	v := readings[len(readings)-1].Round(0).IntPart()
	if tx.LastMeterWh != nil && *tx.LastMeterWh == v {
		return false
	}
	tx.LastMeterWh, tx.UpdatedAt = &v, now
	if unresolved {
		tx.AddFlag(FlagTxUnresolved)
	}
	return true
}

// Transactions lists transactions for the admin API.
func (s *Service) Transactions(ctx context.Context, f TransactionFilter) ([]Transaction, int, error) {
	return s.store.ListTransactions(ctx, f)
}
