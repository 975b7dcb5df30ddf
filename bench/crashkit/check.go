package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"       // database/sql driver "pgx"
	_ "github.com/ncruces/go-sqlite3/driver" // database/sql driver "sqlite3"
)

// runCheck verifies the crash-safety invariants after a run and exits non-zero on a violation:
// every session of the fleet completed, exactly one hub transaction per session and all of them
// Completed, one OCPI Session and one CDR per transaction, every outbox item delivered and
// received by the eMSP once. A push received twice is tolerated only when its first copy arrived
// within --window of a disruption (an item in flight when the hub was killed is delivered again:
// delivery is at least once) and is reported.
func runCheck(args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	hub := fs.String("hub", "", "the hub's base URL")
	token := fs.String("token", "", "admin token")
	dbURL := fs.String("database-url", "", "the hub's HUB_DATABASE_URL")
	emsp := fs.String("emsp", "", "the eMSP peer's base URL (…/ocpi/emsp)")
	report := fs.String("fleet-report", "", "the JSON report of crashkit fleet")
	disruptions := fs.String("disruptions", "", "comma-separated unix milliseconds of kills and restarts")
	window := fs.Duration("window", 3*time.Second, "a redelivery is tolerated when its first copy is this close to a disruption")
	wait := fs.Duration("wait", time.Minute, "wait this long for the outbox to drain")
	pushedCDRs := fs.Bool("pushed-cdrs", true, "the stations used the eMSP's tokens: every CDR must reach it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var fails, notes []string
	fail := func(f string, a ...any) { fails = append(fails, fmt.Sprintf(f, a...)) }

	var rep fleetReport
	if b, err := os.ReadFile(*report); err != nil {
		return fmt.Errorf("check: %w", err)
	} else if err := json.Unmarshal(b, &rep); err != nil {
		return fmt.Errorf("check: fleet report: %w", err)
	}
	if rep.Sessions != rep.Expected {
		fail("fleet completed %d of %d sessions: %v", rep.Sessions, rep.Expected, rep.Errors)
	}
	fleetIDs := map[int]string{}
	for st, ids := range rep.TxIDs {
		for _, id := range ids {
			if other, dup := fleetIDs[id]; dup {
				fail("transaction id %d handed to two sessions (%s, %s)", id, other, st)
			}
			fleetIDs[id] = st
		}
	}

	// Transactions, through the admin API.
	type tx struct {
		ID        int64  `json:"id"`
		StationID string `json:"station_id"`
		Status    string `json:"status"`
	}
	var all []tx
	for offset := 0; ; offset += 1000 {
		var page struct {
			Data  []tx `json:"data"`
			Total int  `json:"total"`
		}
		if err := getJSON(*hub+"/api/v1/transactions?limit=1000&offset="+strconv.Itoa(offset), *token, &page); err != nil {
			return fmt.Errorf("check: %w", err)
		}
		all = append(all, page.Data...)
		if len(page.Data) < 1000 {
			break
		}
	}
	perStation := map[string]int{}
	for _, t := range all {
		perStation[t.StationID]++
		if t.Status != "Completed" {
			fail("transaction %d of %s is %s", t.ID, t.StationID, t.Status)
		}
		if _, ok := fleetIDs[int(t.ID)]; !ok {
			fail("transaction %d of %s is not one the fleet completed (a duplicate?)", t.ID, t.StationID)
		}
	}
	if len(all) != rep.Expected {
		fail("%d transactions in the hub, %d sessions run", len(all), rep.Expected)
	}
	for st, ids := range rep.TxIDs {
		if perStation[st] != len(ids) {
			fail("station %s: %d transactions in the hub, %d sessions", st, perStation[st], len(ids))
		}
	}

	// OCPI objects and the outbox, in the database.
	db, err := openDB(*dbURL)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	defer db.Close()
	count := func(q string) int {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			fail("query %q: %v", q, err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM ocpi_sessions"); n != len(all) {
		fail("%d OCPI sessions for %d transactions", n, len(all))
	}
	if n := count("SELECT count(*) FROM ocpi_cdrs"); n != len(all) {
		fail("%d CDRs for %d completed transactions", n, len(all))
	}
	for end := time.Now().Add(*wait); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
		var pending int
		if err := db.QueryRow("SELECT count(*) FROM ocpi_outbox WHERE status = 'pending'").Scan(&pending); err == nil && pending == 0 {
			break
		}
	}
	delivered := count("SELECT count(*) FROM ocpi_outbox WHERE status = 'delivered'")
	if n := count("SELECT count(*) FROM ocpi_outbox WHERE status <> 'delivered'"); n != 0 {
		fail("%d outbox items not delivered", n)
	}

	// What the eMSP received.
	var ps peerStats
	if err := getJSON(*emsp+"/stats", "", &ps); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	var times []time.Time
	for _, f := range strings.Split(*disruptions, ",") {
		if ms, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil {
			times = append(times, time.UnixMilli(ms))
		}
	}
	nearDisruption := func(at time.Time) bool {
		for _, d := range times {
			if at.After(d.Add(-*window)) && at.Before(d.Add(*window)) {
				return true
			}
		}
		return false
	}
	redelivered := 0
	for corr, r := range ps.Duplicates {
		if !nearDisruption(r.First) {
			fail("push %s (%s %s) received %d times, first at %s, far from any disruption", corr, r.Method, r.Path, r.Count,
				r.First.Format(time.RFC3339Nano))
			continue
		}
		redelivered++
		notes = append(notes, fmt.Sprintf("push %s %s in flight at a disruption, received %d times", r.Method, r.Path, r.Count))
	}
	if *pushedCDRs && len(ps.CDRs) != len(all) {
		fail("the eMSP received %d CDRs for %d transactions", len(ps.CDRs), len(all))
	}
	unique := ps.Received
	for _, r := range ps.Duplicates {
		unique -= r.Count - 1
	}
	for id, n := range ps.CDRs {
		if n > 1 && redelivered == 0 {
			fail("CDR %s POSTed %d times", id, n)
		}
	}
	if unique != delivered {
		fail("the eMSP received %d distinct pushes, the outbox delivered %d", unique, delivered)
	}
	for _, n := range notes {
		fmt.Println("note: " + n)
	}
	fmt.Printf("check: %d transactions (%d stations), %d OCPI sessions and CDRs, %d pushes delivered (%d redelivered after a disruption), %d reconnects, %d resent calls: %s\n",
		len(all), len(rep.TxIDs), len(all), delivered, redelivered, rep.Reconnects, rep.Retries, verdict(fails))
	for _, f := range fails {
		fmt.Println("VIOLATION: " + f)
	}
	if len(fails) > 0 {
		return fmt.Errorf("check: %d violations", len(fails))
	}
	return nil
}

func verdict(fails []string) string {
	if len(fails) == 0 {
		return "OK"
	}
	return "FAILED"
}

func openDB(u string) (*sql.DB, error) {
	if path, ok := strings.CutPrefix(u, "sqlite:"); ok {
		return sql.Open("sqlite3", "file:"+path+"?_pragma=busy_timeout(5000)")
	}
	return sql.Open("pgx", u)
}

func getJSON(u, token string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
