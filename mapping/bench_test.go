package mapping

import (
	"strconv"
	"testing"
	"time"

	"github.com/chargehub/hub/charging"
	"github.com/chargehub/hub/ocpi"
)

// longSession is a 10-hour session sampled every 10 s (energy, power, three phase currents),
// with a charging-state change every 30 minutes.
func longSession() (charging.Transaction, []charging.MeterSample, SessionOptions) {
	start := at("00:00:00")
	var samples []charging.MeterSample
	var states []StateChange
	wh := int64(0)
	for k := 1; k <= 3600; k++ {
		ts := start.Add(time.Duration(k) * 10 * time.Second)
		if k < 3000 {
			wh += 30
		}
		samples = append(samples, energy(1, ts, strconv.FormatInt(wh, 10)), power(1, ts, "11000"))
		for _, ph := range []string{"L1", "L2", "L3"} {
			samples = append(samples, sample(1, ts, measurandCurrent, ph, "A", "16"))
		}
		if k%180 == 0 {
			states = append(states, StateChange{At: ts, State: []string{"Charging", "SuspendedEVSE"}[k/180%2]})
		}
	}
	stop := start.Add(10 * time.Hour)
	tx := charging.Transaction{ID: 1, StationID: "CP-1", EVSEID: 1, ConnectorID: 1, IDTag: "T", MeterStopWh: &wh,
		StartedAt: start, StoppedAt: &stop, Status: charging.TxCompleted, EnergyWh: wh}
	return tx, samples, SessionOptions{States: states, MergeUpTo: 15 * time.Minute}
}

func BenchmarkBuildSessionLong(b *testing.B) {
	tx, samples, opts := longSession()
	loc := location16(b)
	for b.Loop() {
		if _, err := BuildSession(cpo, tx, samples, loc, "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "INR", opts); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBuildSessionLong(t *testing.T) {
	tx, samples, opts := longSession()
	s, err := BuildSession(cpo, tx, samples, location16(t), "CP-1-1", "1", token(), ocpi.AuthMethodWhitelist, "", "INR", opts)
	if err != nil {
		t.Fatal(err)
	}
	assertPeriodInvariants(t, s)
	// 15-minute periods over 10 hours: 40 (the states change only TIME-to-TIME).
	if len(s.ChargingPeriods) != 40 || s.KWh.String() != "89.97" {
		t.Fatalf("%d periods, %s kWh", len(s.ChargingPeriods), s.KWh)
	}
}
