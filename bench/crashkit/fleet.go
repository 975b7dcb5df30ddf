package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	v16 "github.com/chargehub/hub/ocpp/v16"
	"github.com/chargehub/hub/sim"
)

// fleetReport is what `crashkit fleet` prints (JSON).
type fleetReport struct {
	Stations   int              `json:"stations"`
	Sessions   int              `json:"sessions_completed"`
	Expected   int              `json:"sessions_expected"`
	Reconnects int64            `json:"reconnects"`
	Retries    int64            `json:"retries"`
	TxIDs      map[string][]int `json:"tx_ids"`
	Errors     []string         `json:"errors,omitempty"`
	Elapsed    string           `json:"elapsed"`
}

// runFleet drives OCPP 1.6 stations that survive the hub going away: each runs its sessions
// (StartTransaction, MeterValues, StopTransaction); a CALL that fails (the socket died, the hub
// answered an error while its database was down) is sent again, with the same business values,
// on a new connection if needed, until --deadline. The hub's idempotency keys make resends
// harmless. It exits non-zero unless every session completed.
func runFleet(args []string) error {
	fs := flag.NewFlagSet("fleet", flag.ContinueOnError)
	base := fs.String("url", "", "the hub's OCPP base URL, ws://127.0.0.1:PORT/ocpp")
	count := fs.Int("count", 10, "stations")
	sessions := fs.Int("sessions", 2, "sessions per station")
	meters := fs.Int("meter-values", 4, "MeterValues per session")
	interval := fs.Duration("interval", 500*time.Millisecond, "between meter values")
	idPrefix := fs.String("id-prefix", "CRASH", "station ids: PREFIX00001...")
	tagPrefix := fs.String("tag-prefix", "CRASHTAG", "id tags: PREFIX00001... (one per station)")
	deadline := fs.Duration("deadline", 3*time.Minute, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *count < 1 || *sessions < 1 {
		return fmt.Errorf("fleet: --url, --count ≥ 1 and --sessions ≥ 1 are required")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *deadline)
	defer cancel()
	start := time.Now()
	rep := fleetReport{Stations: *count, Expected: *count * *sessions, TxIDs: map[string][]int{}}
	var mu sync.Mutex
	var reconnects, retries atomic.Int64
	var wg sync.WaitGroup
	for i := 1; i <= *count; i++ {
		s := &crashStation{id: fmt.Sprintf("%s%05d", *idPrefix, i), tag: fmt.Sprintf("%s%05d", *tagPrefix, i), url: *base,
			reconnects: &reconnects, retries: &retries}
		wg.Go(func() {
			time.Sleep(time.Duration(rand.Int64N(int64(*interval) + 1))) // spread the start
			ids, err := s.run(ctx, *sessions, *meters, *interval)
			mu.Lock()
			defer mu.Unlock()
			rep.TxIDs[s.id] = ids
			rep.Sessions += len(ids)
			if err != nil && len(rep.Errors) < 20 {
				rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", s.id, err))
			}
		})
	}
	wg.Wait()
	rep.Reconnects, rep.Retries, rep.Elapsed = reconnects.Load(), retries.Load(), time.Since(start).Round(time.Millisecond).String()
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(rep)
	if rep.Sessions != rep.Expected {
		return fmt.Errorf("fleet: %d of %d sessions completed", rep.Sessions, rep.Expected)
	}
	return nil
}

// crashStation is one resilient simulated station.
type crashStation struct {
	id, tag, url        string
	ch                  *sim.Charger
	reconnects, retries *atomic.Int64
	dialed              bool
}

// conn returns a live connection, dialing (and booting) again when the last one died.
func (s *crashStation) conn(ctx context.Context) (*sim.Charger, error) {
	if s.ch != nil {
		select {
		case <-s.ch.Done():
			s.ch = nil
		default:
			return s.ch, nil
		}
	}
	wait := 200 * time.Millisecond
	for {
		ch, err := sim.Dial(ctx, sim.DialOptions{URL: s.url, ID: s.id, CallTimeout: 10 * time.Second, HandshakeTimeout: 5 * time.Second})
		if err == nil {
			if _, err = ch.Boot(ctx); err == nil {
				if s.dialed {
					s.reconnects.Add(1)
				}
				s.dialed, s.ch = true, ch
				return ch, nil
			}
			_ = ch.Close()
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("connect: %w (last: %v)", ctx.Err(), err)
		}
		time.Sleep(wait + time.Duration(rand.Int64N(int64(wait))))
		wait = min(2*wait, 2*time.Second)
	}
}

// do runs one CALL until it is answered.
func (s *crashStation) do(ctx context.Context, fn func(ch *sim.Charger) error) error {
	for {
		ch, err := s.conn(ctx)
		if err != nil {
			return err
		}
		if err = fn(ch); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
		}
		s.retries.Add(1)
		time.Sleep(200 * time.Millisecond)
	}
}

// run runs the station's sessions and returns the transaction ids of the completed ones.
func (s *crashStation) run(ctx context.Context, sessions, meters int, interval time.Duration) ([]int, error) {
	defer func() {
		if s.ch != nil {
			_ = s.ch.Close()
		}
	}()
	var ids []int
	meter := 0
	for range sessions {
		startAt := time.Now().UTC().Truncate(time.Second)
		meterStart := meter
		var txID int
		err := s.do(ctx, func(ch *sim.Charger) error {
			if err := ch.Status(ctx, 1, v16.ChargePointStatusPreparing); err != nil {
				return err
			}
			id, status, err := ch.StartTransaction(ctx, 1, s.tag, meterStart, startAt)
			if err == nil && status != v16.AuthorizationStatusAccepted {
				return fmt.Errorf("id tag %s: %s", s.tag, status)
			}
			txID = id
			return err
		})
		if err != nil {
			return ids, fmt.Errorf("start: %w", err)
		}
		for i := range meters {
			meter += 1000
			at, wh := time.Now(), meter
			if err := s.do(ctx, func(ch *sim.Charger) error { return ch.MeterValues(ctx, 1, txID, wh, 11000, at) }); err != nil {
				return ids, fmt.Errorf("meter value %d: %w", i, err)
			}
			select {
			case <-ctx.Done():
				return ids, ctx.Err()
			case <-time.After(interval):
			}
		}
		meter += 500
		stopAt, stopWh := time.Now(), meter
		err = s.do(ctx, func(ch *sim.Charger) error {
			_, err := ch.StopTransaction(ctx, txID, s.tag, stopWh, stopAt, v16.ReasonLocal)
			return err
		})
		if err != nil {
			return ids, fmt.Errorf("stop: %w", err)
		}
		_ = s.do(ctx, func(ch *sim.Charger) error { return ch.Status(ctx, 1, v16.ChargePointStatusAvailable) })
		ids = append(ids, txID)
	}
	return ids, nil
}
