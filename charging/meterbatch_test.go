package charging_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
)

// meterGate is a store whose first writes (InTx or AddMeterReadings calls) wait at a gate of
// their own, and which refuses the samples of station BAD and records which stations' samples
// each insert held.
type meterGate struct {
	charging.Store
	gates   []chan struct{}
	entered chan int

	mu      sync.Mutex
	calls   int        // guarded by mu
	inserts [][]string // guarded by mu: the stations of each insert, in order
}

// wait holds the first len(gates) writes, each at its gate.
func (g *meterGate) wait() {
	g.mu.Lock()
	g.calls++
	n := g.calls
	g.mu.Unlock()
	if n <= len(g.gates) {
		g.entered <- n
		<-g.gates[n-1]
	}
}

func (g *meterGate) InTx(ctx context.Context, fn func(tx charging.Store) error) error {
	g.wait()
	return g.Store.InTx(ctx, func(tx charging.Store) error { return fn(meterGateTx{Store: tx, g: g}) })
}

func (g *meterGate) AddMeterReadings(ctx context.Context, samples []charging.MeterSample, txs []charging.Transaction) error {
	g.wait()
	if err := (meterGateTx{g: g}).check(samples); err != nil {
		return err
	}
	return g.Store.AddMeterReadings(ctx, samples, txs)
}

type meterGateTx struct {
	charging.Store
	g *meterGate
}

func (m meterGateTx) check(samples []charging.MeterSample) error {
	var ids []string
	for _, s := range samples {
		if !slices.Contains(ids, s.StationID) {
			ids = append(ids, s.StationID)
		}
	}
	m.g.mu.Lock()
	m.g.inserts = append(m.g.inserts, ids)
	m.g.mu.Unlock()
	if slices.Contains(ids, "BAD") {
		return errors.New("samples of BAD refused")
	}
	return nil
}

func (m meterGateTx) AddMeterSamples(ctx context.Context, samples []charging.MeterSample) error {
	if err := m.check(samples); err != nil {
		return err
	}
	return m.Store.AddMeterSamples(ctx, samples)
}

// TestMeterValuesShareATransaction holds the first MeterValues in their transactions while
// others queue, then checks that the queued ones were stored together; and, when one of them
// fails (station BAD), that it failed only itself: the others were stored again one by one.
func TestMeterValuesShareATransaction(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "BAD", nil, 0))
		t.Run("all good", func(t *testing.T) { shareATransaction(t, e, "A", false) })
		t.Run("one bad", func(t *testing.T) { shareATransaction(t, e, "B", true) })
	})
}

func shareATransaction(t *testing.T, e env, prefix string, withBad bool) {
	const queued = 4 // and BAD when withBad
	stations := meterStations(prefix, queued)
	late := slices.Clone(stations[charging.MeterWorkers:])
	if withBad {
		late = append(late, "BAD")
	}
	txs := map[string]int64{}
	for _, id := range stations {
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, id, nil, 0))
	}
	for i, id := range stations {
		must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "T" + id}))
		tx, _, err := e.svc.StartTransaction(e.ctx, charging.StartTx{StationID: id, EVSEID: 1, ConnectorID: 1,
			IDTag: "T" + id, MeterStartWh: 100, Timestamp: t0.Add(time.Duration(i) * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		txs[id] = tx.ID
	}
	g := &meterGate{Store: e.db, entered: make(chan int, charging.MeterWorkers)}
	for range charging.MeterWorkers {
		g.gates = append(g.gates, make(chan struct{}))
	}
	svc := charging.NewService(g, e.clock, slog.New(slog.NewTextHandler(io.Discard, nil)), charging.Config{})
	obs := &batchObserver{}
	svc.SetObserver(obs)

	errs := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	send := func(id string) {
		in := charging.MeterValuesIn{StationID: id, EVSEID: 1, ConnectorID: 1,
			Samples: []charging.RawSample{{Timestamp: t0.Add(time.Minute), Value: "5000"}}}
		if tx, ok := txs[id]; ok {
			in.TransactionID = &tx
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := svc.MeterValues(e.ctx, in)
			mu.Lock()
			errs[id] = err
			mu.Unlock()
		}()
	}
	for _, id := range stations[:charging.MeterWorkers] { // one batch each
		send(id)
		<-g.entered
	}
	for _, id := range late {
		send(id)
	}
	charging.WaitUntil(t, "MeterValues queued", func() bool { return svc.MeterQueueLen() == len(late) })
	close(g.gates[0]) // the first worker's batch ends; it takes every queued one next
	charging.WaitUntil(t, "queued MeterValues answered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(errs) == len(late)+1
	})
	for _, c := range g.gates[1:] {
		close(c)
	}
	wg.Wait()

	for _, id := range stations {
		if errs[id] != nil {
			t.Fatalf("%s: %v", id, errs[id])
		}
		tx := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, txs[id]))
		if tx.LastMeterWh == nil || *tx.LastMeterWh != 5000 {
			t.Fatalf("%s: reading %v, want 5000", id, tx.LastMeterWh)
		}
		if n := len(must[[]charging.MeterSample](t)(e.db.ListMeterSamples(e.ctx, txs[id]))); n != 1 {
			t.Fatalf("%s: %d samples stored, want 1", id, n)
		}
	}
	if withBad && errs["BAD"] == nil {
		t.Fatal("BAD's MeterValues succeeded")
	}
	want := slices.Sorted(slices.Values(late))
	if !slices.ContainsFunc(g.inserts, func(ids []string) bool { return slices.Equal(slices.Sorted(slices.Values(ids)), want) }) {
		t.Fatalf("no insert held every queued MeterValues (%v): %v", want, g.inserts)
	}
	if n := len(g.inserts); (withBad && n != charging.MeterWorkers+1+len(late)) || (!withBad && n != charging.MeterWorkers+1) {
		t.Fatalf("%d inserts: %v", n, g.inserts)
	}
	shared := fmt.Sprintf("%s %d %v", charging.BatchMeterValues, len(late), withBad)
	if !slices.Contains(obs.seen(), shared) {
		t.Fatalf("observed batches %v, none %q", obs.seen(), shared)
	}
}

// batchObserver records Observer.Batch calls as "kind size retried".
type batchObserver struct {
	mu      sync.Mutex
	batches []string // guarded by mu
}

func (o *batchObserver) ClockOffset(time.Duration) {}

func (o *batchObserver) Batch(kind string, size int, retried bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.batches = append(o.batches, fmt.Sprintf("%s %d %v", kind, size, retried))
}

func (o *batchObserver) seen() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.batches)
}

// meterStations names a station for each batch worker and n more.
func meterStations(prefix string, n int) []string {
	out := make([]string, 0, charging.MeterWorkers+n)
	for i := range charging.MeterWorkers + n {
		out = append(out, fmt.Sprint(prefix, i+1))
	}
	return out
}

// TestMeterValuesConcurrent sends many stations' MeterValues at once, each station's in order
// (as a station sends them), and checks that every sample and the last reading of each
// transaction were stored, whatever batches they went in.
func TestMeterValuesConcurrent(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		const stations, readings = 12, 15
		txs := make([]int64, stations)
		for i := range stations {
			id := fmt.Sprint("CP", i)
			must[charging.Station](t)(e.svc.RegisterStation(e.ctx, id, nil, 0))
			must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "T" + id}))
			tx, _, err := e.svc.StartTransaction(e.ctx, charging.StartTx{StationID: id, EVSEID: 1, ConnectorID: 1,
				IDTag: "T" + id, MeterStartWh: 0, Timestamp: t0})
			if err != nil {
				t.Fatal(err)
			}
			txs[i] = tx.ID
		}
		errs := make(chan error, stations*readings)
		var wg sync.WaitGroup
		for i := range stations {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 1; k <= readings; k++ {
					errs <- e.svc.MeterValues(e.ctx, charging.MeterValuesIn{StationID: fmt.Sprint("CP", i), EVSEID: 1,
						ConnectorID: 1, TransactionID: &txs[i], Samples: []charging.RawSample{
							{Timestamp: t0.Add(time.Duration(k) * time.Second), Value: fmt.Sprint(k * 100), Measurand: "Power.Active.Import"},
							{Timestamp: t0.Add(time.Duration(k) * time.Second), Value: fmt.Sprint(k*1000 + i)}}})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, id := range txs {
			tx := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, id))
			if want := int64(readings*1000 + i); tx.LastMeterWh == nil || *tx.LastMeterWh != want {
				t.Fatalf("transaction %d: reading %v, want %d", id, tx.LastMeterWh, want)
			}
			if n := len(must[[]charging.MeterSample](t)(e.db.ListMeterSamples(e.ctx, id))); n != 2*readings {
				t.Fatalf("transaction %d: %d samples, want %d", id, n, 2*readings)
			}
		}
	})
}

// TestTxEventsShareATransaction does for 2.0.1 Updated events what
// TestMeterValuesShareATransaction does for MeterValues, with a repeated event in the shared
// batch: it is a duplicate there as it is alone.
func TestTxEventsShareATransaction(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		const queued = 3
		stations := append(meterStations("E", queued), "BAD")
		for _, id := range stations {
			must[charging.Station](t)(e.svc.RegisterStation(e.ctx, id, nil, 0))
			if _, err := e.svc.TransactionEvent(e.ctx, charging.TxEventIn{StationID: id, EventType: charging.EventStarted,
				Timestamp: t0, TriggerReason: "CablePluggedIn", StationTxID: "tx-" + id, EVSEID: 1, ConnectorID: 1}); err != nil {
				t.Fatal(err)
			}
		}
		g := &meterGate{Store: e.db, entered: make(chan int, charging.MeterWorkers)}
		for range charging.MeterWorkers {
			g.gates = append(g.gates, make(chan struct{}))
		}
		svc := charging.NewService(g, e.clock, slog.New(slog.NewTextHandler(io.Discard, nil)), charging.Config{})

		type result struct {
			res charging.TxEventResult
			err error
		}
		var mu sync.Mutex
		var results []result // of the late events, in the order they were sent
		var wg sync.WaitGroup
		send := func(id string, wh int, late bool) {
			in := charging.TxEventIn{StationID: id, EventType: charging.EventUpdated, Timestamp: t0.Add(time.Minute),
				TriggerReason: "MeterValuePeriodic", SeqNo: 1, StationTxID: "tx-" + id, ChargingState: "Charging",
				Samples: []charging.RawSample{{Timestamp: t0.Add(time.Minute), Value: fmt.Sprint(wh)}}}
			var slot int
			if late {
				mu.Lock()
				slot = len(results)
				results = append(results, result{})
				mu.Unlock()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := svc.TransactionEvent(e.ctx, in)
				if late {
					mu.Lock()
					results[slot] = result{res, err}
					mu.Unlock()
				}
				if !late && err != nil {
					t.Error(err)
				}
			}()
		}
		for _, id := range stations[:charging.MeterWorkers] { // one batch each
			send(id, 3000, false)
			<-g.entered
		}
		late := stations[charging.MeterWorkers:] // the queued ones and BAD
		for _, id := range late {
			send(id, 4000, true)
		}
		charging.WaitUntil(t, "events queued", func() bool { return svc.EventQueueLen() == len(late) })
		send(late[0], 4000, true) // the same event again, queued last
		charging.WaitUntil(t, "events queued", func() bool { return svc.EventQueueLen() == len(late)+1 })
		close(g.gates[0]) // the first worker's batch ends; it takes every queued one next
		charging.WaitUntil(t, "queued events answered", func() bool {
			mu.Lock()
			defer mu.Unlock()
			for _, r := range results {
				if r.err == nil && r.res.Transaction.ID == 0 {
					return false
				}
			}
			return true
		})
		for _, c := range g.gates[1:] {
			close(c)
		}
		wg.Wait()

		for i, id := range late {
			r := results[i]
			if id == "BAD" {
				if r.err == nil {
					t.Fatal("BAD's event succeeded")
				}
				continue
			}
			if r.err != nil || r.res.Duplicate || r.res.Transaction.LastMeterWh == nil || *r.res.Transaction.LastMeterWh != 4000 {
				t.Fatalf("%s: %+v, %v", id, r.res, r.err)
			}
		}
		if again := results[len(late)]; again.err != nil || !again.res.Duplicate {
			t.Fatalf("the repeated event: %+v, %v", again.res, again.err)
		}
		// the workers' first batches, one shared by the queued events, then each of those alone
		if want := charging.MeterWorkers + 1 + len(late) + 1; g.calls != want {
			t.Fatalf("%d transactions, want %d", g.calls, want)
		}
		events := must[[]charging.TxEventRecord](t)(e.db.ListTransactionEvents(e.ctx, late[0], "tx-"+late[0]))
		if len(events) != 2 {
			t.Fatalf("%s: %d events stored, want 2 (Started, Updated once)", late[0], len(events))
		}

		// on the store itself, events are batched only where it does not group commits
		if _, err := e.svc.TransactionEvent(e.ctx, charging.TxEventIn{StationID: late[0], EventType: charging.EventUpdated,
			Timestamp: t0.Add(2 * time.Minute), TriggerReason: "MeterValuePeriodic", SeqNo: 2, StationTxID: "tx-" + late[0]}); err != nil {
			t.Fatal(err)
		}
		if batched := e.svc.EventWorkers() > 0; batched == e.db.GroupsCommits() {
			t.Fatalf("events batched: %v, the store groups commits: %v", batched, e.db.GroupsCommits())
		}
	})
}

// failingPublisher publishes nothing and fails every MeterValues republication; the calls it
// got are counted.
type failingPublisher struct{ metered atomic.Int32 }

func (*failingPublisher) StationChanged(context.Context, charging.Store, charging.Station) error {
	return nil
}
func (*failingPublisher) ConnectorChanged(context.Context, charging.Store, charging.Connector) error {
	return nil
}
func (*failingPublisher) TransactionChanged(context.Context, charging.Store, charging.Transaction) error {
	return nil
}
func (*failingPublisher) TransactionMetered(context.Context, charging.Store, charging.Transaction) error {
	return nil
}
func (p *failingPublisher) TransactionsMetered(_ context.Context, _ charging.Store, ts []charging.Transaction) error {
	p.metered.Add(int32(len(ts)))
	return errors.New("partners unreachable")
}

// TestMeterValuesPublishFailure: the Session republication follows the commit, so its failure
// does not fail the MeterValues (the station would send the stored samples again).
func TestMeterValuesPublishFailure(t *testing.T) {
	forEachEnv(t, charging.Config{}, func(t *testing.T, e env) {
		pub := &failingPublisher{}
		e.svc.SetPublisher(pub)
		must[charging.Station](t)(e.svc.RegisterStation(e.ctx, "CP", nil, 0))
		must[charging.IDTag](t)(e.svc.PutIDTag(e.ctx, charging.IDTag{IDTag: "T"}))
		tx, _, err := e.svc.StartTransaction(e.ctx, charging.StartTx{StationID: "CP", EVSEID: 1, ConnectorID: 1,
			IDTag: "T", MeterStartWh: 100, Timestamp: t0})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.MeterValues(e.ctx, charging.MeterValuesIn{StationID: "CP", EVSEID: 1, ConnectorID: 1,
			TransactionID: &tx.ID, Samples: []charging.RawSample{{Timestamp: t0.Add(time.Minute), Value: "700"}}}); err != nil {
			t.Fatalf("MeterValues failed with its publication: %v", err)
		}
		if n := pub.metered.Load(); n != 1 {
			t.Fatalf("%d republications asked, want 1", n)
		}
		got := must[charging.Transaction](t)(e.db.GetTransaction(e.ctx, tx.ID))
		if got.LastMeterWh == nil || *got.LastMeterWh != 700 {
			t.Fatalf("reading %v, want 700", got.LastMeterWh)
		}
	})
}
